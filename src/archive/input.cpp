// This file implements the inputs of the archive stage's reader (see input.hpp).
#include "archive/input.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>

namespace keygate::archive {

la_ssize_t read_input(struct archive*, void* data, const void** out) {
  Input& in = *static_cast<Input*>(data);
  if (in.in_memory) {
    const std::size_t at = static_cast<std::size_t>(std::min<std::uint64_t>(in.pos, in.memory.size()));
    const std::size_t n = std::min(kBlock, in.memory.size() - at);
    *out = in.memory.data() + at;
    in.pos += n;
    in.consumed += n;
    return static_cast<la_ssize_t>(n);
  }
  if (in.prefix_at < in.prefix.size()) {
    const std::size_t n = std::min(kBlock, in.prefix.size() - in.prefix_at);
    *out = in.prefix.data() + in.prefix_at;
    in.prefix_at += n;
    in.pos += n;
    in.consumed += n;
    return static_cast<la_ssize_t>(n);
  }
  in.buffer.resize(kBlock);
  la_ssize_t n = 0;
  if (in.parent != nullptr) {
    n = in.lib->read_data(in.parent, in.buffer.data(), in.buffer.size());
    if (n < 0) return ARCHIVE_FATAL;
  } else {
    for (;;) {
      n = in.seekable
              ? ::pread(in.fd, in.buffer.data(), in.buffer.size(), static_cast<off_t>(in.base + in.pos))
              : ::read(in.fd, in.buffer.data(), in.buffer.size());
      if (n >= 0 || errno != EINTR) break;
    }
    if (n < 0) {
      in.error = errno;
      return ARCHIVE_FATAL;
    }
  }
  *out = in.buffer.data();
  in.pos += static_cast<std::uint64_t>(n);
  in.consumed += static_cast<std::uint64_t>(n);
  return n;
}

la_int64_t seek_input(struct archive*, void* data, la_int64_t offset, int whence) {
  Input& in = *static_cast<Input*>(data);
  const std::uint64_t size = in.in_memory ? in.memory.size() : in.size;
  la_int64_t target = offset;
  if (whence == SEEK_CUR) target += static_cast<la_int64_t>(in.pos);
  if (whence == SEEK_END) target += static_cast<la_int64_t>(size);
  if (target < 0) return ARCHIVE_FATAL;
  in.pos = std::min<std::uint64_t>(static_cast<std::uint64_t>(target), size);
  return static_cast<la_int64_t>(in.pos);
}

la_int64_t skip_input(struct archive*, void* data, la_int64_t request) {
  Input& in = *static_cast<Input*>(data);
  if (!in.in_memory && !in.seekable) return 0;  // libarchive reads and drops instead
  const std::uint64_t size = in.in_memory ? in.memory.size() : in.size;
  const std::uint64_t skip =
      std::min<std::uint64_t>(static_cast<std::uint64_t>(request), size - std::min(size, in.pos));
  in.pos += skip;
  return static_cast<la_int64_t>(skip);
}

GzipFeed::GzipFeed(Input& raw_input)
    : raw(raw_input), gunzip([this]() -> std::optional<std::string_view> {
        const void* block = nullptr;
        const la_ssize_t n = read_input(nullptr, &raw, &block);
        if (n < 0) return std::nullopt;
        return std::string_view(static_cast<const char*>(block), static_cast<std::size_t>(n));
      }) {}

la_ssize_t read_gzip_feed(struct archive*, void* data, const void** out) {
  GzipFeed& feed = *static_cast<GzipFeed*>(data);
  const std::ptrdiff_t n = feed.gunzip.read(feed.out.data(), feed.out.size());
  if (n < 0) {
    if (!feed.gunzip.error().empty()) feed.raw.error_text = feed.gunzip.error();
    return ARCHIVE_FATAL;
  }
  *out = feed.out.data();
  return static_cast<la_ssize_t>(n);
}

std::string raw_entry_name(const std::string& container_name) {
  const std::size_t slash = container_name.rfind('/');
  std::string name = slash == std::string::npos ? container_name : container_name.substr(slash + 1);
  for (const char* suffix : {".gz", ".bz2", ".xz", ".zst", ".lz4", ".lzma", ".z", ".GZ"}) {
    const std::size_t n = std::strlen(suffix);
    if (name.size() > n && name.compare(name.size() - n, n, suffix) == 0)
      return name.substr(0, name.size() - n);
  }
  if (name.size() > 4 && name.compare(name.size() - 4, 4, ".tgz") == 0)
    return name.substr(0, name.size() - 4) + ".tar";
  // No suffix to drop (a renamed file, stdin): the entry is the file's content.
  return name == "(stdin)" ? "(decompressed)" : name + " (decompressed)";
}

bool escapes(std::string_view path) {
  if (!path.empty() && (path[0] == '/' || path[0] == '\\')) return true;
  if (path.size() >= 2 && path[1] == ':') return true;  // C:...
  std::size_t from = 0;
  while (from <= path.size()) {
    std::size_t end = path.find_first_of("/\\", from);
    if (end == std::string_view::npos) end = path.size();
    if (path.substr(from, end - from) == "..") return true;
    from = end + 1;
  }
  return false;
}

}  // namespace keygate::archive
