// Tests for mapped_file.cpp and bytes.hpp: the one file mapping of the git-format readers, and the
// big-endian integers they read.
#include <catch2/catch.hpp>
#include <cerrno>
#include <filesystem>

#include "support/repo.hpp"
#include "util/bytes.hpp"
#include "util/mapped_file.hpp"

using namespace keygate;
using keygate::test::TempDir;
using keygate::test::write_file;

TEST_CASE("a mapped file shows its bytes and outlives the MappedFile through its owner") {
  TempDir dir;
  write_file(dir / "f", std::string("ab\0c", 4));
  std::shared_ptr<const char> owner;
  {
    MappedFile file;
    REQUIRE(file.map(dir / "f", MappedFile::Pages::All));
    CHECK(file.size() == 4);
    CHECK(file.text() == std::string_view("ab\0c", 4));
    CHECK(file.data()[1] == 'b');
    owner = file.owner();
  }
  CHECK(std::string_view(owner.get(), 4) == std::string_view("ab\0c", 4));
}

TEST_CASE("an empty file maps to nothing; a missing one fails with ENOENT") {
  TempDir dir;
  write_file(dir / "empty", "");
  MappedFile file;
  REQUIRE(file.map(dir / "empty"));
  CHECK(file.size() == 0);
  CHECK(file.data() == nullptr);
  CHECK(file.owner() == nullptr);
  errno = 0;
  CHECK_FALSE(file.map(dir / "missing"));
  CHECK(errno == ENOENT);
  std::filesystem::create_directory(dir / "d");
  CHECK_FALSE(file.map(dir / "d"));  // a directory cannot be mapped
}

TEST_CASE("big-endian integers: the first byte is the most significant") {
  const unsigned char bytes[] = {0x01, 0x02, 0x03, 0x04, 0xF5, 0x06, 0x07, 0x08};
  CHECK(be16(bytes) == 0x0102);
  CHECK(be32(bytes) == 0x01020304u);
  CHECK(be32(bytes + 4) == 0xF5060708u);
  CHECK(be64(bytes) == 0x01020304F5060708ull);
}
