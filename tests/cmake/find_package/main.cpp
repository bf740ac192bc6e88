// A program outside the project that links the installed wfm::wfm.
#include <cstdio>
#include <wfm/wfm.hpp>

int main() {
  const auto t = wfm::parse_timestamp("2026-11-26 09:15");
  if (!t || wfm::weekday(*t) != 3) return 1;  // a Thursday
  std::printf("wfm %s found and linked\n", wfm::version);
  return 0;
}
