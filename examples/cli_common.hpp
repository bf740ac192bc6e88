#pragma once
// What every wfm command-line program shares: one main() wrapper that turns every exception into
// a message and a documented exit code, checks that standard output was written, and the flag
// checks that are the same in every program.
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <wfm/core/csv.hpp>
#include <wfm/core/error.hpp>
#include <wfm/core/interval_grid.hpp>
#include <wfm/core/output.hpp>
#include <wfm/core/time_zone.hpp>
#include <wfm/core/status.hpp>

namespace wfm::cli {

/// The exit codes, as every --help prints them (values: wfm::exit_code).
inline constexpr const char* exit_codes_help =
    "Exit codes: 0 done (outputs written); 1 internal error or an output that could not be\n"
    "written; 2 bad flags or input (the message names the file, line and column; nothing is\n"
    "written); 3 no feasible result; 4 the time limit ended the run before any result.\n"
    "Units: times in seconds, service levels and other shares as fractions in [0, 1],\n"
    "volumes in contacts per interval.";

/// A closed standard descriptor would be reused by the next open(): output meant for stdout
/// would land in a data file. Park /dev/null there, read-only for 1 and 2, so that writes to a
/// closed stdout or stderr fail (and are reported) instead.
inline void guard_standard_descriptors() noexcept {
  for (int fd = 0; fd <= 2; ++fd)
    if (::fcntl(fd, F_GETFD) == -1) {
      const int got = ::open("/dev/null", O_RDONLY);
      if (got >= 0 && got != fd) {
        ::dup2(got, fd);
        ::close(got);
      }
    }
}

/// Runs a program: parses the flags, then `body()` (which returns an exit code). Every exception
/// becomes a message on stderr and an exit code: InvalidArgument 2, OutputError 1, bad_alloc 1,
/// anything else 1. A failed write to standard output turns exit code 0 into 1.
template <class Body>
int run(std::string_view program, CLI::App& app, int argc, char** argv, Body&& body) noexcept {
  guard_standard_descriptors();
  int code = exit_code::failure;
  try {
    bool parsed = false;
    try {
      app.parse(argc, argv);
      parsed = true;
    } catch (const CLI::ParseError& e) {
      const int c = app.exit(e);  // prints --help, or the flag error
      code = c == 0 ? exit_code::ok : exit_code::bad_input;
    }
    if (parsed) code = body();
  } catch (const InvalidArgument& e) {
    std::fprintf(stderr, "%.*s: error: %s\n", static_cast<int>(program.size()), program.data(),
                 e.what());
    code = exit_code::bad_input;
  } catch (const OutputError& e) {
    std::fprintf(stderr, "%.*s: error: %s\n", static_cast<int>(program.size()), program.data(),
                 e.what());
    code = exit_code::failure;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "%.*s: error: out of memory (the input is too large for this machine)\n",
                 static_cast<int>(program.size()), program.data());
    code = exit_code::failure;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%.*s: internal error: %s\n", static_cast<int>(program.size()),
                 program.data(), e.what());
    code = exit_code::failure;
  } catch (...) {
    std::fprintf(stderr, "%.*s: internal error: unknown exception\n",
                 static_cast<int>(program.size()), program.data());
    code = exit_code::failure;
  }
  if (!flush_stdout() && code == exit_code::ok) {  // (an OutputError has said it already)
    std::fprintf(stderr, "%.*s: error: cannot write to standard output\n",
                 static_cast<int>(program.size()), program.data());
    code = exit_code::failure;
  }
  return code;
}

/// --interval-length [s]: a whole number of seconds in [1, 86400] (1800.7 is an error, never
/// truncated).
[[nodiscard]] inline std::int64_t interval_length(double s) {
  if (!(s >= 1.0 && s <= 86400.0) || s != std::floor(s))
    detail::throw_invalid("--interval-length", "must be a whole number of seconds in [1, 86400]",
                          s);
  return static_cast<std::int64_t>(s);
}

/// A fraction flag in [0, 1] (or (0, 1) when `open`).
inline void fraction(std::string_view flag, double p, bool open = false) {
  if (open ? !(p > 0.0 && p < 1.0) : !(p >= 0.0 && p <= 1.0))
    detail::throw_invalid(flag,
                          open ? "must be a fraction in (0, 1) (not a percentage)"
                               : "must be a fraction in [0, 1] (not a percentage)",
                          p);
}

/// --time-limit [s]: finite and > 0.
inline void time_limit(double s) {
  if (!(s > 0.0 && std::isfinite(s)))
    detail::throw_invalid("--time-limit", "must be a finite number of seconds > 0", s);
}

/// --time-zone: an IANA zone, or nothing when the flag is empty.
[[nodiscard]] inline std::optional<TimeZone> time_zone(const std::string& name) {
  if (name.empty()) return std::nullopt;
  try {
    return TimeZone::locate(name);
  } catch (const InvalidArgument& e) {
    throw InvalidArgument(fmt::format("--time-zone: {}", e.what()));
  }
}

/// The timestamp column of a table: `timestamp` (or the old name `start`).
[[nodiscard]] inline std::string timestamp_column(const CsvTable& t) {
  if (t.find_column("timestamp")) return "timestamp";
  if (t.find_column("start")) return "start";
  (void)t.column("timestamp");  // throws, naming the file and the missing column
  return "timestamp";
}

/// The grid of a table by the one rule of wfm/core/interval_grid.hpp, with the programs'
/// --interval-length and --time-zone.
[[nodiscard]] inline TableOnGrid table_grid(const CsvTable& t, std::optional<std::int64_t> length,
                                            const std::optional<TimeZone>& zone) {
  if (t.row_count() == 0) detail::throw_invalid(t.source(), "no intervals (only a header)");
  GridOptions o;
  o.interval_length_s = length;
  o.zone = zone;
  return grid_from_table(t, timestamp_column(t), o);
}

/// Progress notes on stderr, "[wfm-x   1.2 s] message", unless --quiet.
class Notes {
 public:
  Notes(std::string program, const bool& quiet) : program_(std::move(program)), quiet_(quiet) {}
  void operator()(std::string_view msg) const {
    if (quiet_) return;
    const double s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
    fmt::print(stderr, "[{} {:6.1f} s] {}\n", program_, s, msg);
  }

 private:
  std::string program_;
  const bool& quiet_;
  std::chrono::steady_clock::time_point t0_ = std::chrono::steady_clock::now();
};

}  // namespace wfm::cli
