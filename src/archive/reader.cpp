// This file implements the archive stage (see reader.hpp): a container is opened with libarchive through
// callbacks of keygate's own (memory, a file by pread, a stream, or an entry of the container around it),
// so that every byte read can be counted against the limits; each entry is then scanned as text, opened
// as a container in turn, read as a document part, or skipped as binary, with a note.
#include "archive/reader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>

#include "archive/document.hpp"
#include "archive/input.hpp"
#include "archive/libarchive.hpp"
#include "archive/sniff.hpp"
#include "archive/spreadsheet.hpp"
#include "core/chunk_plan.hpp"
#include "util/utf8.hpp"

namespace keygate::archive {
namespace {

// The parts of one workbook held in memory until its zip's end (archive/spreadsheet.hpp).
constexpr std::uint64_t kWorkbookBudget = 64ull << 20;

// One outermost container's reading: every level, with the budget they share.
class Reader {
 public:
  Reader(const LibArchive& lib, const Origin& outer, Scanner& scanner)
      : lib_(lib),
        outer_(outer),
        scanner_(scanner),
        limits_(limits_for(scanner.settings(), scanner.rules().config())) {}

  // Reads the container `in` (of kind `kind`, found at `chain` inside the outer file, at depth `depth`).
  void read(Input& in, Container kind, std::vector<std::string>& chain, int depth) {
    in.lib = &lib_;
    struct archive* a = lib_.read_new();
    if (a == nullptr) {
      unreadable(place(chain) + ": not scanned: libarchive cannot make a reader");
      return;
    }
    std::unique_ptr<GzipFeed> gzip;
    if (kind == Container::Zip || kind == Container::Crx) {
      lib_.format_zip(a);
    } else if (kind == Container::SevenZip) {
      lib_.format_7zip(a);
    } else {
      // Compressors only (never filter_all: it runs external programs for some formats). Gzip is
      // inflated by keygate's layer, which checks what libarchive's filter does not.
      if (kind == Container::Gzip) {
        gzip = std::make_unique<GzipFeed>(in);
      } else {
        lib_.filter_gzip(a);
      }
      lib_.filter_bzip2(a);
      lib_.filter_xz(a);
      lib_.filter_lzma(a);
      lib_.filter_zstd(a);
      lib_.filter_lz4(a);
      lib_.format_tar(a);
      lib_.format_gnutar(a);
      lib_.format_raw(a);
    }
    if (gzip) {
      lib_.set_callback_data(a, gzip.get());
      lib_.set_read_callback(a, read_gzip_feed);
    } else {
      lib_.set_callback_data(a, &in);
      lib_.set_read_callback(a, read_input);
      lib_.set_skip_callback(a, skip_input);
      if (in.in_memory || in.seekable) lib_.set_seek_callback(a, seek_input);
    }
    if (lib_.open1(a) != ARCHIVE_OK) {
      unreadable(place(chain) + ": not scanned: cannot read it as " + container_name(kind) + ": " +
                 failure(in, a));
      lib_.read_free(a);
      return;
    }
    // A zip may be a workbook: its sheets are scanned once every part they need has been read.
    Workbook book;
    Workbook* const outer_book = book_;
    book_ = kind == Container::Zip ? &book : nullptr;
    const bool whole = read_entries(a, in, kind, chain, depth);
    if (gzip && whole) check_gzip_end(*gzip, in, chain);
    lib_.read_free(a);
    book_ = outer_book;
    for (const SheetText& sheet : book.texts()) scan_sheet(sheet, chain);
  }

  std::vector<Finding> take() { return std::move(found_); }

  // An archive, or a part of one, that could not be read: the scan is incomplete, unless the config says
  // [archive] unreadable = "pass"; then it is said all the same, on every run.
  void unreadable(const std::string& message) { say_unreadable(limits_, scanner_, message); }

 private:
  std::string place(const std::vector<std::string>& chain) const {
    std::string out = outer_.path;
    for (const std::string& p : chain) out.append("!").append(p);
    return out;
  }

