// This file implements `keygate redact --in-place` (redact_file_in_place in redact.hpp): which files may be
// rewritten at all, how a writer of the file is kept from losing lines, and the atomic replacement
// (FileReplacement, util/file_io.hpp).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "core/error.hpp"
#include "redact/redact.hpp"
#include "util/file_io.hpp"

namespace keygate {
namespace {

// A read lease (Linux) on the file being redacted: granted only while no process has the file open for
// writing, and broken (SIGIO) when one opens it. The handler gives the lease up at once, so that the
// writer's open() does not wait for us, and the replacement is then refused: the writer's lines would go
// to the file we replace.
volatile sig_atomic_t g_lease_broken = 0;
int g_lease_fd = -1;

extern "C" void on_lease_break(int) {
  g_lease_broken = 1;
  if (g_lease_fd >= 0) ::fcntl(g_lease_fd, F_SETLEASE, F_UNLCK);
}

class ReadLease {
 public:
  // Takes the lease on `fd`; throws Error when another process has `path` open for writing. Where leases
  // are not available (not the file's owner, a file system without them) it holds none: the size and
  // time checks of unchanged_since() still stand.
  ReadLease(int fd, const std::string& path) : fd_(fd) {
    struct sigaction handler {};
    handler.sa_handler = on_lease_break;
    sigemptyset(&handler.sa_mask);
    ::sigaction(SIGIO, &handler, &previous_);
    g_lease_broken = 0;
    g_lease_fd = fd;
    if (::fcntl(fd, F_SETLEASE, F_RDLCK) == 0) {
      held_ = true;
      return;
    }
    const int error = errno;
    restore();
    if (error == EAGAIN) {
      throw Error(path +
                  ": open for writing by another process (a log being written?): left unchanged; stop the "
                  "writer or rotate the file, then redact it");
    }
  }
  ~ReadLease() {
    if (held_ && !g_lease_broken) ::fcntl(fd_, F_SETLEASE, F_UNLCK);
    restore();
  }
  ReadLease(const ReadLease&) = delete;
  ReadLease& operator=(const ReadLease&) = delete;
  // True iff another process opened the file for writing since the lease was taken.
  bool broken() const { return held_ && g_lease_broken != 0; }

 private:
  void restore() {
    g_lease_fd = -1;
    ::sigaction(SIGIO, &previous_, nullptr);
  }
  int fd_;
  bool held_ = false;
  struct sigaction previous_ {};
};

const char* kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

// The file to rewrite: `path`, or the file a symbolic link at `path` leads to (said on stderr).
std::string resolve_target(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) throw Error(path + ": cannot open: " + std::strerror(errno));
  if (!S_ISLNK(st.st_mode)) return path;
  std::unique_ptr<char, decltype(&std::free)> real(::realpath(path.c_str(), nullptr), &std::free);
  if (!real) throw Error(path + ": a symbolic link that cannot be followed: " + std::strerror(errno));
  std::fprintf(stderr, "keygate: note: %s is a symbolic link: redacting its target %s in place\n",
               path.c_str(), real.get());
  return real.get();
}

// True iff the file open as `fd` still has the size and modification time of `before`, and `read` bytes
// (all of it) were read.
bool unchanged_since(int fd, const struct stat& before, off_t read) {
  struct stat now {};
  return ::fstat(fd, &now) == 0 && now.st_size == before.st_size && now.st_size == read &&
         now.st_mtim.tv_sec == before.st_mtim.tv_sec && now.st_mtim.tv_nsec == before.st_mtim.tv_nsec;
}

}  // namespace

void redact_file_in_place(Scanner& scanner, const RedactOptions& options, const std::string& path,
                          RedactStats& stats) {
  const std::string target = resolve_target(path);
  // O_NONBLOCK: opening a FIFO must not wait for a writer; O_NOFOLLOW: the target was resolved above.
  const int in = ::open(target.c_str(), O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
  if (in < 0) throw Error(target + ": cannot open: " + std::strerror(errno));
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{in};
  struct stat st {};
  if (::fstat(in, &st) != 0) throw Error(target + ": cannot open: " + std::strerror(errno));
  if (!S_ISREG(st.st_mode)) {
    throw Error(target + ": " + kind_of(st.st_mode) + ": only regular files can be redacted in place");
  }
  if (st.st_nlink > 1) {
    throw Error(target + ": has " + std::to_string(st.st_nlink) +
                " hard links: replacing it would leave the secret under the other names; left unchanged "
                "(redact to a new file: keygate redact FILE > FILE.redacted)");
  }
  ::fcntl(in, F_SETFL, ::fcntl(in, F_GETFL) & ~O_NONBLOCK);
  const ReadLease lease(in, target);

  FileReplacement out(target);
  redact_stream(scanner, options, in, out.fd(), target, false, stats);
  const off_t read = ::lseek(in, 0, SEEK_CUR);
  if (lease.broken() || !unchanged_since(in, st, read)) {
    throw Error(target +
                ": written to by another process while being redacted: left unchanged; stop the "
                "writer or rotate the file, then redact it");
  }
  out.keep_attributes(st.st_mode, st.st_uid, st.st_gid);
  out.commit();
  if (lease.broken()) {
    // Opened for writing between the last check and the rename: that writer holds the old file.
    throw Error(target + ": opened for writing by another process while being replaced: its new lines " +
                "went to the old file; check " + target);
  }
}

}  // namespace keygate
