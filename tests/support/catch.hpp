#pragma once
// The one place that names the Catch2 version (Debian 12 ships 2.13).
#include <catch2/catch.hpp>