  std::string failure(const Input& in, struct archive* a) const {
    if (!in.error_text.empty()) return in.error_text;
    if (in.error != 0) return std::strerror(in.error);
    return a != nullptr ? error_text(lib_, a) : "the input could not be read";
  }

  // Reads every entry; true iff the container's end was reached with no limit stopping the reading.
  bool read_entries(struct archive* a, Input& in, Container kind, std::vector<std::string>& chain,
                    int depth) {
    const std::uint64_t expanded_before = expanded_;
    for (;;) {
      if (stopped_) return false;
      struct archive_entry* entry = nullptr;
      const int rc = lib_.next_header(a, &entry);
      if (rc == ARCHIVE_EOF) return true;
      if (rc == ARCHIVE_FATAL || rc == ARCHIVE_RETRY || entry == nullptr) {
        // The entry before was cut by this same failure (a compressed stream's): it is said once.
        if (failed_entry_ && failure(in, a) == entry_failure_) return false;
        const std::string why = failure(in, a);
        // A 7z whose header is encrypted (7z -mhe) is not damaged: it cannot be read without its password.
        const bool encrypted = why.find("encrypted") != std::string::npos;
        unreadable(place(chain) +
                   (encrypted ? ": not scanned: it is encrypted: "
                              : ": truncated or corrupt " + std::string(container_name(kind)) +
                                    " archive, read only in part: ") +
                   why);
        return false;
      }
      if (++entries_ > limits_.max_entries) {
        scanner_.warn(place(chain) + ": more than " + std::to_string(limits_.max_entries) +
                      " entries; the rest is not scanned (archive entry limit)");
        stopped_ = true;
        return false;
      }
      const char* raw_path = lib_.entry_pathname(entry);
      std::string path = raw_path != nullptr ? raw_path : "";
      if (lib_.format(a) == ARCHIVE_FORMAT_RAW) {
        path = raw_entry_name(chain.empty() ? outer_.path : chain.back());
      } else if (path.empty()) {
        path = "(unnamed entry " + std::to_string(entries_) + ")";
      }
      if (path.size() > limits_.max_path) {
        scanner_.warn(place(chain) + "!" + path.substr(0, 64) + "...: not scanned: its path is " +
                      std::to_string(path.size()) + " bytes long (limit " + std::to_string(limits_.max_path) +
                      ")");
        continue;
      }
      chain.push_back(path);
      read_entry(a, in, entry, chain, depth, rc == ARCHIVE_WARN);
      chain.pop_back();
      if (!stopped_ && expanded_ - expanded_before > limits_.ratio_floor) {
        const std::uint64_t size = std::max<std::uint64_t>({in.size, in.memory.size(), in.consumed, 1});
        if ((expanded_ - expanded_before) / size > limits_.max_ratio) bomb(chain, size);
      }
    }
  }

  // A tar ends at its end-of-archive blocks, before the gzip trailer that holds the CRC-32: what is left
  // of the gzip stream is inflated (and counted against the limits) so that the check is made.
  void check_gzip_end(GzipFeed& gzip, Input& in, const std::vector<std::string>& chain) {
    std::uint64_t drained = 0;
    for (;;) {
      const std::ptrdiff_t n = gzip.gunzip.read(gzip.out.data(), gzip.out.size());
      if (n == 0) return;
      if (n < 0) {
        if (!gzip.gunzip.error().empty()) in.error_text = gzip.gunzip.error();
        const std::string why = failure(in, nullptr);
        if (failed_entry_ && why == entry_failure_) return;  // the last entry's warning said it
        unreadable(place(chain) + ": truncated or corrupt gzip archive, read only in part: " + why);
        return;
      }
      drained += static_cast<std::uint64_t>(n);
      expanded_ += static_cast<std::uint64_t>(n);
      const std::uint64_t size = std::max<std::uint64_t>({in.size, in.memory.size(), in.consumed, 1});
      if (expanded_ > limits_.max_expanded_bytes ||
          (drained > limits_.ratio_floor && drained / size > limits_.max_ratio)) {
        scanner_.warn(place(chain) + ": stopped: the gzip data after its archive's end expands past the " +
                      "archive limits; its CRC-32 is not checked");
        stopped_ = true;
        return;
      }
    }
  }

