// Tests for pack_reader.cpp: every object of real packs that git wrote (offset deltas, and object-id deltas
// from `repack --no-delta-base-offset`) reads back exactly as libgit2 reads it, through a cache too small
// to hold a chain and through one that holds everything; and damaged deltas are refused.
#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "git/git.hpp"
#include "git/history_walk.hpp"
#include "git/pack_reader.hpp"
#include "support/repo.hpp"

using namespace keygate;
using namespace keygate::test;

namespace {

// A history where each version of a file is a small edit of the last, so that git stores deltas.
void make_history(TestRepo& repo) {
  std::string text;
  for (int line = 0; line < 400; ++line) text += random_string(line, 60, "abcdefghij klmnop") + "\n";
  for (int version = 0; version < 30; ++version) {
    text.insert(text.size() / (version % 5 + 2), random_string(1000 + version, 40, "xyz ") + "\n");
    repo.write("big.txt", text);
    repo.write("dir/v" + std::to_string(version % 3), text.substr(version * 50));
    repo.stage("big.txt");
    repo.stage("dir/v" + std::to_string(version % 3));
    repo.commit("version " + std::to_string(version));
  }
}

// The id of every object in `odb`.
std::vector<git_oid> all_ids(git_odb* odb) {
  std::vector<git_oid> ids;
  git_odb_foreach(
      odb,
      [](const git_oid* id, void* payload) {
        static_cast<std::vector<git_oid>*>(payload)->push_back(*id);
        return 0;
      },
      &ids);
  return ids;
}

// Reads every object of the repository's packs with `cache_bytes` and compares with libgit2.
std::size_t compare_all(git_repository* repo, std::size_t cache_bytes) {
  const git::Odb odb = open_odb(repo);
  const PackSet packs(objects_dir(repo));
  PackCursor cursor(packs, cache_bytes);
  const std::vector<git_oid> ids = all_ids(odb.get());
  std::size_t read = 0;
  for (const git_oid& id : ids) {
    ObjectData data;
    git_object_t type = GIT_OBJECT_INVALID;
    REQUIRE(cursor.read(id, data, type));
    git_odb_object* raw = nullptr;
    REQUIRE(git_odb_read(&raw, odb.get(), &id) == 0);
    const git::OdbObject expected(raw);
    CHECK(type == git_odb_object_type(raw));
    CHECK(*data == std::string(static_cast<const char*>(git_odb_object_data(raw)), git_odb_object_size(raw)));
    std::size_t size = 0;
    git_object_t header_type = GIT_OBJECT_INVALID;
    PackCursor fresh(packs, 0);
    REQUIRE(fresh.header(id, size, header_type));
    CHECK(size == data->size());
    CHECK(header_type == type);
    ++read;
  }
  return read;
}

}  // namespace

TEST_CASE("the pack reader reads what git packed, offset and id deltas alike") {
  git::init();
  TestRepo repo;
  make_history(repo);
  const std::string cd = "cd '" + repo.dir() + "' && ";
  REQUIRE(run_shell(cd + "git repack -adf -q --depth=50 --window=50") == 0);
  CHECK(compare_all(repo.get(), 0) > 60);
  CHECK(compare_all(repo.get(), 64u << 20) > 60);
  REQUIRE(run_shell(cd + "git -c repack.useDeltaBaseOffset=false repack -adf -q") == 0);
  CHECK(compare_all(repo.get(), 4096) > 60);
  REQUIRE(run_shell(cd + "git count-objects -v | grep -q '^packs: 1'") == 0);

  SECTION("an object that is not in a pack is left to libgit2") {
    repo.write("loose", "only loose\n");
    repo.stage("loose");
    repo.commit("loose");
    const PackSet packs(objects_dir(repo.get()));
    PackCursor cursor(packs, 0);
    git_oid id;
    REQUIRE(git_odb_hash(&id, "only loose\n", 11, GIT_OBJECT_BLOB) == 0);
    ObjectData data;
    git_object_t type;
    CHECK_FALSE(cursor.read(id, data, type));
    const git::Odb odb = open_odb(repo.get());
    data = read_object(cursor, odb.get(), id, type);
    REQUIRE(data);
    CHECK(*data == "only loose\n");
    git_oid absent;
    REQUIRE(git_odb_hash(&absent, "nowhere\n", 8, GIT_OBJECT_BLOB) == 0);
    CHECK(read_object(cursor, odb.get(), absent, type) == nullptr);
  }
}

// The cursor reuses the buffers of objects nobody holds any more: one a caller still holds must never be
// written over, whether the caller keeps every object or lets go of every other one; and a delta header()
// inflated for the read that follows gives that read the same object.
TEST_CASE("the pack reader never reuses the buffer of an object its caller still holds") {
  git::init();
  TestRepo repo;
  make_history(repo);
  REQUIRE(run_shell("cd '" + repo.dir() + "' && git repack -adf -q --depth=50 --window=50") == 0);
  const git::Odb odb = open_odb(repo.get());
  const PackSet packs(objects_dir(repo.get()));
  const std::vector<git_oid> ids = all_ids(odb.get());
  for (const std::size_t cache_bytes : {std::size_t{0}, std::size_t{100} << 10, std::size_t{64} << 20}) {
    PackCursor cursor(packs, cache_bytes);
    std::vector<std::pair<git_oid, ObjectData>> held;
    for (int round = 0; round < 2; ++round) {
      for (std::size_t i = 0; i < ids.size(); ++i) {
        // As history reads a blob: its size first (header() inflates a delta for the read that follows).
        std::size_t size = 0;
        git_object_t header_type = GIT_OBJECT_INVALID;
        if (round == 0) REQUIRE(cursor.header(ids[i], size, header_type));
        ObjectData data;
        git_object_t type = GIT_OBJECT_INVALID;
        REQUIRE(cursor.read(ids[i], data, type));
        if (round == 0) CHECK(size == data->size());
        if (round == 0) CHECK(header_type == type);
        if (i % 2 == 0) held.emplace_back(ids[i], std::move(data));
      }
    }
    for (const auto& [id, data] : held) {
      git_odb_object* raw = nullptr;
      REQUIRE(git_odb_read(&raw, odb.get(), &id) == 0);
      const git::OdbObject expected(raw);
      CHECK(*data ==
            std::string(static_cast<const char*>(git_odb_object_data(raw)), git_odb_object_size(raw)));
    }
  }
}

