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

#include "dataset.hpp"
#include "progress.hpp"
#include "scanner.hpp"
#include "source.hpp"
#include "utf16.hpp"

namespace keygate {
namespace {

constexpr std::size_t kChunk = kChunkSize;  // bytes of new data per fragment
constexpr std::size_t kOverlap = kChunkOverlap;

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

// A file's text: its bytes as they are, or UTF-16 (Windows tools write it: .reg exports, PowerShell
// output, some .config files) decoded to UTF-8, so that a key in it is found like any other.
class TextReader {
 public:
  explicit TextReader(int fd) : fd_(fd) {}

  // Fills `out` with up to `want` bytes of text (want >= 4); returns how many, 0 at the end, -1 on error.
  ssize_t read(char* out, std::size_t want) {
    if (mode_ == Mode::Unknown) detect();
    if (mode_ == Mode::Error) return -1;
    if (mode_ == Mode::Bytes) {
      std::size_t got = 0;
      if (pending_pos_ < pending_.size()) {
        got = std::min(want, pending_.size() - pending_pos_);
        std::memcpy(out, pending_.data() + pending_pos_, got);
        pending_pos_ += got;
        if (got == want) return static_cast<ssize_t>(got);
      }
      const ssize_t n = read_fully(fd_, out + got, want - got);
      return n < 0 ? -1 : static_cast<ssize_t>(got) + n;
    }
    // UTF-16: each code unit becomes at most 3 bytes of UTF-8.
    std::size_t written = 0;
    while (written + 3 <= want) {
      if (pending_pos_ + 2 > pending_.size()) {
        std::string rest = pending_.substr(pending_pos_);
        pending_.resize(64 * 1024);
        std::memcpy(pending_.data(), rest.data(), rest.size());
        const ssize_t n = read_fully(fd_, pending_.data() + rest.size(), pending_.size() - rest.size());
        if (n < 0) return -1;
        pending_.resize(rest.size() + static_cast<std::size_t>(n));
        pending_pos_ = 0;
        if (pending_.size() < 2) break;
      }
      const auto* p = reinterpret_cast<const unsigned char*>(pending_.data() + pending_pos_);
      pending_pos_ += 2;
      written += utf16_unit_to_utf8(p, order_, out + written);
    }
    return static_cast<ssize_t>(written);
  }

  bool utf16() const { return mode_ == Mode::Utf16; }

 private:
  enum class Mode { Unknown, Bytes, Utf16, Error };

  // Looks at the first bytes (utf16.hpp decides).
  void detect() {
    pending_.resize(8000);
    const ssize_t n = read_fully(fd_, pending_.data(), pending_.size());
    if (n < 0) {
      mode_ = Mode::Error;
      return;
    }
    pending_.resize(static_cast<std::size_t>(n));
    const Utf16Start start = detect_utf16(pending_);
    mode_ = start.order == Utf16Order::None ? Mode::Bytes : Mode::Utf16;
    order_ = start.order;
    pending_pos_ = start.bom;
  }