  void bomb(const std::vector<std::string>& chain, std::uint64_t size) {
    scanner_.warn(place(chain) + ": stopped: it expands to over " + std::to_string(limits_.max_ratio) +
                  " times its size (" + std::to_string(size) +
                  " bytes), like a decompression bomb; the rest is not scanned (archive ratio limit)");
    stopped_ = true;
  }

  // Reads up to `want` more bytes of the current entry into `out`; false at its end, on an error (warned)
  // or when a limit stops the reading (warned).
  bool pull(struct archive* a, Input& in, std::string& out, std::size_t want,
            const std::vector<std::string>& chain, std::uint64_t& entry_bytes) {
    const std::size_t start = out.size();
    out.resize(start + want);
    std::size_t got = 0;
    while (got < want) {
      const la_ssize_t n = lib_.read_data(a, out.data() + start + got, want - got);
      if (n == 0) break;
      if (n < 0) {
        out.resize(start + got);
        entry_failure_ = failure(in, a);
        unreadable(place(chain) + ": truncated or corrupt entry, read only in part: " + entry_failure_);
        failed_entry_ = true;
        return false;
      }
      got += static_cast<std::size_t>(n);
      expanded_ += static_cast<std::uint64_t>(n);
      entry_bytes += static_cast<std::uint64_t>(n);
      if (expanded_ > limits_.max_expanded_bytes) {
        out.resize(start + got);
        scanner_.warn(place(chain) + ": stopped: the archive expands to over " +
                      std::to_string(limits_.max_expanded_bytes) +
                      " bytes; the rest is not scanned (archive size limit)");
        stopped_ = true;
        return false;
      }
      // A single entry that expands without end (a bomb made of one entry) is cut while it is read.
      if (entry_bytes > limits_.ratio_floor) {
        const std::uint64_t size = std::max<std::uint64_t>({in.size, in.memory.size(), in.consumed, 1});
        if (entry_bytes / size > limits_.max_ratio) {
          out.resize(start + got);
          bomb(chain, size);
          return false;
        }
      }
    }
    out.resize(start + got);
    return got == want;
  }

