#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <wfm/core/output.hpp>

namespace wfm {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(const std::string& path, std::string_view what, int err = 0) {
  if (err != 0)
    throw OutputError(fmt::format("{}: {}: {}", path, what, std::strerror(err)));
  throw OutputError(fmt::format("{}: {}", path, what));
}

// Follows symbolic links (at most 40, as the kernel does) to the file finally written.
std::string resolve_links(const std::string& path) {
  fs::path p = path;
  for (int hops = 0; hops < 40; ++hops) {
    std::error_code ec;
    if (!fs::is_symlink(fs::symlink_status(p, ec))) return p.string();
    const fs::path to = fs::read_symlink(p, ec);
    if (ec) fail(path, "cannot read the symbolic link", ec.value());
    p = to.is_absolute() ? to : p.parent_path() / to;
  }
  fail(path, "too many levels of symbolic links");
}

// The process umask, read without changing it (from /proc; 022 when unavailable).
mode_t current_umask() {
  std::ifstream in("/proc/self/status");
  std::string key;
  while (in >> key) {
    if (key == "Umask:") {
      unsigned m = 022;
      in >> std::oct >> m;
      return static_cast<mode_t>(m);
    }
    std::getline(in, key);
  }
  return 022;
}

bool write_all(int fd, std::string_view content) {
  const char* p = content.data();
  std::size_t left = content.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  return true;
}

// Decides how to write `item` and, for a regular file, writes and fsyncs its temporary.
void prepare(OutputSet::Item& item) {
  item.target = resolve_links(item.path);
  struct stat st {};
  const bool exists = ::stat(item.target.c_str(), &st) == 0;
  if (!exists && errno != ENOENT) fail(item.path, "cannot examine the output", errno);
  if (exists && S_ISDIR(st.st_mode)) fail(item.path, "is a directory, not a file");
  if (exists && !S_ISREG(st.st_mode)) {  // a device, FIFO or socket: written in place at commit
    item.in_place = true;
    return;
  }
  if (exists) {
    const bool writable = ::geteuid() == 0 ? (st.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)) != 0
                                           : ::access(item.target.c_str(), W_OK) == 0;
    if (!writable) fail(item.path, "is read-only; refusing to replace it");
  }
  const fs::path target = item.target;
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::string templ = (dir / fmt::format(".{}.wfm-XXXXXX", target.filename().string())).string();
  const int fd = ::mkstemp(templ.data());
  if (fd < 0) fail(item.path, "cannot create a temporary file beside the output", errno);
  item.temp = templ;
  const mode_t mode = exists ? (st.st_mode & 07777) : (0666 & ~current_umask());
  bool ok = ::fchmod(fd, mode) == 0;
  if (exists && ::geteuid() == 0) (void)!::fchown(fd, st.st_uid, st.st_gid);  // best effort
  int err = ok ? 0 : errno;
  if (ok && !write_all(fd, item.content)) ok = false, err = errno;
  if (ok && ::fsync(fd) != 0) ok = false, err = errno;
  if (::close(fd) != 0 && ok) ok = false, err = errno;
  if (!ok) fail(item.path, "write failed", err);
}

void write_in_place(const OutputSet::Item& item) {
  if (item.path == "-") {
    std::cout.write(item.content.data(), static_cast<std::streamsize>(item.content.size()));
    if (!flush_stdout()) fail("standard output", "write failed");
    return;
  }
  const int fd = ::open(item.target.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) fail(item.path, "cannot open the output for writing", errno);
  const bool ok = write_all(fd, item.content);
  const int err = errno;
  ::close(fd);
  if (!ok) fail(item.path, "write failed", err);
}

void sync_directory(const std::string& target) {
  const fs::path p = target;
  const std::string dir = p.has_parent_path() ? p.parent_path().string() : ".";
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;  // the rename is done; a directory we cannot open cannot be synced
  (void)::fsync(fd);
  ::close(fd);
}

}  // namespace

OutputSet::~OutputSet() {
  for (const Item& it : items_)
    if (!it.temp.empty()) ::unlink(it.temp.c_str());
}

void OutputSet::add(std::string path, std::string content) {
  if (path.empty()) throw OutputError("output path: must not be empty");
  for (const Item& it : items_)
    if (it.path == path) fail(path, "given as more than one output of the same command");
  items_.push_back(Item{std::move(path), std::move(content), {}, {}, false});
}

void OutputSet::commit() {
  try {
    for (Item& it : items_) {
      if (it.path == "-")
        it.in_place = true;
      else
        prepare(it);
    }
    for (const Item& it : items_)
      if (it.in_place) write_in_place(it);
  } catch (...) {
    for (Item& it : items_)
      if (!it.temp.empty()) ::unlink(it.temp.c_str()), it.temp.clear();
    throw;
  }
  for (Item& it : items_) {
    if (it.temp.empty()) continue;
    if (std::rename(it.temp.c_str(), it.target.c_str()) != 0) {
      const int err = errno;
      fail(it.path, "cannot move the finished output into place", err);  // ~OutputSet cleans up
    }
    it.temp.clear();
    sync_directory(it.target);
  }
  items_.clear();
}

void write_file_atomic(const std::string& path, std::string_view content) {
  OutputSet out;
  out.add(path, std::string(content));
  out.commit();
}

bool flush_stdout() noexcept {
  std::cout.flush();
  const bool cpp_ok = static_cast<bool>(std::cout);
  const bool c_ok = std::fflush(stdout) == 0 && std::ferror(stdout) == 0;
  return cpp_ok && c_ok;
}

}  // namespace wfm
