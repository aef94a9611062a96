// This file implements the files source: paths, directories and stdin -> fragments. Directories are walked
// first (cheap), then files are read and scanned by `jobs` threads. Every file is streamed in overlapping
// chunks, so memory stays bounded whatever its size and a secret across a chunk boundary is seen whole.
#include <dirent.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <exception>
#include <limits>
#include <system_error>
#include <thread>

#include "archive/reader.hpp"
#include "cli/progress.hpp"
#include "core/chunk_plan.hpp"
#include "core/scanner.hpp"
#include "core/source.hpp"
#include "filter/dataset.hpp"
#include "util/utf16.hpp"

namespace keygate {
namespace {

struct FileToScan {
  std::string path;     // to open
  std::string display;  // to report
};

std::string errno_text(int err) { return std::strerror(err); }

// The name of a kernel pseudo-filesystem (its files are views of kernel state, not data: reading some
// blocks forever, consumes a log, or fails), or nullptr for a filesystem that holds files.
// devtmpfs reports tmpfs's magic: /dev is walked, and its devices are skipped as not regular files.
// (linux/magic.h of Debian 12 lacks these three.)
constexpr unsigned long kConfigfsMagic = 0x62656570, kFusectlMagic = 0x65735543, kMqueueMagic = 0x19800202;
const char* pseudo_fs_name(int fd) {
  struct statfs fs;
  if (::fstatfs(fd, &fs) != 0) return nullptr;
  switch (static_cast<unsigned long>(fs.f_type)) {
    case PROC_SUPER_MAGIC:
      return "procfs";
    case SYSFS_MAGIC:
      return "sysfs";
    case DEVPTS_SUPER_MAGIC:
      return "devpts";
    case CGROUP_SUPER_MAGIC:
      return "cgroup";
    case CGROUP2_SUPER_MAGIC:
      return "cgroup2";
    case DEBUGFS_MAGIC:
      return "debugfs";
    case TRACEFS_MAGIC:
      return "tracefs";
    case SECURITYFS_MAGIC:
      return "securityfs";
    case SELINUX_MAGIC:
      return "selinuxfs";
    case SMACK_MAGIC:
      return "smackfs";
    case BPF_FS_MAGIC:
      return "bpf";
    case PSTOREFS_MAGIC:
      return "pstore";
    case EFIVARFS_MAGIC:
      return "efivarfs";
    case kConfigfsMagic:
      return "configfs";
    case kFusectlMagic:
      return "fusectl";
    case BINFMTFS_MAGIC:
      return "binfmt_misc";
    case kMqueueMagic:
      return "mqueue";
    case NSFS_MAGIC:
      return "nsfs";
    default:
      return nullptr;
  }
}

// Why a file that is not a regular file is not read ("a FIFO"), or nullptr for a regular file.
const char* special_kind(mode_t mode) {
  if (S_ISREG(mode)) return nullptr;
  if (S_ISFIFO(mode)) return "a FIFO (reading it waits for a writer; pipe it to `keygate scan -`)";
  if (S_ISCHR(mode)) return "a character device (reading it can block or never end)";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISDIR(mode)) return "a directory";
  return "not a regular file";
}

// Largest single read() for a file whose size is unknown: /proc/sys files allocate the count asked for
// in the kernel and fail with ENOMEM when it is large (16 MB); 64 KB is a pipe's whole buffer.
constexpr std::size_t kSmallRead = 64 * 1024;

// Reads up to `want` bytes, retrying short reads, at most `max_read` per read(). Returns bytes read, or -1
// with errno set.
ssize_t read_fully(int fd, char* out, std::size_t want, std::size_t max_read) {
  std::size_t got = 0;
  while (got < want) {
    const ssize_t n = ::read(fd, out + got, std::min(want - got, max_read));
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
  // max_read: the largest single read() (SIZE_MAX for a regular file of known size).
  TextReader(int fd, std::size_t max_read) : fd_(fd), max_read_(max_read) {}

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
      const ssize_t n = read_fully(fd_, out + got, want - got, max_read_);
      return n < 0 ? -1 : static_cast<ssize_t>(got) + n;
    }
    // UTF-16: each code unit becomes at most 3 bytes of UTF-8.
    std::size_t written = 0;
    while (written + 3 <= want) {
      if (pending_pos_ + 2 > pending_.size()) {
        std::string rest = pending_.substr(pending_pos_);
        pending_.resize(64 * 1024);
        std::memcpy(pending_.data(), rest.data(), rest.size());
        const ssize_t n =
            read_fully(fd_, pending_.data() + rest.size(), pending_.size() - rest.size(), max_read_);
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
    const ssize_t n = read_fully(fd_, pending_.data(), pending_.size(), max_read_);
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
  std::size_t max_read_;
  Mode mode_ = Mode::Unknown;
  Utf16Order order_ = Utf16Order::None;
  std::string pending_;  // raw bytes read ahead
  std::size_t pending_pos_ = 0;
};

// Scans one open file descriptor chunk by chunk (see Fragment::report_from/report_to).
// max_read: as for TextReader. size: the file's size if known, else 0. `buffer` is the calling thread's,
// kept from file to file.
void scan_stream(int fd, const std::string& display, SourceKind kind, Scanner& scanner, std::string& buffer,
                 std::size_t max_read, std::size_t size) {
  TextReader reader(fd, max_read);
  Origin origin;
  origin.kind = kind;
  origin.path = display;
  // The buffer's part in use: the whole file when it fits one chunk, grown when the file turns out longer
  // (or is UTF-16). Sized for 16 MB at once, the buffer was zero-filled and faulted in for every thread
  // (a 12 MB peak for one small file); it never shrinks, so it is filled once per thread.
  constexpr std::size_t kFull = ChunkPlan::kWindow;
  std::size_t limit = std::min(kFull, std::max<std::size_t>(size + 8, 64 * 1024));
  if (buffer.size() < limit) buffer.resize(limit);
  std::size_t have = 0;  // bytes in buffer: carried context + new data
  ChunkPlan plan;
  bool first = true;
  for (;;) {
    // Fill the buffer (a UTF-16 reader returns a little less than asked for, so ask until it is full).
    bool eof = false;
    for (;;) {
      if (have + 4 > limit) {
        if (limit == kFull) break;
        limit = std::min(kFull, 2 * limit);
        if (buffer.size() < limit) buffer.resize(limit);
      }
      const ssize_t n = reader.read(buffer.data() + have, limit - have);
      if (n < 0) {
        // EAGAIN: a kernel stream opened O_NONBLOCK (tracefs trace_pipe) has nothing more without waiting.
        scanner.warn(display + (errno == EAGAIN ? ": not read to the end: it is a stream that waits for data"
                                                : ": read error: " + errno_text(errno)));
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
      // The name first: path rules report binary files (a .p12 keystore, DBeaver's credentials-config.json),
      // as the staged and history sources do.
      scanner.scan_name(origin);
      // A container (zip, tar, compressed file, ...) is read entry by entry from here on (archive/).
      if (!reader.utf16() && archive::is_container(text, scanner.settings().max_archive_depth)) {
        scanner.add(archive::read_container(fd, text, origin, scanner));
        return;
      }
      if (looks_binary(text)) {
        scanner.note(display, "skipped: binary file");
        return;
      }
      if (reader.utf16()) scanner.note(display, "read as UTF-16");
      first = false;
    }
    Fragment fragment;
    fragment.origin = origin;
    plan.place(fragment, text, eof);
    std::vector<Finding> found = scanner.detect(fragment);
    plan.make_columns_absolute(found);
    scanner.add(std::move(found));
    if (eof) return;
    // The next window starts with what this one keeps (chunk_plan.hpp).
    const std::size_t keep_from = plan.advance(text);
    std::memmove(buffer.data(), buffer.data() + keep_from, ChunkPlan::kKept);
    have = ChunkPlan::kKept;
  }
}

// Returns the file's size, for the progress line (0 when it cannot be opened).
// O_NONBLOCK: if the path became a FIFO or a device since it was listed, open() does not wait for a writer
// (it has no effect on a regular file); fstat then says what was opened, and only a regular file is read.
std::uint64_t scan_file(const FileToScan& file, Scanner& scanner, std::string& buffer) {
  const int fd = ::open(file.path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) {
    scanner.warn(file.display + ": cannot open: " + errno_text(errno));
    return 0;
  }
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    scanner.warn(file.display + ": cannot stat: " + errno_text(errno));
    ::close(fd);
    return 0;
  }
  if (const char* kind = special_kind(st.st_mode)) {
    scanner.warn(file.display + ": skipped: " + kind);
    ::close(fd);
    return 0;
  }
  // A regular file of size 0 may be a kernel file with content (procfs, sysfs): read it in small reads.
  const std::size_t max_read = st.st_size > 0 ? SIZE_MAX : kSmallRead;
  scan_stream(fd, file.display, SourceKind::File, scanner, buffer, max_read,
              static_cast<std::size_t>(st.st_size));
  ::close(fd);
  return static_cast<std::uint64_t>(st.st_size);
}

std::string join(const std::string& dir, const char* name) {
  if (dir == ".") return name;
  if (!dir.empty() && dir.back() == '/') return dir + name;
  return dir + "/" + name;
}

}  // namespace

// What listing the paths found, and what it has to say, held until a Scanner can hear it (PathListing).
struct PathListing::Listed {
  enum class Say { Warning, Note, Dataset, Stdin };
  struct Message {
    Say what;
    std::string path, text;
  };
  std::vector<std::string> paths;
  std::vector<FileToScan> files;
  std::vector<Message> messages;  // in the order the walk met them
  std::atomic<bool> stop{false};
  std::thread walker;
  std::exception_ptr failed;

  void warn(std::string text) { messages.push_back({Say::Warning, "", std::move(text)}); }
  void note(std::string path, std::string text) {
    messages.push_back({Say::Note, std::move(path), std::move(text)});
  }
  void dataset(std::string path) { messages.push_back({Say::Dataset, std::move(path), ""}); }
};

namespace {

using Listed = PathListing::Listed;

// Walks a directory tree without recursion (a hostile tree can be deeper than any stack), in sorted order.
void walk(const std::string& root, Listed& out) {
  std::vector<std::string> pending = {root};
  while (!pending.empty() && !out.stop) {
    const std::string dir = std::move(pending.back());
    pending.pop_back();
    DIR* d = ::opendir(dir.c_str());
    if (d == nullptr) {
      out.warn(dir + ": cannot read directory: " + errno_text(errno));
      continue;
    }
    // One fstatfs per directory (files cost nothing more): /proc, /sys and their kin are not walked.
    if (const char* fs = pseudo_fs_name(::dirfd(d))) {
      if (dir == root) {
        out.warn(dir + ": not walked: it is on " + fs +
                 ", a kernel pseudo-filesystem; name its files to scan them");
      } else {
        out.note(dir, std::string("not walked: ") + fs + " (a kernel pseudo-filesystem)");
      }
      ::closedir(d);
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
        type = S_ISDIR(st.st_mode)    ? DT_DIR
               : S_ISREG(st.st_mode)  ? DT_REG
               : S_ISLNK(st.st_mode)  ? DT_LNK
               : S_ISFIFO(st.st_mode) ? DT_FIFO
               : S_ISCHR(st.st_mode)  ? DT_CHR
               : S_ISBLK(st.st_mode)  ? DT_BLK
               : S_ISSOCK(st.st_mode) ? DT_SOCK
                                      : DT_UNKNOWN;
      }
      if (type == DT_DIR) {
        if (std::strcmp(name, ".git") == 0) continue;
        subdirs.push_back(std::move(path));
      } else if (type == DT_REG) {
        out.files.push_back({path, path});
      } else if (type == DT_LNK) {
        out.note(path, "skipped: symbolic link (not followed inside directories)");
      } else {
        // FIFOs, sockets and devices are never opened in a walk: reading one can wait forever.
        out.note(path, type == DT_FIFO   ? "skipped: a FIFO"
                       : type == DT_SOCK ? "skipped: a socket"
                       : type == DT_CHR  ? "skipped: a character device"
                       : type == DT_BLK  ? "skipped: a block device"
                                         : "skipped: not a regular file");
      }
    }
    ::closedir(d);
    // Last pushed is walked first: push in reverse to walk in sorted order.
    std::sort(subdirs.rbegin(), subdirs.rend());
    for (std::string& sub : subdirs) pending.push_back(std::move(sub));
  }
}

// /proc/kmsg is a regular file of size 0 that blocks and consumes what it returns: never read it.
bool is_kernel_log(const std::string& path, const struct stat& st) {
  if (st.st_size != 0) return false;  // the regular-file fast path costs nothing more
  const std::size_t slash = path.find_last_of('/');
  if (path.compare(slash == std::string::npos ? 0 : slash + 1, std::string::npos, "kmsg") != 0) return false;
  const int fd = ::open(path.c_str(), O_PATH | O_CLOEXEC);
  if (fd < 0) return false;
  const char* fs = pseudo_fs_name(fd);
  ::close(fd);
  return fs != nullptr;
}

// Lists the files of `out.paths` and what there is to say about them.
void list(Listed& out) {
  for (const std::string& p : out.paths) {
    if (p == "-") {
      out.messages.push_back({Listed::Say::Stdin, p, ""});
      continue;
    }
    struct stat st;
    if (::stat(p.c_str(), &st) != 0) {
      out.warn(p + ": " + errno_text(errno));
      continue;
    }
    if (S_ISDIR(st.st_mode)) {
      const std::size_t from = out.files.size();
      walk(p, out);
      // In a directory, JSON Lines files are datasets; a .json file there is usually configuration.
      for (std::size_t i = from; i < out.files.size(); ++i) {
        if (dataset_kind(out.files[i].display) == DatasetKind::JsonLines) out.dataset(out.files[i].display);
      }
    } else if (const char* kind = special_kind(st.st_mode)) {
      out.warn(p + ": skipped: " + kind);
    } else if (is_kernel_log(p, st)) {
      out.warn(p + ": skipped: the kernel log (reading it waits for messages and takes them from syslog)");
    } else {
      out.files.push_back({p, p});
      if (dataset_kind(p) != DatasetKind::None) out.dataset(p);
    }
  }
}

}  // namespace

PathListing::PathListing(std::vector<std::string> paths, bool background) : listed_(new Listed) {
  listed_->paths = std::move(paths);
  if (!background) {
    list(*listed_);
    return;
  }
  try {
    listed_->walker = std::thread([l = listed_.get()] {
      try {
        list(*l);
      } catch (...) {
        l->failed = std::current_exception();
      }
    });
  } catch (const std::system_error&) {
    list(*listed_);  // no thread to be had (a process limit): list here, as without `background`
  }
}

PathListing::PathListing(PathListing&&) noexcept = default;

PathListing::~PathListing() {
  if (listed_ && listed_->walker.joinable()) {
    listed_->stop = true;
    listed_->walker.join();
  }
}

void PathListing::read(Scanner& scanner, bool progress) {
  if (listed_->walker.joinable()) listed_->walker.join();
  if (listed_->failed) std::rethrow_exception(listed_->failed);
  std::string buffer;
  for (const Listed::Message& m : listed_->messages) {
    switch (m.what) {
      case Listed::Say::Warning:
        scanner.warn(m.text);
        break;
      case Listed::Say::Note:
        scanner.note(m.path, m.text);
        break;
      case Listed::Say::Dataset:
        scanner.note_dataset(m.path);
        break;
      case Listed::Say::Stdin: {
        // stdin is read even when it is a pipe or a terminal: the user chose to feed it.
        struct stat in;
        const bool sized = ::fstat(STDIN_FILENO, &in) == 0 && S_ISREG(in.st_mode) && in.st_size > 0;
        scan_stream(STDIN_FILENO, "(stdin)", SourceKind::Stream, scanner, buffer,
                    sized ? SIZE_MAX : kSmallRead, sized ? static_cast<std::size_t>(in.st_size) : 0);
        break;
      }
    }
  }
  const std::vector<FileToScan>& files = listed_->files;
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

void read_paths(const std::vector<std::string>& paths, Scanner& scanner, bool progress) {
  PathListing(paths, false).read(scanner, progress);
}

}  // namespace keygate