TEST_CASE("apply_delta follows copy and insert instructions and refuses what does not fit") {
  std::string out;
  // base "hello world" (11), result 9: copy offset 6 size 5 ("world"), insert "!!!!".
  const std::string delta = std::string("\x0b\x09", 2) + "\x91\x06\x05" + "\x04!!!!";
  CHECK(apply_delta("hello world", delta, out));
  CHECK(out == "world!!!!");
  CHECK_FALSE(apply_delta("hello", delta, out));  // wrong base size
  CHECK_FALSE(apply_delta("hello world", std::string("\x0b\x09", 2) + "\x91\x0a\x05", out));  // past base
  CHECK_FALSE(apply_delta("hello world", std::string("\x0b\x09", 2) + "\x00", out));          // reserved
  CHECK_FALSE(apply_delta("hello world", std::string("\x0b\x03", 2) + "\x04!!!!", out));      // past result
  CHECK_FALSE(apply_delta("hello world", std::string("\x0b", 1), out));                       // truncated
}

TEST_CASE("a malformed tree object is refused with an error naming it") {
  git_oid id{};
  const auto tree = [&](const std::string& bytes) {
    return RawTree(std::make_shared<const std::string>(bytes), GIT_OBJECT_TREE, id);
  };
  const std::string oid(20, 'x');
  CHECK(tree("100644 a" + std::string(1, '\0') + oid).count() == 1);
  CHECK(tree("").count() == 0);
  CHECK_THROWS_AS(tree("100644 a" + std::string(1, '\0') + oid.substr(5)).count(), Error);  // short id
  CHECK_THROWS_AS(tree("10x644 a" + std::string(1, '\0') + oid).count(), Error);            // not octal
  CHECK_THROWS_AS(tree("100644 " + std::string(1, '\0') + oid).count(), Error);             // empty name
  CHECK_THROWS_AS(tree("100644 a").count(), Error);                                         // no NUL
  CHECK_THROWS_AS(RawTree(std::make_shared<const std::string>(""), GIT_OBJECT_BLOB, id), Error);
}

TEST_CASE("a tree indexed like its previous version has exactly the entries of a fresh reading") {
  git_oid id{};
  const auto entry = [](const std::string& name, char id_byte) {
    return "100644 " + name + std::string(1, '\0') + std::string(20, id_byte);
  };
  std::vector<std::string> names;
  for (int i = 0; i < 200; ++i) names.push_back(random_string(i, 3 + i % 9, "abcdefgh"));
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  std::string before;
  for (const std::string& n : names) before += entry(n, 'a');
  const auto listing = [](const RawTree& t) {
    std::vector<std::string> out;
    t.for_each([&](const TreeEntry& e) {
      out.push_back(std::string(e.name) + "@" + std::string(1, static_cast<char>(e.id->id[0])));
    });
    return out;
  };
  const RawTree old_tree(std::make_shared<const std::string>(before), GIT_OBJECT_TREE, id);
  const std::size_t middle = before.size() / 2 / entry(names[0], 'a').size();
  std::vector<std::string> afters = {
      before,                                     // unchanged
      before + entry("zzzz", 'b'),                // appended
      entry("0", 'b') + before,                   // prepended
      "40000 " + before.substr(7),                // first mode changed
      before.substr(0, before.size() - 1) + "b",  // last id changed
  };
  std::string changed;  // one entry in the middle with a longer name and another id
  for (std::size_t i = 0; i < names.size(); ++i)
    changed += i == middle ? entry(names[i] + "x", 'c') : entry(names[i], 'a');
  afters.push_back(changed);
  std::string removed;  // one entry gone
  for (std::size_t i = 0; i < names.size(); ++i) removed += i == middle ? "" : entry(names[i], 'a');
  afters.push_back(removed);
  for (const std::string& after : afters) {
    const RawTree fresh(std::make_shared<const std::string>(after), GIT_OBJECT_TREE, id);
    const RawTree derived(std::make_shared<const std::string>(after), GIT_OBJECT_TREE, id);
    derived.index_like(old_tree);
    CHECK(listing(derived) == listing(fresh));
  }
  // A malformed middle is found even when both ends are the previous version's.
  std::string broken = before;
  broken[before.size() / 2] = '\0';
  broken.insert(before.size() / 2, "x");
  const auto outcome = [&](bool derive) {
    const RawTree t(std::make_shared<const std::string>(broken), GIT_OBJECT_TREE, id);
    try {
      if (derive) t.index_like(old_tree);
      return listing(t);
    } catch (const Error&) {
      return std::vector<std::string>{"error"};
    }
  };
  CHECK(outcome(true) == outcome(false));
  CHECK(outcome(false) == std::vector<std::string>{"error"});
}
