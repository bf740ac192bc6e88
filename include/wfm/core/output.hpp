#pragma once
/// \file
/// The one output writer of every command-line program: a command's outputs are written all
/// together or not at all.
///
/// For each output path:
/// - "-" is standard output (written and flushed at commit; a failed write is an error);
/// - a symbolic link is followed: its final target is written, the link is kept;
/// - a regular file (or a new one) is written into a unique temporary file beside it (mkstemp),
///   fsync'ed, then renamed over the target, and the directory is fsync'ed; an existing file
///   keeps its permission bits (and, for root, its owner);
/// - a special file (a character device such as /dev/null, a FIFO, a socket) is written in place
///   and never replaced;
/// - a read-only target (no write permission for the caller; for root: no write bit at all) or a
///   directory is refused with an OutputError naming it, before anything is written.
///
/// OutputSet::commit() prepares every temporary first and renames them only when all of them
/// (and every in-place write) succeeded; on any failure none of the targets is replaced and the
/// temporaries are removed. (A rename failing after an earlier one succeeded cannot be undone;
/// both are in-directory renames of files already written, which fail only on a broken
/// file system.)

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace wfm {

/// An output could not be written (permissions, disk full, a closed standard output). Not bad
/// input: the command-line programs exit with wfm::exit_code::failure (1) on it.
class OutputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The outputs of one command, committed together.
class OutputSet {
 public:
  OutputSet() = default;
  OutputSet(const OutputSet&) = delete;
  OutputSet& operator=(const OutputSet&) = delete;
  /// Removes any temporary file left by a failed commit.
  ~OutputSet();

  /// Adds an output: `content` for `path` ("-" = standard output). Nothing is written yet.
  /// \throws OutputError if `path` is empty or already in the set.
  void add(std::string path, std::string content);

  /// Writes every output (see the file comment). \throws OutputError naming the path that
  /// failed; no target has been replaced then.
  void commit();

  [[nodiscard]] bool empty() const noexcept { return items_.empty(); }

  struct Item {
    std::string path;     ///< as given
    std::string content;  ///< what to write
    std::string target;   ///< the file finally written (symbolic links resolved)
    std::string temp;     ///< temporary file beside `target` ("" when written in place)
    bool in_place = false;  ///< standard output or a special file
  };

 private:
  std::vector<Item> items_;
};

/// Writes one output (an OutputSet of one). \throws OutputError.
void write_file_atomic(const std::string& path, std::string_view content);

/// Flushes standard output and reports whether everything written to it arrived (false after
/// a write error: a full disk, a closed descriptor).
[[nodiscard]] bool flush_stdout() noexcept;

}  // namespace wfm
