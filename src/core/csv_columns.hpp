#pragma once
// The header lookup shared by CsvTable (csv.cpp) and CsvReader (csv_reader.cpp). Not installed.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wfm::detail {

/// Index of column `name` in `header`, or nothing when absent.
[[nodiscard]] std::optional<std::size_t> find_column(const std::vector<std::string>& header,
                                                     std::string_view name) noexcept;
/// Index of a required column. \throws InvalidArgument naming `source` and the column.
[[nodiscard]] std::size_t required_column(std::string_view source,
                                          const std::vector<std::string>& header,
                                          std::string_view name);

}  // namespace wfm::detail
