// This file declares keygate's own reader of git pack files, which history uses for every tree, blob and
// commit it reads. libgit2 re-inflates a delta's whole chain on every read (it caches only chain bases),
// which on git/git (delta chains of depth 50) made inflating most of history's time; this reader keeps
// the objects it resolved, so reading the versions of a file in history order costs one inflate and one
// delta each, as `git cat-file --batch-all-objects` does. Objects that are not in a pack (loose objects,
// alternates, a quarantine) are left to libgit2: read() says "not here".
#pragma once

#include <git2.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace keygate {

// One pack and its index (v2), mapped read-only.
struct PackFile;

// The packs of an object directory. Immutable once opened: share one between threads, each with its own
// PackCursor.
class PackSet {
 public:
  // Maps every objects/pack/pack-*.idx of `objects_dir` with its .pack. A pack that cannot be used (an
  // index of another version, a short file) is skipped: its objects are read through libgit2 instead.
  explicit PackSet(const std::string& objects_dir);
  ~PackSet();
  PackSet(const PackSet&) = delete;
  PackSet& operator=(const PackSet&) = delete;

  struct Location {
    std::size_t pack;
    std::uint64_t offset;
  };
  // Where object `id` is stored, when it is in one of the packs.
  bool find(const git_oid& id, Location& where) const;
  const PackFile& pack(std::size_t i) const { return *packs_[i]; }
  std::size_t count() const { return packs_.size(); }
  // Pack `i`'s file name, "pack-<hash>.pack".
  const std::string& name(std::size_t i) const { return names_[i]; }
  // Every object of pack `i` with its offset, in pack order: reading them in this order costs each delta
  // one step when the cursor's cache holds the recent objects (git writes a delta's base before it).
  std::vector<std::pair<std::uint64_t, git_oid>> objects_in_order(std::size_t i) const;
  // The bytes of all the packs.
  std::uint64_t bytes() const;
  // Notes that `bytes` of pack data were read. Every so often the mapped pages are handed back to the
  // kernel's page cache (they fault back in on the next read): a history reads the whole pack in no
  // useful order, and would otherwise keep all of it resident. Thread-safe.
  void touched(std::size_t bytes) const;

 private:
  std::vector<std::unique_ptr<PackFile>> packs_;
  std::vector<std::string> names_;
  mutable std::atomic<std::size_t> touched_{0};
};

using ObjectData = std::shared_ptr<const std::string>;

// Reads objects from a PackSet, keeping up to `cache_bytes` of the objects it resolved (the most recently
// used) so that the next delta on them costs one step. Not thread-safe: one per thread.
class PackCursor {
 public:
  PackCursor(const PackSet& packs, std::size_t cache_bytes);
  ~PackCursor();
  PackCursor(const PackCursor&) = delete;
  PackCursor& operator=(const PackCursor&) = delete;

  // Object `id`'s content and type. Returns false when it is in none of the packs. Throws Error naming
  // the object when its pack data is damaged.
  bool read(const git_oid& id, ObjectData& data, git_object_t& type);
  // The first `n` bytes of object `id` (all of it when shorter) and its type, inflating no more than that
  // when it is stored whole. Returns false when it is in none of the packs. Throws Error as read() does.
  bool read_start(const git_oid& id, std::size_t n, std::string& out, git_object_t& type);
  // What this cursor did, for KEYGATE_TRACE: objects read, pack entries inflated and their bytes.
  struct Stats {
    std::uint64_t reads = 0, inflates = 0, inflated_bytes = 0;
  };
  const Stats& stats() const { return stats_; }
  // Object `id`'s size and type without resolving its delta chain. Returns false when it is in none of
  // the packs. Throws Error as read() does.
  bool header(const git_oid& id, std::size_t& size, git_object_t& type);

 private:
  // A resolved object's bytes. Owned by the cache, by the caller of read(), or by both; a buffer that
  // none of them holds any more is reused for a later object (see buffer()).
  using Buffer = std::shared_ptr<std::string>;
  struct Resolved {
    Buffer data;
    git_object_t type;
  };
  Resolved resolve(PackSet::Location at, const git_oid& id);
  const Resolved* cached(PackSet::Location at);
  void remember(PackSet::Location at, const Resolved& object);
  // An empty-or-stale buffer for an object of `size` bytes: a spare one of about that capacity when
  // there is one, else a new one. Reusing them saves what a fresh allocation of a large object costs
  // (malloc's mmap and the page faults of first touch, and std::string's zero fill before inflating).
  Buffer buffer(std::size_t size);
  // Keeps `b` as a spare if nothing else holds it and the spares stay within their budget.
  void recycle(Buffer b);
  // What the cache charges for an object: its size. A reused buffer's capacity is at most a quarter more
  // (buffer() picks no larger one), so the cache's memory stays within 1.25 times its limit.
  static std::size_t charge(const Buffer& b) { return b->size(); }

  struct Inflater;  // libdeflate for whole entries, zlib's stream (reset for each) for their start
  bool inflate(const PackFile& pack, std::uint64_t offset, std::size_t size, std::string& out,
               bool all = true);

  const PackSet& packs_;
  std::unique_ptr<Inflater> inflater_;
  std::size_t cache_limit_;
  std::size_t cache_bytes_ = 0;
  Stats stats_;
  struct Key {
    std::size_t pack;
    std::uint64_t offset;
    bool operator==(const Key& o) const { return pack == o.pack && offset == o.offset; }
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const { return k.offset * 31 + k.pack; }
  };
  std::list<std::pair<Key, Resolved>> lru_;  // most recently used first
  std::unordered_map<Key, std::list<std::pair<Key, Resolved>>::iterator, KeyHash> index_;
  // Scratch reused from one object to the next (one cursor reads millions): the delta chain being
  // resolved (each step's entry and zlib data), the delta being applied, a delta's start.
  struct Step {
    PackSet::Location at;
    std::uint64_t data;
    std::size_t size;
  };
  std::vector<Step> chain_;
  std::string delta_, start_;
  // The delta of the entry at `top_at_`, inflated by header() for the resolve() that most likely follows.
  std::string top_delta_;
  PackSet::Location top_at_{};
  bool top_ready_ = false;
  // The last objects read() handed out: recycled once their callers let go of them.
  std::vector<Buffer> lent_;
  std::vector<Buffer> spare_;  // buffers nothing holds, kept for their capacity
  std::size_t spare_bytes_ = 0;
};

// `id` in hex. Unlike git_oid_tostr_s, needs no libgit2 set-up (the parsers here run without it).
std::string hex_id(const git_oid& id);

// Applies git's delta `delta` to `base` (the pack format's copy and insert instructions). Returns false
// when the delta is malformed or does not fit `base`.
bool apply_delta(std::string_view base, std::string_view delta, std::string& out);

}  // namespace keygate
