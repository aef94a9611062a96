// This file implements whole-file reading and atomic replacement (see file_io.hpp).
#include "util/file_io.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
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