  int fd_;
  Mode mode_ = Mode::Unknown;
  Utf16Order order_ = Utf16Order::None;
  std::string pending_;  // raw bytes read ahead
  std::size_t pending_pos_ = 0;
};

// Scans one open file descriptor chunk by chunk (see Fragment::report_from/report_to).
void scan_stream(int fd, const std::string& display, SourceKind kind, Scanner& scanner, std::string& buffer) {
  TextReader reader(fd);
  Origin origin;
  origin.kind = kind;
  origin.path = display;
  buffer.resize(kChunk + 2 * kOverlap);
  std::size_t have = 0;  // bytes in buffer: carried context + new data
  std::size_t report_from = 0;
  int first_line = 1;
  bool first = true;
  for (;;) {
    // Fill the buffer (a UTF-16 reader returns a little less than asked for, so ask until it is full).
    bool eof = false;
    while (have + 4 <= buffer.size()) {
      const ssize_t n = reader.read(buffer.data() + have, buffer.size() - have);
      if (n < 0) {
        scanner.warn(display + ": read error: " + errno_text(errno));
        return;
      }
      if (n == 0) {
        eof = true;
        break;
      }
      have += static_cast<std::size_t>(n);
    }
    const std::string_view text(buffer.data(), have);
    if (first) {
      if (looks_binary(text)) {
        scanner.note(display, "skipped: binary file");
        return;
      }
      if (reader.utf16()) scanner.note(display, "read as UTF-16");
      scanner.scan_name(origin);
      first = false;
    }
    Fragment fragment;
    fragment.text = text;
    fragment.origin = origin;
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

// Returns the file's size, for the progress line (0 when it cannot be opened).
std::uint64_t scan_file(const FileToScan& file, Scanner& scanner, std::string& buffer) {
  const int fd = ::open(file.path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    scanner.warn(file.display + ": cannot open: " + errno_text(errno));
    return 0;
  }
  struct stat st;
  const std::uint64_t size =
      ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? static_cast<std::uint64_t>(st.st_size) : 0;
  scan_stream(fd, file.display, SourceKind::File, scanner, buffer);
  ::close(fd);
  return size;
}

std::string join(const std::string& dir, const char* name) {
  if (dir == ".") return name;
  if (!dir.empty() && dir.back() == '/') return dir + name;
  return dir + "/" + name;
}

// Walks a directory tree without recursion (a hostile tree can be deeper than any stack), in sorted order.
void walk(const std::string& root, Scanner& scanner, std::vector<FileToScan>& out) {
  std::vector<std::string> pending = {root};
  while (!pending.empty()) {
    const std::string dir = std::move(pending.back());
    pending.pop_back();
    DIR* d = ::opendir(dir.c_str());
    if (d == nullptr) {
      scanner.warn(dir + ": cannot read directory: " + errno_text(errno));
      continue;
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
        type = S_ISDIR(st.st_mode)   ? DT_DIR
               : S_ISREG(st.st_mode) ? DT_REG
               : S_ISLNK(st.st_mode) ? DT_LNK
                                     : DT_UNKNOWN;
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
    // Last pushed is walked first: push in reverse to walk in sorted order.
    std::sort(subdirs.rbegin(), subdirs.rend());
    for (std::string& sub : subdirs) pending.push_back(std::move(sub));
  }
}

}  // namespace

void read_paths(const std::vector<std::string>& paths, Scanner& scanner, bool progress) {
  std::vector<FileToScan> files;
  std::string buffer;
  for (const std::string& p : paths) {
    if (p == "-") {
      scan_stream(STDIN_FILENO, "(stdin)", SourceKind::Stream, scanner, buffer);
      continue;
    }
    struct stat st;
    if (::stat(p.c_str(), &st) != 0) {
      scanner.warn(p + ": " + errno_text(errno));
      continue;
    }
    if (S_ISDIR(st.st_mode)) {
      const std::size_t from = files.size();
      walk(p, scanner, files);
      // In a directory, JSON Lines files are datasets; a .json file there is usually configuration.
      for (std::size_t i = from; i < files.size(); ++i) {
        if (dataset_kind(files[i].display) == DatasetKind::JsonLines) scanner.note_dataset(files[i].display);
      }
    } else {
      files.push_back({p, p});
      if (dataset_kind(p) != DatasetKind::None) scanner.note_dataset(p);
    }
  }

  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> done{0};
  std::atomic<std::uint64_t> bytes{0};
  // Drawn by the calling thread only, and only for a scan that lasts over a second: short scans stay quiet.
  Progress line(progress, files.size(), "scan", "files", std::chrono::seconds(1));
  const std::thread::id drawer = std::this_thread::get_id();
  auto worker = [&] {
    std::string local_buffer;
    for (std::size_t i = next++; i < files.size(); i = next++) {
      bytes += scan_file(files[i], scanner, local_buffer);
      ++done;
      if (std::this_thread::get_id() == drawer) line.update(done, bytes);
    }
  };
  const unsigned threads =
      std::max(1u, std::min<unsigned>(scanner.settings().jobs, static_cast<unsigned>(files.size())));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (std::thread& t : pool) t.join();
  line.update(files.size(), bytes, true);
}

}  // namespace keygate
