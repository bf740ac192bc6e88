// libFuzzer target: the CSV reader (wfm::parse_csv) and its cell accessors. Any input must give
// a table or wfm::InvalidArgument; nothing else (crash, other exception, sanitizer report).
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <wfm/core/csv.hpp>
#include <wfm/core/error.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const wfm::CsvTable t = wfm::parse_csv(text, "fuzz.csv");
    for (std::size_t r = 0; r < t.row_count() && r < 64; ++r)
      for (std::size_t c = 0; c < t.header().size() && c < 8; ++c) {
        (void)t.text(r, c);
        try {
          (void)t.number(r, c);
        } catch (const wfm::InvalidArgument&) {
        }
        try {
          (void)t.timestamp(r, c);
        } catch (const wfm::InvalidArgument&) {
        }
      }
  } catch (const wfm::InvalidArgument&) {
  }
  return 0;
}
