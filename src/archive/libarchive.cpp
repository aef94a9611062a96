// This file implements the libarchive edge (see libarchive.hpp): dlopen of libarchive.so.13 on the first
// archive met. Linking it would load libarchive and its six compression libraries at every start of the
// pre-commit hook (and a static build would have to carry them all).
#include "archive/libarchive.hpp"

#include <dlfcn.h>

#include <mutex>

#include "util/shared_library.hpp"

namespace keygate::archive {

const LibArchive* libarchive(std::string* why) {
  static std::once_flag once;
  static LibArchive lib{};
  static std::string failure;
  std::call_once(once, [] {
    void* library = ::dlopen("libarchive.so.13", RTLD_NOW | RTLD_LOCAL);
    if (library == nullptr) {
      const char* err = ::dlerror();
      failure = std::string("reading archives needs libarchive (Debian package libarchive13): ") +
                (err ? err : "cannot load libarchive.so.13");
      return;
    }
    std::string& w = failure;
    resolve_symbol(library, "archive_read_new", lib.read_new, w, "libarchive");
    resolve_symbol(library, "archive_read_free", lib.read_free, w, "libarchive");
    resolve_symbol(library, "archive_read_support_filter_gzip", lib.filter_gzip, w, "libarchive");
    resolve_symbol(library, "archive_read_support_filter_bzip2", lib.filter_bzip2, w, "libarchive");
    resolve_symbol(library, "archive_read_support_filter_xz", lib.filter_xz, w, "libarchive");
    resolve_symbol(library, "archive_read_support_filter_lzma", lib.filter_lzma, w, "libarchive");
    resolve_symbol(library, "archive_read_support_filter_zstd", lib.filter_zstd, w, "libarchive");
    resolve_symbol(library, "archive_read_support_filter_lz4", lib.filter_lz4, w, "libarchive");
    resolve_symbol(library, "archive_read_support_format_zip", lib.format_zip, w, "libarchive");
    resolve_symbol(library, "archive_read_support_format_tar", lib.format_tar, w, "libarchive");
    resolve_symbol(library, "archive_read_support_format_gnutar", lib.format_gnutar, w, "libarchive");
    resolve_symbol(library, "archive_read_support_format_7zip", lib.format_7zip, w, "libarchive");
    resolve_symbol(library, "archive_read_support_format_raw", lib.format_raw, w, "libarchive");
    resolve_symbol(library, "archive_read_set_read_callback", lib.set_read_callback, w, "libarchive");
    resolve_symbol(library, "archive_read_set_seek_callback", lib.set_seek_callback, w, "libarchive");
    resolve_symbol(library, "archive_read_set_skip_callback", lib.set_skip_callback, w, "libarchive");
    resolve_symbol(library, "archive_read_set_callback_data", lib.set_callback_data, w, "libarchive");
    resolve_symbol(library, "archive_read_open1", lib.open1, w, "libarchive");
    resolve_symbol(library, "archive_read_open_memory", lib.open_memory, w, "libarchive");
    resolve_symbol(library, "archive_read_next_header", lib.next_header, w, "libarchive");
    resolve_symbol(library, "archive_read_data", lib.read_data, w, "libarchive");
    resolve_symbol(library, "archive_error_string", lib.error_string, w, "libarchive");
    resolve_symbol(library, "archive_format", lib.format, w, "libarchive");
    resolve_symbol(library, "archive_format_name", lib.format_name, w, "libarchive");
    resolve_symbol(library, "archive_filter_count", lib.filter_count, w, "libarchive");
    resolve_symbol(library, "archive_filter_code", lib.filter_code, w, "libarchive");
    resolve_symbol(library, "archive_entry_pathname", lib.entry_pathname, w, "libarchive");
    resolve_symbol(library, "archive_entry_filetype", lib.entry_filetype, w, "libarchive");
    resolve_symbol(library, "archive_entry_size_is_set", lib.entry_size_is_set, w, "libarchive");
    resolve_symbol(library, "archive_entry_size", lib.entry_size, w, "libarchive");
    resolve_symbol(library, "archive_entry_is_encrypted", lib.entry_is_encrypted, w, "libarchive");
    resolve_symbol(library, "archive_entry_symlink", lib.entry_symlink, w, "libarchive");
    resolve_symbol(library, "archive_entry_hardlink", lib.entry_hardlink, w, "libarchive");
  });
  if (!failure.empty()) {
    if (why) *why = failure;
    return nullptr;
  }
  return &lib;
}

std::string error_text(const LibArchive& lib, struct archive* a) {
  const char* text = lib.error_string(a);
  return text != nullptr && *text != '\0' ? text : "unknown error";
}

}  // namespace keygate::archive
