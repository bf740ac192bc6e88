#pragma once
#define WFM_VERSION_MAJOR 0
#define WFM_VERSION_MINOR 1
#define WFM_VERSION_PATCH 0
namespace wfm {
inline constexpr const char* version = "0.1.0";
}
