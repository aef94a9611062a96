// Tests for index_file.cpp: indexes written by git itself (versions 2, 3 and 4, with and without a
// cache-tree) read the same as libgit2 reads them; malformed bytes are refused, never a crash.
#include <catch2/catch.hpp>
#include <cstdio>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "git/index_file.hpp"
#include "support/repo.hpp"

using namespace keygate;
using namespace keygate::test;

namespace {

// A repository made with the git CLI, with a few nested files committed and one more staged.
std::string make_repo(const TempDir& dir, int version) {
  const std::string repo = dir / "r";
  REQUIRE(run_shell(
              "git init -q '" + repo + "' && cd '" + repo +
              "' && mkdir -p a/b c && echo 1 > a/b/one && echo 2 > a/two && echo 3 > c/three && echo 4 > top "
              "&& git add -A && git -c user.name=t -c user.email=t@t commit -qm x && echo 5 > a/new && git "
              "add a/new"
              " && git update-index --index-version " +
              std::to_string(version)) == 0);
  return repo;
}

void check_against_libgit2(const std::string& repo_dir, const IndexFile& index) {
  git_repository* repo = nullptr;
  REQUIRE(git_repository_open(&repo, repo_dir.c_str()) == 0);
  git_index* lib = nullptr;
  REQUIRE(git_repository_index(&lib, repo) == 0);
  REQUIRE(index.entries.size() == git_index_entrycount(lib));
  for (std::size_t i = 0; i < index.entries.size(); ++i) {
    const git_index_entry* e = git_index_get_byindex(lib, i);
    CHECK(index.entries[i].path == e->path);
    CHECK(git_oid_equal(&index.entries[i].id, &e->id));
    CHECK(index.entries[i].mode == e->mode);
  }
  git_index_free(lib);
  git_repository_free(repo);
}

}  // namespace

TEST_CASE("indexes of versions 2, 3 and 4 are read like libgit2 reads them") {
  git_libgit2_init();
  for (int version : {2, 3, 4}) {
    INFO("version " << version);
    TempDir dir;
    const std::string repo = make_repo(dir, version);
    const auto index = read_index_file(repo + "/.git/index");
    REQUIRE(index.has_value());
    check_against_libgit2(repo, *index);
  }
}

TEST_CASE("the cache-tree is read: unchanged directories are valid, changed ones are not") {
  TempDir dir;
  const std::string repo = make_repo(dir, 2);
  const auto index = read_index_file(repo + "/.git/index");
  REQUIRE(index.has_value());
  REQUIRE(index->cache_tree.has_value());
  const CacheTreeNode& root = *index->cache_tree;
  CHECK(root.entry_count < 0);  // a/new was added
  REQUIRE(root.child("c") != nullptr);
  CHECK(root.child("c")->entry_count == 1);
  REQUIRE(root.child("a") != nullptr);
  CHECK(root.child("a")->entry_count < 0);
  REQUIRE(root.child("a")->child("b") != nullptr);
  CHECK(root.child("a")->child("b")->entry_count == 1);
}

TEST_CASE("a missing index is empty; malformed bytes are refused") {
  TempDir dir;
  const auto missing = read_index_file(dir / "nope");
  REQUIRE(missing.has_value());
  CHECK(missing->entries.empty());
  CHECK_FALSE(parse_index("not an index at all, no").has_value());
  CHECK_FALSE(parse_index(std::string("DIRC\0\0\0\x09\0\0\0\0", 12) + std::string(20, '\0')).has_value());
  // A real index cut short anywhere in its header or entries is refused (never a crash, never a shorter
  // list of entries); cut in its extensions or checksum, it still has every entry or is refused.
  const std::string repo = make_repo(dir, 4);
  const std::string bytes = read_file(repo + "/.git/index");
  const auto whole = parse_index(bytes);
  REQUIRE(whole.has_value());
  for (std::size_t n = 1; n < bytes.size(); ++n) {  // (0 bytes: an empty file, read as an empty index)
    INFO("cut at " << n << " of " << bytes.size());
    const auto cut = parse_index(bytes.substr(0, n));
    if (cut) CHECK(cut->entries.size() == whole->entries.size());
  }
}

namespace {

// "<mode> <id> <stage>\t<path>" for each entry, as `git ls-files -s` prints them.
std::vector<std::string> listing(const IndexFile& index) {
  std::vector<std::string> lines;
  for (const IndexEntry& e : index.entries) {
    char hex[GIT_OID_HEXSZ + 1];
    git_oid_tostr(hex, sizeof hex, &e.id);
    char mode[16];
    std::snprintf(mode, sizeof mode, "%06o", e.mode);
    lines.push_back(std::string(mode) + " " + hex + " " + std::to_string(e.stage) + "\t" +
                    std::string(e.path));
  }
  return lines;
}

std::vector<std::string> git_listing(const std::string& repo) {
  TempDir out;
  REQUIRE(run_shell("git -C '" + repo + "' ls-files -s > '" + (out / "ls") + "'") == 0);
  std::vector<std::string> lines;
  const std::string text = read_file(out / "ls");
  for (std::size_t start = 0; start < text.size();) {
    const std::size_t end = text.find('\n', start);
    lines.push_back(text.substr(start, end - start));
    start = end == std::string::npos ? text.size() : end + 1;
  }
  return lines;
}

// make_repo's repository with its index split, then changed: an entry replaced, one deleted, two added.
std::string make_split_repo(const TempDir& dir, int version) {
  const std::string repo = make_repo(dir, version);
  REQUIRE(run_shell("cd '" + repo +
                    "' && git config core.splitIndex true && git update-index --split-index && echo 9 >> "
                    "a/two && git add a/two && git rm -q --cached c/three && echo 6 > b0 && echo 7 > zz && "
                    "git add b0 zz") == 0);
  return repo;
}

}  // namespace

