// This file declares keygate's one way to read a whole file and its one way to replace a file: every
// stage that reads a config, an ignore file or a baseline, and every command that writes one, uses these,
// so that all of them fail the same way (an Error naming the file and the reason) and never half-write.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>

namespace keygate {

// The whole content of `path`. Throws Error("<path>: cannot read: <reason>") when it cannot be opened or
// read (a missing file included). `what`, when given, names the file in the message: "<path>: cannot read
// the existing hook: <reason>".
std::string load_file(const std::string& path, std::string_view what = {});

// The content of `path`, or nullopt when there is no file there (ENOENT, ENOTDIR). Any other failure
// (permission, a directory, an I/O error) throws Error as load_file does: an unreadable file is never
// taken for an absent one.
std::optional<std::string> load_file_if_exists(const std::string& path);

// The mode write_file_atomic gives the file.
enum class FileMode {
  Keep,        // an existing file keeps its mode; a new file gets 0644 (before umask)
  Executable,  // 0755 (umask ignored), whatever the file had: a hook git must be able to run
};

// Replaces `path` with `content` atomically: writes a temporary file beside it, fsyncs it, renames it over
// `path` and fsyncs the directory. On any error (a full disk, a size limit) the temporary file is removed,
// `path` is left as it was, and Error("<path>: cannot write: <reason>") is thrown (with `what`, as for
// load_file: "<path>: cannot write hook: <reason>").
void write_file_atomic(const std::string& path, const std::string& content, FileMode mode = FileMode::Keep,
                       std::string_view what = {});

// A new file that will take the place of `path` (in its directory), for a writer that streams its content
// (`keygate redact --in-place`). Until commit() it has no name where the file system allows (O_TMPFILE), so
// that no signal, not even SIGKILL, can leave it behind; elsewhere it has a temporary name beside `path`,
// removed on any error, by the destructor and on SIGINT, SIGTERM, SIGHUP, SIGQUIT and SIGPIPE. While it
// exists, SIGXFSZ is ignored (a size limit fails a write with EFBIG instead of killing the process).
// One at a time per process.
class FileReplacement {
 public:
  // Throws Error("<path>: cannot create a file beside it: <reason>").
  explicit FileReplacement(const std::string& path);
  ~FileReplacement();  // discards the file unless committed
  FileReplacement(const FileReplacement&) = delete;
  FileReplacement& operator=(const FileReplacement&) = delete;

  // The descriptor to write the content to.
  int fd() const { return fd_; }
  // Gives the new file `mode` (permission bits) and, when it differs from the writer's, the owner
  // uid:gid. Throws Error when the owner cannot be kept (only root may give a file away).
  void keep_attributes(mode_t mode, uid_t uid, gid_t gid);
  // Syncs the file, puts it in place of `path` atomically (rename; readers see the old file or the new
  // one) and syncs the directory. Throws Error("<path>: cannot replace it: <reason>"), `path` unchanged.
  void commit();

 private:
  void discard();
  void forget_temp_name();
  std::string path_;
  std::string temp_;  // the temporary name, when the file has one
  int fd_ = -1;
  bool committed_ = false;
  bool handlers_ = false;  // the signal handlers that remove temp_ are installed
};

}  // namespace keygate
