// This file implements keygate's one way to map a whole file into memory read-only: the git-format readers
// (git/index_file.cpp, git/pack_reader.cpp) parse index and pack files in place through it. Only files
// that are replaced by rename, never written in place, are mapped, so the bytes cannot change under a reader.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace keygate {

// A read-only mapping of a whole file, unmapped when the last of this object and the owners it gave out
// is gone.
class MappedFile {
 public:
  // Which pages map() faults in now.
  enum class Pages {
    OnDemand,  // only those that are read (a reader that stops after the first entries)
    All,       // every one (MAP_POPULATE: a reader that reads them all)
  };

  // Maps the whole of `path`, replacing what this object mapped before. Returns false, with errno set, when
  // the file cannot be opened, examined or mapped (a missing file: ENOENT). An empty file maps to nothing
  // (data() null, size() 0) and returns true.
  bool map(const std::string& path, Pages pages = Pages::OnDemand);

  const unsigned char* data() const { return reinterpret_cast<const unsigned char*>(bytes_.get()); }
  std::size_t size() const { return size_; }
  std::string_view text() const { return std::string_view(bytes_.get(), size_); }
  // Keeps the bytes mapped for as long as it lives (null when nothing is mapped).
  const std::shared_ptr<const char>& owner() const { return bytes_; }

 private:
  std::shared_ptr<const char> bytes_;
  std::size_t size_ = 0;
};

}  // namespace keygate