  void read_entry(struct archive* a, Input& in, struct archive_entry* entry, std::vector<std::string>& chain,
                  int depth, bool header_warned) {
    const std::string& path = chain.back();
    const std::string where = place(chain);
    if (escapes(path)) scanner_.note(where, "entry path leaves the extraction directory (zip-slip); scanned");
    const auto type = lib_.entry_filetype(entry);
    if (type == AE_IFDIR) return;
    if (type == AE_IFLNK) {
      const char* target = lib_.entry_symlink(entry);
      scanner_.note(where, std::string("symbolic link to ") + (target ? target : "?") + ": not followed");
      return;
    }
    if (lib_.entry_hardlink(entry) != nullptr &&
        (!lib_.entry_size_is_set(entry) || lib_.entry_size(entry) == 0)) {
      scanner_.note(where, std::string("hard link to ") + lib_.entry_hardlink(entry) + ": scanned there");
      return;
    }
    if (type != 0 && type != AE_IFREG) {
      scanner_.note(where, "skipped: not a regular file");
      return;
    }
    if (lib_.entry_is_encrypted(entry)) {
      unreadable(where + ": not scanned: the entry is encrypted");
      return;
    }
    if (header_warned) scanner_.note(where, "libarchive: " + error_text(lib_, a));
    Origin origin;
    origin.kind = outer_.kind;
    origin.path = path;
    origin.commit = outer_.commit;
    adopt(scanner_.detect_name(origin), chain);

    failed_entry_ = false;
    std::uint64_t entry_bytes = 0;
    std::string head;
    const bool more = pull(a, in, head, 8000, chain, entry_bytes);
    if (failed_entry_ || stopped_) return;
    const Container nested = sniff(head);
    if (nested != Container::None) {
      if (depth + 1 > limits_.max_depth) {
        scanner_.warn(where + ": " + container_name(nested) + " archive not opened: it is " +
                      std::to_string(depth + 1) + " levels deep (archive depth limit " +
                      std::to_string(limits_.max_depth) + ")");
        return;
      }
      open_nested(a, in, entry, nested, head, more, chain, depth, entry_bytes);
      return;
    }
    const DocumentPart part = document_part(path);
    const bool held = book_ != nullptr && Workbook::holds(path);
    if (part != DocumentPart::None || held) {
      std::string xml = std::move(head);
      while (more && xml.size() < limits_.max_in_memory && pull(a, in, xml, kBlock, chain, entry_bytes)) {
      }
      if (failed_entry_ || stopped_) return;
      if (xml.size() >= limits_.max_in_memory) {
        scanner_.note(
            where, "document part over " + std::to_string(limits_.max_in_memory) + " bytes: scanned as XML");
        scan_text(a, in, origin, chain, std::move(xml), true, entry_bytes);
        return;
      }
      // A workbook's parts wait for the zip's end (within a budget: past it, a sheet is read by rows).
      if (held && book_->bytes() + xml.size() <= kWorkbookBudget) {
        if (part == DocumentPart::None) adopt(scanner_.detect_text(xml, origin), chain);  // workbook.xml
        book_->hold(path, std::move(xml));
        return;
      }
      if (path == "content.xml" && is_ods_content(xml)) {
        std::vector<std::string> at(chain.begin(), chain.end() - 1);
        for (Sheet& sheet : ods_sheets(xml)) {
          scan_sheet({path, std::move(sheet.name), std::move(sheet.cells), ""}, at);
        }
        return;
      }
      const std::string text = part == DocumentPart::None ? std::move(xml) : document_text(xml, part);
      std::vector<Finding> found = scanner_.detect_text(text, origin);
      adopt(std::move(found), chain);
      return;
    }
    if (looks_binary(head)) {
      // A single compressed file is its one entry, and its data's check comes at the end: it is read
      // through, so that corruption (which also makes text look binary) is said, not skipped unseen.
      if (lib_.format(a) == ARCHIVE_FORMAT_RAW) {
        std::string rest;
        bool going = more;
        while (going) {
          rest.clear();
          going = pull(a, in, rest, kBlock, chain, entry_bytes);
        }
        if (failed_entry_ || stopped_) return;
      }
      scanner_.note(where, "skipped: binary entry");
      return;
    }
    scan_text(a, in, origin, chain, std::move(head), more, entry_bytes);
  }

  // Scans the entry as text, streamed through windows as the files source does (chunk_plan.hpp).
  void scan_text(struct archive* a, Input& in, const Origin& origin, const std::vector<std::string>& chain,
                 std::string window, bool more, std::uint64_t& entry_bytes) {
    ChunkPlan plan;
    for (;;) {
      while (more && window.size() < ChunkPlan::kWindow) {
        more = pull(a, in, window, std::min(kBlock, ChunkPlan::kWindow - window.size()), chain, entry_bytes);
      }
      if (failed_entry_ || stopped_) more = false;  // what was read is still scanned; the warning is said
      Fragment fragment;
      fragment.origin = origin;
      plan.place(fragment, window, !more);
      std::vector<Finding> found = scanner_.detect(fragment);
      plan.make_columns_absolute(found);
      adopt(std::move(found), chain);
      if (!more) return;
      window.erase(0, plan.advance(window));
    }
  }

