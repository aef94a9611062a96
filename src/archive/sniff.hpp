// This file declares how the archive stage recognises a container by its first bytes (magic numbers), not
// its name: a source asks before it would skip a file as binary, so a renamed .jar or an extension-less
// backup is still opened. Pure byte tests: it loads nothing and costs a few comparisons per file.
#pragma once

#include <cstddef>
#include <string_view>

namespace keygate::archive {

enum class Container {
  None,
  Zip,       // zip and its family: jar, war, ear, apk, aab, whl, nupkg, vsix, xpi, epub, docx/xlsx/pptx,
             // odt/ods/odp
  Crx,       // a Chrome extension: a zip after a "Cr24" header
  Tar,       // a tar header (ustar or older), checksum checked
  Gzip,      // gzip (a .tar.gz, or one compressed file)
  Bzip2,     // bzip2
  Xz,        // xz
  Zstd,      // Zstandard
  Lz4,       // LZ4 frame
  SevenZip,  // 7z
};

// The container `head` (the first bytes of a file or entry; 512 are enough) starts, or None.
Container sniff(std::string_view head);

// A short name for messages ("zip", "tar", "gzip", ...).
const char* container_name(Container c);

// Where the zip inside a CRX file starts, or 0 when `bytes` is not a whole CRX header (version 2 or 3).
std::size_t crx_zip_offset(std::string_view bytes);

}  // namespace keygate::archive
