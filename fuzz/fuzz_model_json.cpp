// libFuzzer target: the schedule model JSON reader (wfm::schedule::parse_model_json). Any input
// must give a valid model or wfm::InvalidArgument. A model that parses is written back with an
// empty schedule (schedule_to_json / schedule_to_csv / coverage_to_csv) to exercise its checks.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <wfm/core/error.hpp>
#include <wfm/schedule/io.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const wfm::schedule::CoverageModel m = wfm::schedule::parse_model_json(text, "fuzz.json");
    wfm::schedule::Schedule s;
    wfm::schedule::evaluate(m, s);
    (void)wfm::schedule::schedule_to_json(m, s);
    (void)wfm::schedule::schedule_to_csv(m, s);
    (void)wfm::schedule::coverage_to_csv(m, s);
  } catch (const wfm::InvalidArgument&) {
  }
  return 0;
}