TEST_CASE("issue 9 C8: a split index (core.splitIndex) is read whole, as git reads it") {
  for (int version : {2, 3, 4}) {
    INFO("version " << version);
    TempDir dir;
    const std::string repo = make_split_repo(dir, version);
    const std::string bytes = read_file(repo + "/.git/index");
    REQUIRE(bytes.find("link") != std::string::npos);
    const auto index = read_index_file(repo + "/.git/index", repo + "/.git/");
    REQUIRE(index.has_value());
    CHECK(listing(*index) == git_listing(repo));
    // GIT_INDEX_FILE elsewhere (a copy): the shared index is found in the git directory.
    const auto copy = parse_index(bytes, "copy", repo + "/.git");
    REQUIRE(copy.has_value());
    CHECK(listing(*copy) == listing(*index));
    // An entry that only the shared index holds is found; one the split part replaced is the new one.
    CHECK(find_index_entry(repo + "/.git/index", "a/b/one").has_value());
    CHECK_FALSE(find_index_entry(repo + "/.git/index", "c/three").has_value());
    const auto two = find_index_entry(repo + "/.git/index", "a/two");
    REQUIRE(two.has_value());
    for (const IndexEntry& e : index->entries) {
      if (e.path == "a/two") CHECK(git_oid_equal(&e.id, &*two));
    }
    // Cut anywhere, it is refused or read whole (never a crash, never fewer entries).
    for (std::size_t n = 1; n < bytes.size(); ++n) {
      INFO("cut at " << n);
      try {
        const auto cut = parse_index(bytes.substr(0, n), "cut", repo + "/.git");
        if (cut) CHECK(cut->entries.size() == index->entries.size());
      } catch (const keygate::Error&) {
      }
    }
  }
}

TEST_CASE("issue 9 C8: a split index whose shared index is missing is an error with advice that lasts") {
  TempDir dir;
  const std::string repo = make_split_repo(dir, 2);
  REQUIRE(run_shell("rm -f '" + repo + "'/.git/sharedindex.*") == 0);
  CHECK_THROWS_WITH(read_index_file(repo + "/.git/index", repo + "/.git/"),
                    Catch::Contains("is missing") && Catch::Contains("git config core.splitIndex false"));
  CHECK_THROWS_AS(parse_index(read_file(repo + "/.git/index")), keygate::Error);  // nowhere to look
  CHECK_FALSE(find_index_entry(repo + "/.git/index", "a/b/one").has_value());     // never throws
}

TEST_CASE("issue 9 C8: a sparse index is an error naming the way out, not a silent empty index") {
  TempDir dir;
  const std::string repo = make_repo(dir, 2);
  REQUIRE(run_shell("cd '" + repo + "' && git sparse-checkout set --cone --sparse-index c") == 0);
  CHECK_THROWS_WITH(read_index_file(repo + "/.git/index"),
                    Catch::Contains("sparse index") && Catch::Contains("--no-sparse-index"));
}

TEST_CASE("a cache-tree that claims billions of subtrees is refused without allocating them") {
  // An index with no entries and a TREE extension whose root claims 999,999,999 subtrees.
  const std::string tree = std::string("\0", 1) + "0 999999999\n" + std::string(20, '\x01');
  std::string bytes = std::string("DIRC\0\0\0\x02\0\0\0\0", 12) + "TREE";
  const auto size = static_cast<std::uint32_t>(tree.size());
  for (int shift = 24; shift >= 0; shift -= 8) bytes += static_cast<char>((size >> shift) & 0xff);
  bytes += tree + std::string(20, '\0');  // the trailing checksum (not verified)
  const auto index = parse_index(bytes);
  REQUIRE(index.has_value());
  CHECK_FALSE(index->cache_tree.has_value());
}

TEST_CASE("an index of only a header is empty when its checksum says so, refused when cut to that length") {
  const auto header = [](std::uint32_t version) {
    return std::string("DIRC", 4) + std::string("\0\0\0", 3) + static_cast<char>(version) +
           std::string(4, '\0');
  };
  git_oid sum;
  REQUIRE(git_oid_fromstr(&sum, "39d890139ee5356c7ef572216cebcd27aa41f9df") == 0);  // SHA-1 of the v2 header
  const std::string empty = header(2) + std::string(reinterpret_cast<const char*>(sum.id), 20);
  const auto read = parse_index(empty);
  REQUIRE(read.has_value());
  CHECK(read->entries.empty());
  CHECK(parse_index(header(2) + std::string(20, '\0')).has_value());  // index.skipHash writes zeros
  // The first 32 bytes of a split index with no entries of its own: a `link` extension, cut.
  CHECK_FALSE(
      parse_index(header(3) + "link" + std::string("\0\0\0\x14", 4) + std::string(12, 'x')).has_value());
  // Bytes left over after the extensions are a cut, not an index.
  CHECK_FALSE(
      parse_index(header(2) + "x" + std::string(reinterpret_cast<const char*>(sum.id), 20)).has_value());
}
