#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>
#include <wfm/core/output.hpp>

#include "support/catch.hpp"

using namespace wfm;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path;
  explicit TempDir(const std::string& name)
      : path(fs::temp_directory_path() / (name + "_" + std::to_string(::getpid()))) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::permissions(path, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(path, ec);
  }
  [[nodiscard]] std::string operator/(const std::string& f) const { return (path / f).string(); }
  [[nodiscard]] std::size_t entries() const {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(path)) ++n;
    return n;
  }
};

std::string slurp(const std::string& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void put(const std::string& p, const std::string& s) { std::ofstream(p, std::ios::binary) << s; }

mode_t mode_of(const std::string& p) {
  struct stat st {};
  REQUIRE(::stat(p.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

}  // namespace

TEST_CASE("write_file_atomic writes a new file with no temporary left", "[core][output]") {
  const TempDir d("wfm_out_new");
  write_file_atomic(d / "out.csv", "x\n1\n");
  CHECK(slurp(d / "out.csv") == "x\n1\n");
  CHECK(d.entries() == 1);
  const mode_t mask = ::umask(022);
  ::umask(mask);
  CHECK(mode_of(d / "out.csv") == (0666 & ~mask));  // as open(O_CREAT, 0666) would, not 0600
}

TEST_CASE("write_file_atomic replaces a regular file and keeps its mode", "[core][output]") {
  const TempDir d("wfm_out_mode");
  put(d / "out.csv", "old\n");
  REQUIRE(::chmod((d / "out.csv").c_str(), 0640) == 0);
  write_file_atomic(d / "out.csv", "new\n");
  CHECK(slurp(d / "out.csv") == "new\n");
  CHECK(mode_of(d / "out.csv") == 0640);
  CHECK(d.entries() == 1);
}

TEST_CASE("write_file_atomic refuses a read-only target and a directory", "[core][output]") {
  const TempDir d("wfm_out_ro");
  put(d / "ro.csv", "keep\n");
  REQUIRE(::chmod((d / "ro.csv").c_str(), 0444) == 0);
  CHECK_THROWS_WITH(write_file_atomic(d / "ro.csv", "x\n"),
                    Contains("ro.csv") && Contains("read-only"));
  CHECK(slurp(d / "ro.csv") == "keep\n");
  CHECK(d.entries() == 1);
  CHECK_THROWS_WITH(write_file_atomic(d.path.string(), "x\n"), Contains("directory"));
  CHECK_THROWS_AS(write_file_atomic(d / "missing/out.csv", "x\n"), OutputError);
  CHECK_FALSE(fs::exists(d.path / "missing"));
}

TEST_CASE("write_file_atomic writes through a symbolic link", "[core][output]") {
  const TempDir d("wfm_out_link");
  put(d / "real.csv", "old\n");
  fs::create_directories(d.path / "sub");
  fs::create_symlink("../real.csv", d.path / "sub" / "link.csv");  // relative link
  write_file_atomic(d / "sub/link.csv", "new\n");
  CHECK(fs::is_symlink(fs::symlink_status(d.path / "sub" / "link.csv")));
  CHECK(slurp(d / "real.csv") == "new\n");
  // A dangling link: its target is created, the link kept.
  fs::create_symlink("fresh.csv", d.path / "dangling.csv");
  write_file_atomic(d / "dangling.csv", "x\n");
  CHECK(fs::is_symlink(fs::symlink_status(d.path / "dangling.csv")));
  CHECK(slurp(d / "fresh.csv") == "x\n");
}

TEST_CASE("write_file_atomic writes special files in place", "[core][output]") {
  // /dev/null must stay a character device (run as root, a rename would replace it). If
  // something else has already replaced it, there is no device to test (and writing would
  // replace a regular file, as it should).
  struct stat st {};
  REQUIRE(::stat("/dev/null", &st) == 0);
  if (S_ISCHR(st.st_mode)) {
    write_file_atomic("/dev/null", "discarded\n");
    REQUIRE(::stat("/dev/null", &st) == 0);
    CHECK(S_ISCHR(st.st_mode));
  } else {
    WARN("/dev/null is not a character device on this machine: that part is skipped");
  }

  const TempDir d("wfm_out_fifo");
  const std::string fifo = d / "pipe";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  std::string got;
  std::thread reader([&] { got = slurp(fifo); });
  write_file_atomic(fifo, "through the pipe\n");
  reader.join();
  CHECK(got == "through the pipe\n");
  REQUIRE(::stat(fifo.c_str(), &st) == 0);
  CHECK(S_ISFIFO(st.st_mode));
  CHECK(d.entries() == 1);
}

TEST_CASE("OutputSet commits all outputs or none", "[core][output]") {
  const TempDir d("wfm_out_set");
  put(d / "a.csv", "old a\n");
  put(d / "b.csv", "old b\n");
  REQUIRE(::chmod((d / "b.csv").c_str(), 0444) == 0);
  {
    OutputSet out;
    out.add(d / "a.csv", "new a\n");
    out.add(d / "b.csv", "new b\n");  // read-only: refused
    CHECK_THROWS_AS(out.commit(), OutputError);
  }
  CHECK(slurp(d / "a.csv") == "old a\n");  // the first output was not replaced
  CHECK(d.entries() == 2);                  // and no temporary is left
  {
    OutputSet out;
    out.add(d / "a.csv", "new a\n");
    out.add(d / "c.csv", "c\n");
    out.add(d / "nodir/d.csv", "d\n");  // missing directory: fails after a.csv's temporary
    CHECK_THROWS_WITH(out.commit(), Contains("nodir/d.csv"));
  }
  CHECK(slurp(d / "a.csv") == "old a\n");
  CHECK_FALSE(fs::exists(d.path / "c.csv"));
  CHECK(d.entries() == 2);
  OutputSet out;
  out.add(d / "a.csv", "new a\n");
  out.add(d / "c.csv", "c\n");
  CHECK_THROWS_AS(out.add(d / "c.csv", "again\n"), OutputError);
  out.commit();
  CHECK(slurp(d / "a.csv") == "new a\n");
  CHECK(slurp(d / "c.csv") == "c\n");
}

TEST_CASE("Concurrent writers to one path never collide", "[core][output]") {
  const TempDir d("wfm_out_race");
  const std::string path = d / "out.csv";
  std::vector<std::thread> writers;
  std::vector<std::string> contents;
  for (int w = 0; w < 8; ++w) contents.push_back(std::string(10000, static_cast<char>('a' + w)));
  for (int w = 0; w < 8; ++w)
    writers.emplace_back([&, w] {
      for (int k = 0; k < 20; ++k) write_file_atomic(path, contents[static_cast<std::size_t>(w)]);
    });
  for (auto& t : writers) t.join();
  const std::string got = slurp(path);
  CHECK(std::find(contents.begin(), contents.end(), got) != contents.end());  // one whole write
  CHECK(d.entries() == 1);
}
