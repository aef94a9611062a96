// This file implements keygate's pack reader (see pack_reader.hpp) from git's documented formats: the
// pack index v2 (fan-out table, sorted ids, offsets with a 64-bit extension) and pack entries (a type and
// size header, zlib data, deltas against an earlier offset or an object id).
#include "git/pack_reader.hpp"

#include <libdeflate.h>
#include <sys/mman.h>
#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <limits>

#include "core/error.hpp"
#include "util/bytes.hpp"
#include "util/mapped_file.hpp"

namespace keygate {

namespace {

constexpr int kOfsDelta = 6;
constexpr int kRefDelta = 7;

}  // namespace

struct PackFile {
  MappedFile index, pack;
  std::uint32_t objects = 0;
  const unsigned char* fanout = nullptr;
  const unsigned char* ids = nullptr;
  const unsigned char* offsets = nullptr;
  const unsigned char* large_offsets = nullptr;
  std::size_t large_count = 0;

  // Checks the index's layout against its size; false for anything but a well-formed v2 index.
  bool open(const std::string& idx_path, const std::string& pack_path) {
    if (!index.map(idx_path) || !pack.map(pack_path)) return false;
    const unsigned char* p = index.data();
    const std::size_t size = index.size();
    if (size < 8 + 256 * 4 + 40 || std::memcmp(p, "\377tOc", 4) != 0 || be32(p + 4) != 2) return false;
    fanout = p + 8;
    for (int i = 1; i < 256; ++i) {
      if (be32(fanout + 4 * i) < be32(fanout + 4 * (i - 1))) return false;
    }
    objects = be32(fanout + 255 * 4);
    const std::size_t fixed = 8 + 256 * 4 + std::size_t{objects} * (20 + 4 + 4);
    if (size < fixed + 40) return false;
    ids = fanout + 256 * 4;
    offsets = ids + std::size_t{objects} * (20 + 4);  // past the ids and their CRCs
    large_offsets = offsets + std::size_t{objects} * 4;
    large_count = (size - fixed - 40) / 8;
    return pack.size() >= 12 + 20 && std::memcmp(pack.data(), "PACK", 4) == 0;
  }

  // The offset of the i-th object (in id order); 0 when the index is inconsistent.
  std::uint64_t offset(std::uint32_t i) const {
    const std::uint32_t small = be32(offsets + 4 * std::size_t{i});
    if ((small & 0x80000000u) == 0) return small;
    const std::size_t k = small & 0x7fffffffu;
    if (k >= large_count) return 0;
    const unsigned char* q = large_offsets + 8 * k;
    return (std::uint64_t{be32(q)} << 32) | be32(q + 4);
  }
};

PackSet::PackSet(const std::string& objects_dir) {
  std::error_code ec;
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(objects_dir + "/pack", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.size() > 4 && name.compare(name.size() - 4, 4, ".idx") == 0) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) {
    const std::string base = objects_dir + "/pack/" + name.substr(0, name.size() - 4);
    auto pack = std::make_unique<PackFile>();
    if (pack->open(base + ".idx", base + ".pack")) {
      packs_.push_back(std::move(pack));
      names_.push_back(name.substr(0, name.size() - 4) + ".pack");
    }
  }
}

