#pragma once
// Where test data lives. tests/data/ is in the repository; ../shared/data/ is only on the
// developers' machines, so tests that need it call shared_data_or_skip() and skip cleanly.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "support/catch.hpp"

namespace wfm::test {

inline std::filesystem::path test_data(const std::string& name) {
  return std::filesystem::path(WFM_TEST_DATA_DIR) / name;
}

/// The path under ../shared/data, or nothing (and a Catch2 warning) when it is absent.
inline bool shared_data_available(const std::string& rel) {
  return std::filesystem::exists(std::filesystem::path(WFM_SHARED_DATA_DIR) / rel);
}
inline std::filesystem::path shared_data(const std::string& rel) {
  return std::filesystem::path(WFM_SHARED_DATA_DIR) / rel;
}

/// A folder of this test process in the system's temporary directory, removed when the process
/// ends, so that test runs from several build trees at once do not overwrite each other's files
/// and leave nothing behind.
inline const std::filesystem::path& process_temp_dir() {
  struct Folder {
    std::filesystem::path path = std::filesystem::temp_directory_path() /
                                 ("wfm-tests-" + std::to_string(::getpid()));
    ~Folder() {
      std::error_code ignored;
      std::filesystem::remove_all(path, ignored);
    }
  };
  static const Folder folder;
  return folder.path;
}

/// Writes `text` to `name` (a path relative to process_temp_dir(); folders are created) and
/// returns the file's path.
inline std::string write_temp(const std::string& name, const std::string& text) {
  const auto path = process_temp_dir() / name;
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}

}  // namespace wfm::test

/// Skips the rest of the test case (Catch2 v2 has no SKIP) when ../shared/data/<rel> is absent.
#define WFM_REQUIRE_SHARED_DATA(rel)                                     \
  do {                                                                   \
    if (!::wfm::test::shared_data_available(rel)) {                      \
      WARN("skipped: ../shared/data/" << (rel) << " is not on this machine"); \
      return;                                                            \
    }                                                                    \
  } while (false)