  void open_nested(struct archive* a, Input& in, struct archive_entry* entry, Container kind,
                   std::string head, bool more, std::vector<std::string>& chain, int depth,
                   std::uint64_t& entry_bytes) {
    const bool small = lib_.entry_size_is_set(entry) &&
                       static_cast<std::uint64_t>(lib_.entry_size(entry)) <= limits_.max_in_memory;
    Input inner;
    if (small || !more) {
      std::string bytes = std::move(head);
      while (more && bytes.size() <= limits_.max_in_memory &&
             pull(a, in, bytes, kBlock, chain, entry_bytes)) {
      }
      if (failed_entry_ || stopped_) return;
      if (bytes.size() <= limits_.max_in_memory || !more) {
        std::size_t from = 0;
        if (kind == Container::Crx && (from = crx_zip_offset(bytes)) == 0) {
          unreadable(place(chain) + ": not scanned: not a CRX file (its header is damaged)");
          return;
        }
        inner.in_memory = true;
        inner.memory = std::string_view(bytes).substr(from);
        read(inner, kind == Container::Crx ? Container::Zip : kind, chain, depth + 1);
        return;
      }
      head = std::move(bytes);  // larger than said: streamed on, with what was read first
    }
    if (kind == Container::Crx) {
      const std::size_t from = crx_zip_offset(head);
      if (from == 0) {
        unreadable(place(chain) + ": not scanned: its CRX header is damaged or over " +
                   std::to_string(head.size()) + " bytes");
        return;
      }
      head.erase(0, from);
      kind = Container::Zip;
    }
    inner.parent = a;
    inner.prefix = std::move(head);
    read(inner, kind, chain, depth + 1);
    // What the nested reader left of the entry is read past by libarchive at the next header.
  }

  // Scans a sheet's cells (or a workbook's unused shared strings) found in the container at `chain`; each
  // finding is placed at the cell (`chain`!Sheet1!B7, line = row) or the shared string's line.
  void scan_sheet(const SheetText& sheet, const std::vector<std::string>& chain) {
    Origin origin;
    origin.kind = outer_.kind;
    origin.path = sheet.part;
    origin.commit = outer_.commit;
    std::vector<std::string> at = chain;
    const std::string text = sheet.text.empty() ? cells_text(sheet.cells) : sheet.text;
    for (Finding& f : scanner_.detect_text(text, origin)) {
      const std::size_t index = static_cast<std::size_t>(std::max(f.line, 1) - 1);
      if (sheet.sheet.empty() || index >= sheet.cells.size()) {
        at.push_back(sheet.part);
      } else {
        const Cell& cell = sheet.cells[index];
        at.push_back(cell_place(sheet.sheet, cell));
        f.line = f.end_line = std::max<int>(1, static_cast<int>(std::min<std::uint32_t>(cell.row, 1u << 30)));
      }
      std::vector<Finding> one;
      one.push_back(std::move(f));
      adopt(std::move(one), at);
      at.pop_back();
    }
  }

  // Places findings of the entry at `chain` inside the outer file.
  void adopt(std::vector<Finding> found, const std::vector<std::string>& chain) {
    for (Finding& f : found) {
      f.kind = outer_.kind;
      f.file = outer_.path;
      f.inner = chain;
      f.commit = outer_.commit;
      found_.push_back(std::move(f));
    }
  }

