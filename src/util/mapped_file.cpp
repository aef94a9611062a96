// This file implements read-only file mapping (see mapped_file.hpp).
#include "util/mapped_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace keygate {

bool MappedFile::map(const std::string& path, Pages pages) {
  bytes_.reset();
  size_ = 0;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    const int error = errno;
    ::close(fd);
    errno = error;
    return false;
  }
  const auto size = static_cast<std::size_t>(st.st_size);
  if (size == 0) {
    ::close(fd);
    return true;
  }
  void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | (pages == Pages::All ? MAP_POPULATE : 0), fd, 0);
  const int error = errno;
  ::close(fd);  // the mapping keeps the file
  if (p == MAP_FAILED) {
    errno = error;
    return false;
  }
  bytes_ = std::shared_ptr<const char>(static_cast<const char*>(p),
                                       [size](const char* q) { ::munmap(const_cast<char*>(q), size); });
  size_ = size;
  return true;
}

}  // namespace keygate
