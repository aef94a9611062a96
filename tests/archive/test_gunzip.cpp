// Tests for archive/gunzip.cpp: gzip inflated with each member's CRC-32 and length checked, members
// joined, trailing padding ignored, and damage or truncation said, never passed on as data.
#include <catch2/catch.hpp>

#include "archive/containers.hpp"
#include "archive/gunzip.hpp"

using namespace keygate::archive;
using keygate::test::make_gzip;

namespace {

// Inflates `gz` fed in blocks of `block` bytes: the bytes out, and the error (empty when whole).
std::pair<std::string, std::string> gunzip(const std::string& gz, std::size_t block = 7) {
  std::size_t at = 0;
  Gunzip g([&]() -> std::optional<std::string_view> {
    const std::string_view next = std::string_view(gz).substr(at, block);
    at += next.size();
    return next;
  });
  std::string out;
  char buf[5];
  for (;;) {
    const std::ptrdiff_t n = g.read(buf, sizeof buf);
    if (n < 0) return {out, g.error()};
    if (n == 0) return {out, ""};
    out.append(buf, static_cast<std::size_t>(n));
  }
}

}  // namespace

TEST_CASE("Gunzip: one member, two members and padding after them read whole") {
  const std::string text = "line one\nline two\n";
  CHECK(gunzip(make_gzip(text)) == std::pair<std::string, std::string>{text, ""});
  CHECK(gunzip(make_gzip(text) + make_gzip("more\n"), 3).first == text + "more\n");
  CHECK(gunzip(make_gzip(text) + std::string(1024, '\0')).second.empty());
}

TEST_CASE("Gunzip: a header with extra field, name, comment and header CRC is read past") {
  const std::string plain = make_gzip("named\n");  // libdeflate writes no optional field: 10 header bytes
  std::string header = plain.substr(0, 10);
  header[3] = 4 | 8 | 16 | 2;  // FEXTRA, FNAME, FCOMMENT, FHCRC
  header += std::string(
                "\x03\x00"
                "abc",
                5) +
            std::string("name.txt\0", 9) + std::string("a comment\0", 10) + "hc";
  CHECK(gunzip(header + plain.substr(10), 4) == std::pair<std::string, std::string>{"named\n", ""});
  CHECK(gunzip("\x1f\x8b\x07" + plain.substr(3)).second == "not gzip data");
  CHECK(gunzip(header.substr(0, 20)).second == "gzip data ends before its last member does (truncated)");
}

TEST_CASE("Gunzip: a wrong CRC-32, a wrong length and a cut trailer are each said") {
  const std::string whole = make_gzip(std::string(5000, 'k'));
  std::string crc = whole;
  crc[crc.size() - 8] ^= 1;
  CHECK(gunzip(crc).second == "gzip CRC-32 mismatch: the data is corrupt");
  std::string length = whole;
  length[length.size() - 1] ^= 1;
  CHECK(gunzip(length).second == "gzip length mismatch: the data is corrupt");
  CHECK(gunzip(whole.substr(0, whole.size() - 3)).second ==
        "gzip data ends before its last member does (truncated)");
  CHECK(gunzip(whole.substr(0, 12)).second.find("truncated") != std::string::npos);
}

TEST_CASE("Gunzip: a failed read is a failure with the reader's reason, not the data's end") {
  Gunzip g([]() -> std::optional<std::string_view> { return std::nullopt; });
  char buf[16];
  CHECK(g.read(buf, sizeof buf) == -1);
  CHECK(g.error().empty());
}
