// libFuzzer target: the MiniZinc minimum-shift-design reader (wfm::schedule::parse_msd_dzn).
// Any input must give a valid model or wfm::InvalidArgument.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <wfm/core/error.hpp>
#include <wfm/schedule/io.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const wfm::schedule::CoverageModel m = wfm::schedule::parse_msd_dzn(text, "fuzz.dzn");
    wfm::schedule::validate(m);
  } catch (const wfm::InvalidArgument&) {
  }
  return 0;
}
