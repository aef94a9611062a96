// This file implements the files source: paths, directories and stdin -> fragments. Directories are walked
// first (cheap), then files are read and scanned by `jobs` threads. Every file is streamed in overlapping
// chunks, so memory stays bounded whatever its size and a secret across a chunk boundary is seen whole.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <thread>

#include "source.hpp"

namespace keygate {
namespace {

constexpr std::size_t kChunk = 16u << 20;    // bytes of new data per fragment
constexpr std::size_t kOverlap = 256u << 10;  // longest secret (with its context) found across a boundary

struct FileToScan {
  std::string path;     // to open
  std::string display;  // to report
};

std::string errno_text(int err) { return std::strerror(err); }

// Reads up to `want` bytes, retrying short reads. Returns bytes read, or -1 with errno set.
ssize_t read_fully(int fd, char* out, std::size_t want) {
  std::size_t got = 0;
  while (got < want) {
    const ssize_t n = ::read(fd, out + got, want - got);
    if (n < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  return static_cast<ssize_t>(got);
}

// Scans one open file descriptor chunk by chunk (see Fragment::report_from/report_to).
void scan_stream(int fd, const std::string& display, Scanner& scanner, std::string& buffer) {
  buffer.resize(kChunk + 2 * kOverlap);
  std::size_t have = 0;  // bytes in buffer: carried context + new data
  std::size_t report_from = 0;
  int first_line = 1;
  bool first = true;
  for (;;) {
    const ssize_t n = read_fully(fd, buffer.data() + have, buffer.size() - have);
    if (n < 0) {
      scanner.warn(display + ": read error: " + errno_text(errno));
      return;
    }
    have += static_cast<std::size_t>(n);
    const bool eof = have < buffer.size();
    const std::string_view text(buffer.data(), have);
    if (first) {
      if (looks_binary(text)) {
        scanner.note(display, "skipped: binary file");
        return;
      }
      scanner.scan_name(display);
      first = false;
    }
    Fragment fragment;
    fragment.text = text;
    fragment.path = display;
    fragment.first_line = first_line;
    fragment.report_from = report_from;
    fragment.report_to = eof ? text.size() + 1 : text.size() - kOverlap;
    scanner.scan(fragment);
    if (eof) return;
    // Keep the last 2*kOverlap bytes: kOverlap of left context, then the first kOverlap bytes to report next.
    const std::size_t keep_from = have - 2 * kOverlap;
    first_line += static_cast<int>(std::count(buffer.data(), buffer.data() + keep_from, '\n'));
    std::memmove(buffer.data(), buffer.data() + keep_from, 2 * kOverlap);
    have = 2 * kOverlap;
    report_from = kOverlap;
  }
}

void scan_file(const FileToScan& file, Scanner& scanner, std::string& buffer) {
  const int fd = ::open(file.path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    scanner.warn(file.display + ": cannot open: " + errno_text(errno));
    return;
  }
  scan_stream(fd, file.display, scanner, buffer);
  ::close(fd);
}

std::string join(const std::string& dir, const char* name) {
  if (dir == ".") return name;
  if (!dir.empty() && dir.back() == '/') return dir + name;
  return dir + "/" + name;
}

void walk(const std::string& dir, Scanner& scanner, std::vector<FileToScan>& out) {
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) {
    scanner.warn(dir + ": cannot read directory: " + errno_text(errno));
    return;
  }
  std::vector<std::string> subdirs;
  while (const dirent* e = ::readdir(d)) {
    const char* name = e->d_name;
    if (std::strcmp(name, ".") == 0 || std::strcmp(name, "..") == 0) continue;
    std::string path = join(dir, name);
    unsigned char type = e->d_type;
    if (type == DT_UNKNOWN) {
      struct stat st;
      if (::lstat(path.c_str(), &st) != 0) continue;
      type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG : S_ISLNK(st.st_mode) ? DT_LNK : DT_UNKNOWN;
    }
    if (type == DT_DIR) {
      if (std::strcmp(name, ".git") == 0) continue;
      subdirs.push_back(std::move(path));
    } else if (type == DT_REG) {
      out.push_back({path, path});
    } else if (type == DT_LNK) {
      scanner.note(path, "skipped: symbolic link (not followed inside directories)");
    }
  }
  ::closedir(d);
  std::sort(subdirs.begin(), subdirs.end());
  for (const std::string& sub : subdirs) walk(sub, scanner, out);
}

}  // namespace

void read_paths(const std::vector<std::string>& paths, Scanner& scanner) {
  std::vector<FileToScan> files;
  std::string buffer;
  for (const std::string& p : paths) {
    if (p == "-") {
      scan_stream(STDIN_FILENO, "(stdin)", scanner, buffer);
      continue;
    }
    struct stat st;
    if (::stat(p.c_str(), &st) != 0) {
      scanner.warn(p + ": " + errno_text(errno));
      continue;
    }
    if (S_ISDIR(st.st_mode)) {
      walk(p, scanner, files);
    } else {
      files.push_back({p, p});
    }
  }

  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    std::string local_buffer;
    for (std::size_t i = next++; i < files.size(); i = next++) scan_file(files[i], scanner, local_buffer);
  };
  const unsigned threads = std::max(1u, std::min<unsigned>(scanner.settings().jobs, static_cast<unsigned>(files.size())));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (std::thread& t : pool) t.join();
}

}  // namespace keygate
