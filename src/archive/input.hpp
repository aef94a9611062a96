// This file declares the inputs of the archive stage's reader (reader.cpp): where a container's bytes come
// from (memory, a file read with pread, a stream, an entry of the container around it, or any of these
// through keygate's gzip layer) as the callbacks libarchive pulls them through, counting every byte; and
// two facts about entry names.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "archive/gunzip.hpp"
#include "archive/libarchive.hpp"

namespace keygate::archive {

// The size of one read from an input, and of the reader's own reads from an entry.
inline constexpr std::size_t kBlock = 64 * 1024;

// Where a container's bytes come from; libarchive pulls them through the callbacks below.
struct Input {
  const LibArchive* lib = nullptr;
  std::string_view memory;  // the whole container, when it is in memory
  bool in_memory = false;
  int fd = -1;                       // a file or stream
  bool seekable = false;             // fd is a regular file, read with pread from `base`
  std::uint64_t base = 0;            // where the container starts in the file (a CRX's zip)
  std::uint64_t size = 0;            // the container's size, when known (0: unknown)
  struct archive* parent = nullptr;  // a nested container streamed out of its container's entry
  std::string prefix;                // bytes already read from a stream, served first
  std::size_t prefix_at = 0;
  std::uint64_t pos = 0;       // the next byte to read, from the container's start
  std::uint64_t consumed = 0;  // bytes handed to libarchive so far
  std::string buffer;
  int error = 0;           // errno of a failed read
  std::string error_text;  // or what else failed (the gzip layer's check)
};

// libarchive's read, seek and skip callbacks over an Input (`data`).
la_ssize_t read_input(struct archive*, void* data, const void** out);
la_int64_t seek_input(struct archive*, void* data, la_int64_t offset, int whence);
la_int64_t skip_input(struct archive*, void* data, la_int64_t request);

// A gzip container's bytes, inflated and checked by keygate's own layer (gunzip.hpp) before libarchive
// sees them: its gzip filter would not notice a wrong CRC-32.
struct GzipFeed {
  explicit GzipFeed(Input& raw_input);
  Input& raw;
  Gunzip gunzip;
  std::string out = std::string(kBlock, '\0');
};

// libarchive's read callback over a GzipFeed (`data`); a failure's reason goes to its Input's error_text.
la_ssize_t read_gzip_feed(struct archive*, void* data, const void** out);

// The name an entry of a single compressed file gets: the outer name without its compression suffix
// ("app.env.gz" -> "app.env", "x.tgz" -> "x.tar"); "(decompressed)" after a name without one.
std::string raw_entry_name(const std::string& container_name);

// True iff `path` would be written outside the directory it is extracted into (zip-slip): absolute, a
// drive letter, or a ".." component.
bool escapes(std::string_view path);

}  // namespace keygate::archive
