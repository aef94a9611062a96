// This file declares the libarchive edge of the archive stage (archive/): the functions keygate calls,
// loaded with dlopen on first use, so that a run that meets no archive (the pre-commit hook, nearly
// always) never pays for loading libarchive and its compression libraries. libarchive's errors are
// converted to text here, once.
#pragma once

#include <archive.h>
#include <archive_entry.h>

#include <string>

namespace keygate::archive {

// The libarchive functions keygate calls, resolved once (archive_read_* and archive_entry_*).
struct LibArchive {
  decltype(&::archive_read_new) read_new;
  decltype(&::archive_read_free) read_free;
  decltype(&::archive_read_support_filter_gzip) filter_gzip;
  decltype(&::archive_read_support_filter_bzip2) filter_bzip2;
  decltype(&::archive_read_support_filter_xz) filter_xz;
  decltype(&::archive_read_support_filter_lzma) filter_lzma;
  decltype(&::archive_read_support_filter_zstd) filter_zstd;
  decltype(&::archive_read_support_filter_lz4) filter_lz4;
  decltype(&::archive_read_support_format_zip) format_zip;
  decltype(&::archive_read_support_format_tar) format_tar;
  decltype(&::archive_read_support_format_gnutar) format_gnutar;
  decltype(&::archive_read_support_format_7zip) format_7zip;
  decltype(&::archive_read_support_format_raw) format_raw;
  decltype(&::archive_read_set_read_callback) set_read_callback;
  decltype(&::archive_read_set_seek_callback) set_seek_callback;
  decltype(&::archive_read_set_skip_callback) set_skip_callback;
  decltype(&::archive_read_set_callback_data) set_callback_data;
  decltype(&::archive_read_open1) open1;
  decltype(&::archive_read_open_memory) open_memory;
  decltype(&::archive_read_next_header) next_header;
  decltype(&::archive_read_data) read_data;
  decltype(&::archive_error_string) error_string;
  decltype(&::archive_format) format;
  decltype(&::archive_format_name) format_name;
  decltype(&::archive_filter_count) filter_count;
  decltype(&::archive_filter_code) filter_code;
  decltype(&::archive_entry_pathname) entry_pathname;
  decltype(&::archive_entry_filetype) entry_filetype;
  decltype(&::archive_entry_size_is_set) entry_size_is_set;
  decltype(&::archive_entry_size) entry_size;
  decltype(&::archive_entry_is_encrypted) entry_is_encrypted;
  decltype(&::archive_entry_symlink) entry_symlink;
  decltype(&::archive_entry_hardlink) entry_hardlink;
};

// The loaded library, or nullptr when libarchive.so.13 cannot be loaded or lacks a function; then `why`
// says what is missing. Thread-safe; the library is loaded at most once per process.
const LibArchive* libarchive(std::string* why);

// libarchive's message for the last failure on `a` ("unknown error" when it gives none).
std::string error_text(const LibArchive& lib, struct archive* a);

}  // namespace keygate::archive