std::vector<std::pair<std::uint64_t, git_oid>> PackSet::objects_in_order(std::size_t i) const {
  const PackFile& pack = *packs_[i];
  std::vector<std::pair<std::uint64_t, git_oid>> objects(pack.objects);
  for (std::uint32_t k = 0; k < pack.objects; ++k) {
    objects[k].first = pack.offset(k);
    std::memcpy(objects[k].second.id, pack.ids + 20 * std::size_t{k}, 20);
  }
  std::sort(objects.begin(), objects.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return objects;
}

PackSet::~PackSet() = default;

std::uint64_t PackSet::bytes() const {
  std::uint64_t total = 0;
  for (const auto& pack : packs_) total += pack->pack.size();
  return total;
}

void PackSet::touched(std::size_t bytes) const {
  constexpr std::size_t kResident = 16u << 20;
  const std::size_t before = touched_.fetch_add(bytes, std::memory_order_relaxed);
  if (before < kResident && before + bytes >= kResident) {
    for (const auto& pack : packs_) {
      ::madvise(const_cast<unsigned char*>(pack->pack.data()), pack->pack.size(), MADV_DONTNEED);
    }
    touched_.fetch_sub(before + bytes, std::memory_order_relaxed);
  }
}

bool PackSet::find(const git_oid& id, Location& where) const {
  const unsigned char first = id.id[0];
  for (std::size_t p = 0; p < packs_.size(); ++p) {
    const PackFile& pack = *packs_[p];
    std::uint32_t lo = first == 0 ? 0 : be32(pack.fanout + 4 * (first - 1));
    std::uint32_t hi = be32(pack.fanout + 4 * first);
    while (lo < hi) {
      const std::uint32_t mid = lo + (hi - lo) / 2;
      const int c = std::memcmp(pack.ids + 20 * std::size_t{mid}, id.id, 20);
      if (c == 0) {
        where = {p, pack.offset(mid)};
        return where.offset >= 12 && where.offset < pack.pack.size();
      }
      if (c < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
  }
  return false;
}

namespace {

// A pack entry's header, read at `offset`.
struct Entry {
  int type = 0;
  std::size_t size = 0;                    // of the object, or of the delta's instructions
  std::uint64_t data = 0;                  // where the zlib data starts
  std::uint64_t base_offset = 0;           // kOfsDelta
  const unsigned char* base_id = nullptr;  // kRefDelta
};

bool read_entry(const PackFile& pack, std::uint64_t offset, Entry& e) {
  const unsigned char* p = pack.pack.data();
  const std::uint64_t end = pack.pack.size() - 20;  // the trailing checksum
  std::uint64_t at = offset;
  if (at >= end) return false;
  unsigned c = p[at++];
  e.type = (c >> 4) & 7;
  std::uint64_t size = c & 15;
  for (int shift = 4; c & 0x80; shift += 7) {
    if (at >= end || shift > 57) return false;
    c = p[at++];
    size |= std::uint64_t{c & 0x7f} << shift;
  }
  e.size = static_cast<std::size_t>(size);
  if (e.type == kOfsDelta) {
    if (at >= end) return false;
    c = p[at++];
    std::uint64_t back = c & 0x7f;
    while (c & 0x80) {
      if (at >= end || back > (std::uint64_t{1} << 56)) return false;
      c = p[at++];
      back = ((back + 1) << 7) | (c & 0x7f);
    }
    if (back == 0 || back > offset) return false;
    e.base_offset = offset - back;
  } else if (e.type == kRefDelta) {
    if (end - at < 20) return false;
    e.base_id = p + at;
    at += 20;
  } else if (e.type < 1 || e.type > 4) {
    return false;
  }
  e.data = at;
  return at < end;
}

std::size_t delta_varint(std::string_view delta, std::size_t& at, bool& ok) {
  std::size_t value = 0;
  for (int shift = 0;; shift += 7) {
    if (at >= delta.size() || shift > 56) {
      ok = false;
      return 0;
    }
    const unsigned char c = static_cast<unsigned char>(delta[at++]);
    value |= std::size_t{c & 0x7fu} << shift;
    if ((c & 0x80) == 0) return value;
  }
}

}  // namespace

std::string hex_id(const git_oid& id) {
  char text[GIT_OID_HEXSZ];
  git_oid_fmt(text, &id);
  return std::string(text, GIT_OID_HEXSZ);
}

bool apply_delta(std::string_view base, std::string_view delta, std::string& out) {
  std::size_t at = 0;
  bool ok = true;
  const std::size_t base_size = delta_varint(delta, at, ok);
  const std::size_t result_size = delta_varint(delta, at, ok);
  if (!ok || base_size != base.size() || result_size > (std::size_t{1} << 40)) return false;
  out.clear();
  // The size a delta announces is not trusted with memory: what it can really produce is bounded by what
  // it copies and inserts, and a result larger than this guess grows as it is written.
  out.reserve(std::min(result_size, base.size() + delta.size()));
  while (at < delta.size()) {
    const unsigned char c = static_cast<unsigned char>(delta[at++]);
    if (c & 0x80) {
      std::size_t offset = 0, size = 0;
      for (int i = 0; i < 4; ++i) {
        if (c & (1u << i)) {
          if (at >= delta.size()) return false;
          offset |= std::size_t{static_cast<unsigned char>(delta[at++])} << (8 * i);
        }
      }
      for (int i = 0; i < 3; ++i) {
        if (c & (0x10u << i)) {
          if (at >= delta.size()) return false;
          size |= std::size_t{static_cast<unsigned char>(delta[at++])} << (8 * i);
        }
      }
      if (size == 0) size = 0x10000;
      if (offset > base.size() || size > base.size() - offset || size > result_size - out.size())
        return false;
      out.append(base.data() + offset, size);
    } else if (c != 0) {
      if (c > delta.size() - at || c > result_size - out.size()) return false;
      out.append(delta.data() + at, c);
      at += c;
    } else {
      return false;  // reserved
    }
  }
  return out.size() == result_size;
}

struct PackCursor::Inflater {
  z_stream z{};  // for the start of an entry: libdeflate inflates whole streams only
  bool ready = false;
  libdeflate_decompressor* whole = nullptr;
  ~Inflater() {
    if (ready) inflateEnd(&z);
    if (whole != nullptr) libdeflate_free_decompressor(whole);
  }
};

PackCursor::PackCursor(const PackSet& packs, std::size_t cache_bytes)
    : packs_(packs), inflater_(std::make_unique<Inflater>()), cache_limit_(cache_bytes) {}

PackCursor::~PackCursor() = default;

// Inflates the zlib data at `offset` of `pack` into `out`: exactly `size` bytes (the size the entry header
// promised), or with `all` false as many of them as come first (a delta's header).
bool PackCursor::inflate(const PackFile& pack, std::uint64_t offset, std::size_t size, std::string& out,
                         bool all) {
  out.resize(size);
  ++stats_.inflates;
  stats_.inflated_bytes += size;
  const unsigned char* in = pack.pack.data() + offset;
  const std::uint64_t available = pack.pack.size() - offset;
  // A zlib header: deflate with a window of at most 32 KB, no preset dictionary, a valid check.
  if (available < 2 || (in[0] & 0x0f) != 8 || (in[0] >> 4) > 7 || (in[1] & 0x20) != 0 ||
      ((in[0] << 8) | in[1]) % 31 != 0) {
    return false;
  }
  if (all) {
    // Raw deflate: the trailing Adler-32 is not computed (the exact size check catches a damaged stream;
    // checksumming was a twentieth of history's inflating).
    if (inflater_->whole == nullptr) inflater_->whole = libdeflate_alloc_decompressor();
    if (inflater_->whole == nullptr) throw std::bad_alloc();
    std::size_t read = 0, written = 0;
    const libdeflate_result rc = libdeflate_deflate_decompress_ex(
        inflater_->whole, in + 2, static_cast<std::size_t>(available - 2), out.data(), size, &read, &written);
    packs_.touched(read + 4096);  // at least the page it read
    return rc == LIBDEFLATE_SUCCESS && written == size;
  }
  z_stream& z = inflater_->z;
  if (!inflater_->ready) {
    if (inflateInit2(&z, -MAX_WBITS) != Z_OK) return false;
    inflater_->ready = true;
  } else if (inflateReset(&z) != Z_OK) {
    return false;
  }
  z.next_in = const_cast<Bytef*>(in + 2);
  z.avail_in = static_cast<uInt>(std::min<std::uint64_t>(available - 2, 1u << 30));
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(size);
  const int rc = ::inflate(&z, Z_SYNC_FLUSH);
  packs_.touched(z.total_in + 4096);
  out.resize(z.total_out);
  return rc == Z_OK || rc == Z_STREAM_END || rc == Z_BUF_ERROR;
}

const PackCursor::Resolved* PackCursor::cached(PackSet::Location at) {
  const auto it = index_.find(Key{at.pack, at.offset});
  if (it == index_.end()) return nullptr;
  lru_.splice(lru_.begin(), lru_, it->second);
  return &it->second->second;
}

void PackCursor::remember(PackSet::Location at, const Resolved& object) {
  const std::size_t size = charge(object.data);
  if (size > cache_limit_ / 4 || index_.count(Key{at.pack, at.offset}) != 0) return;
  lru_.emplace_front(Key{at.pack, at.offset}, object);
  index_.emplace(Key{at.pack, at.offset}, lru_.begin());
  cache_bytes_ += size;
  while (cache_bytes_ > cache_limit_ && !lru_.empty()) {
    cache_bytes_ -= charge(lru_.back().second.data);
    index_.erase(lru_.back().first);
    recycle(std::move(lru_.back().second.data));
    lru_.pop_back();
  }
}

namespace {

// Smaller buffers are left to malloc, whose bins serve them cheaply; larger ones are what it maps afresh
// and what first touch faults in page by page.
constexpr std::size_t kMinSpare = 16u << 10;
constexpr std::size_t kMaxSpares = 16;
// header() inflates a delta whole (for resolve() to use) up to this size; a larger one only its start.
constexpr std::size_t kPreinflateBytes = 1u << 20;

// Reads the result size a delta announces (its second number) into `size`; false when it cannot.
bool delta_result_size(std::string_view delta, std::size_t& size) {
  std::size_t at = 0;
  bool ok = true;
  delta_varint(delta, at, ok);
  size = delta_varint(delta, at, ok);
  return ok;
}

}  // namespace

PackCursor::Buffer PackCursor::buffer(std::size_t size) {
  // The best fit, and not one much larger than needed: the cache charges an object's size, and its
  // memory may exceed that only by the quarter allowed here.
  std::size_t best = spare_.size();
  for (std::size_t i = 0; i < spare_.size(); ++i) {
    const std::size_t capacity = spare_[i]->capacity();
    if (capacity >= size && capacity - size <= size / 4 &&
        (best == spare_.size() || capacity < spare_[best]->capacity())) {
      best = i;
    }
  }
  if (best == spare_.size()) return std::make_shared<std::string>();
  Buffer out = std::move(spare_[best]);
  spare_.erase(spare_.begin() + static_cast<std::ptrdiff_t>(best));
  spare_bytes_ -= out->capacity();
  // Its old bytes stay: resizing within them (inflate) writes no zeros first, and apply_delta clears it.
  return out;
}

void PackCursor::recycle(Buffer b) {
  if (!b || b.use_count() != 1) return;  // the cache or a caller still reads it
  const std::size_t capacity = b->capacity();
  // Spares are memory nobody uses: at most a quarter of the cache's (16 MB for a cache-less cursor).
  const std::size_t budget = std::max<std::size_t>(cache_limit_ / 4, 16u << 20);
  if (capacity < kMinSpare || capacity > budget) return;
  while (!spare_.empty() && (spare_bytes_ + capacity > budget || spare_.size() >= kMaxSpares)) {
    spare_bytes_ -= spare_.front()->capacity();
    spare_.erase(spare_.begin());
  }
  spare_bytes_ += capacity;
  spare_.push_back(std::move(b));
}

PackCursor::Resolved PackCursor::resolve(PackSet::Location at, const git_oid& id) {
  const auto damaged = [&id](const char* what) {
    return Error(std::string("cannot read object ") + hex_id(id) + ": " + what);
  };
  // Down the chain to an object that is cached or whole, then up again applying each delta.
  chain_.clear();
  Resolved base;
  for (PackSet::Location where = at;;) {
    if (const Resolved* hit = cached(where)) {
      base = *hit;
      break;
    }
    if (chain_.size() > 10000) throw damaged("delta chain too long");
    const PackFile& pack = packs_.pack(where.pack);
    Entry e;
    if (!read_entry(pack, where.offset, e)) throw damaged("malformed pack entry");
    if (e.type == kOfsDelta) {
      chain_.push_back(Step{where, e.data, e.size});
      where.offset = e.base_offset;
    } else if (e.type == kRefDelta) {
      chain_.push_back(Step{where, e.data, e.size});
      git_oid base_id;
      std::memcpy(base_id.id, e.base_id, 20);
      if (!packs_.find(base_id, where)) throw damaged("delta base not in a pack");
    } else {
      Buffer data = buffer(e.size);
      if (!inflate(pack, e.data, e.size, *data)) throw damaged("cannot inflate");
      base = Resolved{std::move(data), static_cast<git_object_t>(e.type)};
      if (!chain_.empty()) remember(where, base);
      break;
    }
  }
  for (auto it = chain_.rbegin(); it != chain_.rend(); ++it) {
    // The entry header() inflated already (the same pack bytes, so the same delta) is not inflated again.
    const bool ready = top_ready_ && top_at_.pack == it->at.pack && top_at_.offset == it->at.offset;
    if (!ready && !inflate(packs_.pack(it->at.pack), it->data, it->size, delta_)) {
      throw damaged("cannot inflate delta");
    }
    const std::string& delta = ready ? top_delta_ : delta_;
    std::size_t result_size = 0;
    delta_result_size(delta, result_size);
    Buffer data = buffer(result_size);
    if (!apply_delta(*base.data, delta, *data)) throw damaged("malformed delta");
    Resolved next{std::move(data), base.type};
    recycle(std::move(base.data));  // a step the cache did not keep
    base = std::move(next);
    // An object resolved from a delta is what the next version's delta most likely needs.
    remember(it->at, base);
  }
  top_ready_ = false;
  return base;
}

bool PackCursor::read(const git_oid& id, ObjectData& data, git_object_t& type) {
  PackSet::Location at;
  if (!packs_.find(id, at)) return false;
  ++stats_.reads;
  // What earlier callers have let go of is reused from now on.
  for (Buffer& lent : lent_) {
    if (lent.use_count() == 1) recycle(std::move(lent));
  }
  std::erase_if(lent_, [](const Buffer& b) { return !b; });
  constexpr std::size_t kMaxLent = 16;  // past that the oldest is simply freed when its caller is done
  if (lent_.size() >= kMaxLent) lent_.erase(lent_.begin());
  Resolved r = resolve(at, id);
  if (r.data->capacity() >= kMinSpare) lent_.push_back(r.data);
  data = std::move(r.data);
  type = r.type;
  return true;
}

bool PackCursor::read_start(const git_oid& id, std::size_t n, std::string& out, git_object_t& type) {
  PackSet::Location at;
  if (!packs_.find(id, at)) return false;
  Entry e;
  if (cached(at) == nullptr && read_entry(packs_.pack(at.pack), at.offset, e) && e.type >= 1 && e.type <= 4) {
    // A small entry is inflated whole by libdeflate, then cut: zlib's stream, which can stop early, costs
    // more to set up (its reset and Huffman tables) than the rest of a commit costs to inflate. Should the
    // whole entry not inflate, its start is tried alone, as before.
    constexpr std::size_t kSmallEntry = 4096;
    if (n < e.size && e.size <= kSmallEntry && inflate(packs_.pack(at.pack), e.data, e.size, out)) {
      out.resize(n);
      type = static_cast<git_object_t>(e.type);
      return true;
    }
    if (!inflate(packs_.pack(at.pack), e.data, std::min(n, e.size), out, n >= e.size)) {
      throw Error(std::string("cannot read object ") + hex_id(id) + ": cannot inflate");
    }
    type = static_cast<git_object_t>(e.type);
    return true;
  }
  ObjectData whole;
  if (!read(id, whole, type)) return false;
  out.assign(*whole, 0, std::min(n, whole->size()));
  return true;
}

bool PackCursor::header(const git_oid& id, std::size_t& size, git_object_t& type) {
  PackSet::Location at;
  if (!packs_.find(id, at)) return false;
  if (const Resolved* hit = cached(at)) {
    size = hit->data->size();
    type = hit->type;
    return true;
  }
  const auto damaged = [&id](const char* what) {
    return Error(std::string("cannot read object ") + hex_id(id) + ": " + what);
  };
  // A delta's result size is the second number of its instructions (inflate just their start); its type
  // is its chain's base's, found by following the entry headers alone.
  bool size_known = false;
  for (int depth = 0;; ++depth) {
    Entry e;
    if (depth > 10000 || !read_entry(packs_.pack(at.pack), at.offset, e))
      throw damaged("malformed pack entry");
    if (e.type != kOfsDelta && e.type != kRefDelta) {
      if (!size_known) size = e.size;
      type = static_cast<git_object_t>(e.type);
      return true;
    }
    if (!size_known) {
      // The object is most likely read next (history asks for the size to check it against the limit):
      // its delta is inflated whole now, once, and kept for resolve(). Setting up zlib's stream to
      // inflate only the start cost as much as inflating a typical delta whole.
      top_ready_ = false;  // top_delta_ is about to be written over
      if (e.size <= kPreinflateBytes && inflate(packs_.pack(at.pack), e.data, e.size, top_delta_)) {
        top_at_ = at;
        top_ready_ = true;
        size_known = delta_result_size(top_delta_, size);
      }
      if (!size_known) {
        bool ok = inflate(packs_.pack(at.pack), e.data, std::min<std::size_t>(e.size, 32), start_, false);
        std::size_t pos = 0;
        delta_varint(start_, pos, ok);
        size = delta_varint(start_, pos, ok);
        if (!ok) throw damaged("malformed delta");
        size_known = true;
      }
    }
    if (e.type == kOfsDelta) {
      at.offset = e.base_offset;
    } else {
      git_oid base_id;
      std::memcpy(base_id.id, e.base_id, 20);
      if (!packs_.find(base_id, at)) throw damaged("delta base not in a pack");
    }
  }
}

}  // namespace keygate