  const LibArchive& lib_;
  const Origin& outer_;
  Scanner& scanner_;
  Limits limits_;
  std::vector<Finding> found_;
  std::uint64_t expanded_ = 0;
  std::uint64_t entries_ = 0;
  bool stopped_ = false;       // a limit of the whole reading was reached: nothing more is read
  bool failed_entry_ = false;  // the current entry could not be read to its end
  Workbook* book_ = nullptr;   // the workbook parts of the zip being read (nullptr: not a zip)
  std::string entry_failure_;  // why, as failure() said it
};

}  // namespace

void say_unreadable(const Limits& limits, Scanner& scanner, const std::string& message) {
  if (limits.unreadable == UnreadableArchive::Fail) {
    scanner.warn(message);
    return;
  }
  std::fprintf(stderr, "keygate: note: %s ([archive] unreadable = \"pass\": not an incomplete scan)\n",
               escape_control(message).c_str());
}

namespace {

const LibArchive* library_or_warn(const Origin& outer, Scanner& scanner) {
  std::string why;
  const LibArchive* lib = libarchive(&why);
  if (lib == nullptr) scanner.warn(outer.path + ": archive not scanned: " + why);
  return lib;
}

std::vector<Finding> read_with(Input& in, Container kind, const Origin& outer, Scanner& scanner) {
  const LibArchive* lib = library_or_warn(outer, scanner);
  if (lib == nullptr) return {};
  Reader reader(*lib, outer, scanner);
  std::vector<std::string> chain;
  reader.read(in, kind == Container::Crx ? Container::Zip : kind, chain, 1);
  return reader.take();
}

}  // namespace

Limits limits_for(const ScanSettings& settings, const Config& config) {
  Limits limits;
  limits.max_depth = settings.max_archive_depth;
  const ArchiveSpec& spec = config.archive;
  limits.max_expanded_bytes = spec.max_expanded_bytes.value_or(limits.max_expanded_bytes);
  limits.max_ratio = spec.max_ratio.value_or(limits.max_ratio);
  limits.max_entries = spec.max_entries.value_or(limits.max_entries);
  limits.max_path = static_cast<std::size_t>(spec.max_path_length.value_or(limits.max_path));
  limits.unreadable = spec.unreadable.value_or(limits.unreadable);
  return limits;
}

ScanSettings with_archive_config(ScanSettings settings, std::optional<int> depth_option,
                                 const Config& config) {
  settings.max_archive_depth = depth_option.value_or(config.archive.max_depth.value_or(kDefaultArchiveDepth));
  return settings;
}

bool is_container(std::string_view head, int max_depth) {
  return max_depth > 0 && sniff(head) != Container::None;
}

std::vector<Finding> read_container(std::string_view bytes, const Origin& outer, Scanner& scanner) {
  Container kind = sniff(bytes.substr(0, 8000));
  Input in;
  in.in_memory = true;
  in.memory = bytes;
  if (kind == Container::Crx) {
    const std::size_t from = crx_zip_offset(bytes);
    if (from == 0) {
      say_unreadable(limits_for(scanner.settings(), scanner.rules().config()), scanner,
                     outer.path + ": not scanned: not a CRX file (its header is damaged)");
      return {};
    }
    in.memory = bytes.substr(from);
  }
  scanner.note(outer.path, std::string("read as a ") + container_name(kind) + " archive");
  return read_with(in, kind, outer, scanner);
}

std::vector<Finding> read_container(int fd, std::string_view head, const Origin& outer, Scanner& scanner) {
  const Container kind = sniff(head.substr(0, 8000));
  Input in;
  in.fd = fd;
  struct stat st;
  const off_t after_head = ::lseek(fd, 0, SEEK_CUR);
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && after_head >= static_cast<off_t>(head.size()) &&
      st.st_size >= after_head) {
    // A regular file (stdin redirected from one may start anywhere in it): the container starts where
    // `head` was read from.
    in.seekable = true;
    in.base = static_cast<std::uint64_t>(after_head) - head.size();
    in.size = static_cast<std::uint64_t>(st.st_size) - in.base;
  } else {
    in.prefix = std::string(head);
  }
  if (kind == Container::Crx) {
    const std::size_t from = crx_zip_offset(head);
    if (from == 0) {
      say_unreadable(
          limits_for(scanner.settings(), scanner.rules().config()), scanner,
          outer.path + ": not scanned: its CRX header is damaged or longer than what was read first");
      return {};
    }
    if (in.seekable) {
      in.base += from;
      in.size -= std::min<std::uint64_t>(in.size, from);
    } else {
      in.prefix.erase(0, from);
    }
  }
  scanner.note(outer.path, std::string("read as a ") + container_name(kind) + " archive");
  return read_with(in, kind, outer, scanner);
}

}  // namespace keygate::archive
