// This file implements whole-file reading and atomic replacement (see file_io.hpp).
#include "util/file_io.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>

#include "core/error.hpp"

namespace keygate {
namespace {

// "<path>: cannot <verb>[ <what>]: <reason of errno `error`>".
Error io_error(const std::string& path, std::string_view verb, std::string_view what, int error) {
  std::string message = path + ": cannot ";
  message += verb;
  if (!what.empty()) message.append(" ").append(what);
  return Error(message + ": " + std::strerror(error));
}

std::optional<std::string> load_or_throw(const std::string& path, bool missing_ok, std::string_view what) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    if (missing_ok && (errno == ENOENT || errno == ENOTDIR)) return std::nullopt;
    throw io_error(path, "read", what, errno);
  }
  std::string out;
  char buffer[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int saved = errno;
      ::close(fd);
      throw io_error(path, "read", what, saved);
    }
    if (n == 0) break;
    out.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

std::string directory_of(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

std::string load_file(const std::string& path, std::string_view what) {
  return *load_or_throw(path, false, what);
}

std::optional<std::string> load_file_if_exists(const std::string& path) {
  return load_or_throw(path, true, {});
}

void write_file_atomic(const std::string& path, const std::string& content, FileMode file_mode,
                       std::string_view what) {
  std::string temp = path + ".keygate-tmp-XXXXXX";
  const int fd = ::mkstemp(temp.data());
  if (fd < 0) throw io_error(path, "write", what, errno);
  // errno is captured at the failing call, before clean-up can change it.
  auto fail = [&](int error) {
    ::close(fd);
    ::unlink(temp.c_str());
    throw io_error(path, "write", what, error);
  };
  struct stat st {};
  const mode_t mode = file_mode == FileMode::Executable ? 0755
                      : ::stat(path.c_str(), &st) == 0  ? (st.st_mode & 07777)
                                                        : (0644 & ~[] {
                                                           const mode_t mask = ::umask(0);
                                                           ::umask(mask);
                                                           return mask;
                                                         }());
  if (::fchmod(fd, mode) != 0) fail(errno);
  // A size limit (RLIMIT_FSIZE) must fail the write, not kill the process with SIGXFSZ.
  struct sigaction ignore {
  }, previous{};
  ignore.sa_handler = SIG_IGN;
  ::sigaction(SIGXFSZ, &ignore, &previous);
  const char* p = content.data();
  std::size_t left = content.size();
  int write_error = 0;
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      write_error = n < 0 ? errno : ENOSPC;
      break;
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  ::sigaction(SIGXFSZ, &previous, nullptr);
  if (write_error != 0) fail(write_error);
  if (::fsync(fd) != 0) fail(errno);
  if (::close(fd) != 0) {
    const int error = errno;
    ::unlink(temp.c_str());
    throw io_error(path, "write", what, error);
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const int error = errno;
    ::unlink(temp.c_str());
    throw io_error(path, "write", what, error);
  }
  // The rename itself is durable once the directory is synced; a failure here leaves the new file whole.
  const int dir = ::open(directory_of(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
}

}  // namespace keygate

// ---- FileReplacement ----

namespace keygate {
namespace {

// The temporary name a signal handler must remove (one FileReplacement at a time), and the handlers it
// replaced. Written only with the signals concerned blocked.
char g_temp_name[4096];
constexpr int kCleanupSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE};
struct sigaction g_previous[sizeof kCleanupSignals / sizeof kCleanupSignals[0]];
struct sigaction g_previous_xfsz;

extern "C" void remove_temp_and_die(int sig) {
  if (g_temp_name[0] != '\0') ::unlink(g_temp_name);
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

sigset_t cleanup_signal_set() {
  sigset_t set;
  sigemptyset(&set);
  for (const int sig : kCleanupSignals) sigaddset(&set, sig);
  return set;
}

// Blocks the cleanup signals for the life of the object: a name is created or renamed with no handler
// able to run in between.
class SignalsBlocked {
 public:
  SignalsBlocked() {
    const sigset_t set = cleanup_signal_set();
    ::sigprocmask(SIG_BLOCK, &set, &old_);
  }
  ~SignalsBlocked() { ::sigprocmask(SIG_SETMASK, &old_, nullptr); }
  SignalsBlocked(const SignalsBlocked&) = delete;
  SignalsBlocked& operator=(const SignalsBlocked&) = delete;

 private:
  sigset_t old_;
};

void set_temp_name(const std::string& name) {
  SignalsBlocked blocked;
  const std::size_t n = std::min(name.size(), sizeof g_temp_name - 1);
  std::memcpy(g_temp_name, name.data(), n);
  g_temp_name[n] = '\0';
}

}  // namespace

FileReplacement::FileReplacement(const std::string& path) : path_(path) {
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  ::sigaction(SIGXFSZ, &ignore, &g_previous_xfsz);
  const std::string dir = directory_of(path);
#ifdef O_TMPFILE
  // commit() names the file through /proc/self/fd: without /proc, the named temporary file below.
  if (::access("/proc/self/fd", X_OK) == 0) {
    fd_ = ::open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
    if (fd_ >= 0) return;
  }
#endif
  // No O_TMPFILE here (an older kernel, a file system without it): a named temporary file, removed by
  // the handlers below if a signal ends the process.
  struct sigaction cleanup {};
  cleanup.sa_handler = remove_temp_and_die;
  sigemptyset(&cleanup.sa_mask);
  {
    SignalsBlocked blocked;
    std::string temp = path + ".keygate-XXXXXX";
    fd_ = ::mkstemp(temp.data());
    if (fd_ < 0) {
      const int error = errno;
      ::sigaction(SIGXFSZ, &g_previous_xfsz, nullptr);
      throw Error(path + ": cannot create a file beside it: " + std::strerror(error));
    }
    temp_ = temp;
    set_temp_name(temp_);
    for (std::size_t i = 0; i < sizeof kCleanupSignals / sizeof kCleanupSignals[0]; ++i) {
      ::sigaction(kCleanupSignals[i], &cleanup, &g_previous[i]);
    }
    handlers_ = true;
  }
}

void FileReplacement::forget_temp_name() {
  SignalsBlocked blocked;
  g_temp_name[0] = '\0';
  if (handlers_) {
    for (std::size_t i = 0; i < sizeof kCleanupSignals / sizeof kCleanupSignals[0]; ++i) {
      ::sigaction(kCleanupSignals[i], &g_previous[i], nullptr);
    }
  }
  handlers_ = false;
}

void FileReplacement::discard() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (!temp_.empty()) {
    ::unlink(temp_.c_str());
    temp_.clear();
  }
  forget_temp_name();
}

FileReplacement::~FileReplacement() {
  if (!committed_) discard();
  ::sigaction(SIGXFSZ, &g_previous_xfsz, nullptr);
}

void FileReplacement::keep_attributes(mode_t mode, uid_t uid, gid_t gid) {
  if (::fchmod(fd_, mode & 07777) != 0) {
    throw Error(path_ + ": cannot keep the file's mode: " + std::strerror(errno));
  }
  if ((uid != ::geteuid() || gid != ::getegid()) && ::fchown(fd_, uid, gid) != 0) {
    throw Error(path_ +
                ": cannot keep the file's owner (run as its owner or as root): " + std::strerror(errno));
  }
}

void FileReplacement::commit() {
  auto fail = [&](int error) {
    discard();
    throw Error(path_ + ": cannot replace it: " + std::strerror(error));
  };
  if (::fsync(fd_) != 0) fail(errno);
  {
    // From here to the rename, a catchable signal waits: the name made for the rename never outlives it.
    SignalsBlocked blocked;
    if (temp_.empty()) {
      // O_TMPFILE: give the file a name beside `path` (linkat through /proc, which needs no privilege),
      // then rename it over `path`.
      std::string temp = path_ + ".keygate-XXXXXX";
      const std::string proc = "/proc/self/fd/" + std::to_string(fd_);
      int error = EEXIST;
      for (int attempt = 0; attempt < 100 && error == EEXIST; ++attempt) {
        std::string name = temp;
        const unsigned long salt =
            static_cast<unsigned long>(::getpid()) * 7919u + static_cast<unsigned>(attempt);
        std::snprintf(name.data() + name.size() - 6, 7, "%06lx", salt & 0xFFFFFFul);
        if (::linkat(AT_FDCWD, proc.c_str(), AT_FDCWD, name.c_str(), AT_SYMLINK_FOLLOW) == 0) {
          temp_ = name;
          error = 0;
        } else {
          error = errno;
        }
      }
      if (error != 0) fail(error);
    }
    if (::rename(temp_.c_str(), path_.c_str()) != 0) fail(errno);
    temp_.clear();
  }
  committed_ = true;
  forget_temp_name();
  ::close(fd_);  // synced above: nothing is left for close to report
  fd_ = -1;
  const int dir = ::open(directory_of(path_).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
}

}  // namespace keygate
