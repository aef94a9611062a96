// This file declares the archive stage: a container's bytes -> the fragments of its entries, pushed into
// the Scanner as a source pushes a file's. Sources (source/files.cpp, staged, history, objects) ask
// is_container() before they would skip content as binary; what they hand over is opened with libarchive
// (archive/libarchive.hpp, loaded on first use), its entries read and scanned, nested containers opened
// in turn to --max-archive-depth, documents (OOXML, OpenDocument) read as their text (document.hpp).
// Every finding is placed at the outer path and the inner path(s): Finding::file and Finding::inner.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "core/finding.hpp"
#include "core/scanner.hpp"

namespace keygate::archive {

// What bounds the reading of one outermost container (all its levels together). Reaching a bound stops
// what it bounds with a one-line warning naming the place (outer!inner): the scan is incomplete.
struct Limits {
  int max_depth = kDefaultArchiveDepth;  // containers opened inside each other: 1 opens the file only; 0 none
  std::uint64_t max_expanded_bytes = kDefaultArchiveExpandedBytes;  // bytes read out of entries, all levels
  // A container may expand to this many times its own size ...
  std::uint64_t max_ratio = kDefaultArchiveRatio;
  // ... once it has expanded past this much (small texts of repeated lines compress far better).
  std::uint64_t ratio_floor = 16ull << 20;
  std::uint64_t max_entries = kDefaultArchiveEntries;  // entries, all levels together
  std::size_t max_path = kDefaultArchivePathLength;    // bytes of one entry's path
  std::uint64_t max_in_memory = 16ull << 20;           // a nested container up to this size is read whole
  // An archive that cannot be read whole: a warning (incomplete scan), or with Pass a note always shown.
  UnreadableArchive unreadable = UnreadableArchive::Fail;
};

// The limits a run uses: the config's [archive] over the defaults, the depth of
// ScanSettings::max_archive_depth (with_archive_config put the config's there unless the command line set
// it).
Limits limits_for(const ScanSettings& settings, const Config& config);

// `settings` with the archive depth a run uses: `depth_option` (--max-archive-depth) when given, else the
// config's [archive] max_depth, else kDefaultArchiveDepth. Sources read it (is_container) before they
// reach the archive stage, so the command line and the push checks call this once per Config.
ScanSettings with_archive_config(ScanSettings settings, std::optional<int> depth_option,
                                 const Config& config);

// Says that an archive (or a part of it) could not be read: Scanner::warn (incomplete) under
// UnreadableArchive::Fail; under Pass a note on stderr that every run shows.
void say_unreadable(const Limits& limits, Scanner& scanner, const std::string& message);

// True iff `head` (the first bytes of a file, blob or entry; 512 suffice) starts a container that a run
// with `max_depth` opens (archive/sniff.hpp). Costs a few byte comparisons.
bool is_container(std::string_view head, int max_depth);

// Reads the container `bytes` found at `outer` and scans each entry; returns the findings, each with
// `file` = outer.path, `inner` = the path of each level inside, `kind` and `commit` as outer's. The
// findings are not yet passed on: the caller adds them (Scanner::add) or compares them first (history).
// What cannot be read goes to scanner.warn, what is skipped on purpose to scanner.note.
std::vector<Finding> read_container(std::string_view bytes, const Origin& outer, Scanner& scanner);

// The same for a container read from `fd`, of which the caller has already read `head` (the file's
// first bytes; fd's offset is just past them). A regular file is read with pread (its offset is left
// alone); anything else (stdin, a pipe) is read on from its offset.
std::vector<Finding> read_container(int fd, std::string_view head, const Origin& outer, Scanner& scanner);

}  // namespace keygate::archive
