// Tests for archive/sniff.cpp: containers are recognised by their first bytes, whatever their name, and
// text never is.
#include <catch2/catch.hpp>

#include "archive/containers.hpp"
#include "archive/sniff.hpp"

using namespace keygate::archive;
using namespace keygate::test;

TEST_CASE("sniff: each container kind by its magic bytes") {
  CHECK(sniff(make_zip({{"a", "b"}})) == Container::Zip);
  CHECK(sniff(make_tar({{"a", "b"}})) == Container::Tar);
  CHECK(sniff(make_gzip("text")) == Container::Gzip);
  CHECK(sniff(std::string("BZh91AY&SY") + std::string(8, '\0')) == Container::Bzip2);
  CHECK(sniff(std::string("\xfd"
                          "7zXZ\0\0\0",
                          8)) == Container::Xz);
  CHECK(sniff("\x28\xb5\x2f\xfd\x00\x00") == Container::Zstd);
  CHECK(sniff("7z\xbc\xaf\x27\x1c\x00\x04") == Container::SevenZip);
  CHECK(sniff("Cr24\x03\x00\x00\x00") == Container::Crx);
}

TEST_CASE("sniff: text, short input and a damaged tar header are not containers") {
  CHECK(sniff("") == Container::None);
  CHECK(sniff("PK") == Container::None);
  CHECK(sniff("key = value\n") == Container::None);
  std::string tar = make_tar({{"a", "b"}});
  tar[0] = 'b';  // the checksum no longer matches
  CHECK(sniff(tar) == Container::None);
  std::string text(600, 'x');
  text.replace(257, 5, "ustar");
  CHECK(sniff(text) == Container::None);
}

TEST_CASE("crx_zip_offset: the zip after a version 3 header, 0 for a damaged one") {
  std::string crx = "Cr24";
  put_le(crx, 3, 4);
  put_le(crx, 5, 4);
  crx += "hello" + make_zip({{"a", "b"}});
  CHECK(crx_zip_offset(crx) == 17);
  CHECK(crx_zip_offset(crx.substr(0, 14)) == 0);
  CHECK(crx_zip_offset("Cr24\x09\x00\x00\x00........") == 0);
}
