// Tests for audit sharding (issue #27, "sharding by the engine's own index"): --shard I/N, the job engines'
// variables, and splits that cover every repository once, stay stable and balance by size.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <set>

#include "audit/shard.hpp"
#include "core/error.hpp"

using namespace keygate;
using namespace keygate::audit;

namespace {

// Sets the variables of one test and clears every engine variable around it.
struct Environment {
  explicit Environment(std::initializer_list<std::pair<const char*, const char*>> values) {
    clear();
    for (const auto& [name, value] : values) ::setenv(name, value, 1);
  }
  ~Environment() { clear(); }
  static void clear() {
    for (const char* name :
         {"SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT", "SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_STEP",
          "JOB_COMPLETION_INDEX", "KEYGATE_SHARDS", "CI_NODE_INDEX", "CI_NODE_TOTAL"})
      ::unsetenv(name);
  }
};

std::vector<std::string> names(std::size_t n) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back("https://git.example/org/repo-" + std::to_string(i));
  return out;
}

}  // namespace

TEST_CASE("shard: --shard I/N is 0-based and checked", "[shard]") {
  CHECK(parse_shard("0/4").index == 0);
  CHECK(parse_shard("3/4").count == 4);
  for (const char* bad : {"4/4", "1/0", "x/2", "1", "-1/2", "1/2/3", ""})
    CHECK_THROWS_AS(parse_shard(bad), Error);
}

TEST_CASE("shard: the job engines' index variables", "[shard]") {
  {
    Environment env{};
    CHECK(!shard_from_environment(std::nullopt));
  }
  {
    Environment env{{"SLURM_ARRAY_TASK_ID", "3"}, {"SLURM_ARRAY_TASK_COUNT", "4"}};
    CHECK(shard_from_environment(std::nullopt)->index == 3);
  }
  {
    Environment env{
        {"SLURM_ARRAY_TASK_ID", "5"}, {"SLURM_ARRAY_TASK_COUNT", "4"}, {"SLURM_ARRAY_TASK_MIN", "2"}};
    const Shard s = *shard_from_environment(std::nullopt);
    CHECK(s.index == 3);
    CHECK(s.count == 4);
  }
  {
    Environment env{
        {"SLURM_ARRAY_TASK_ID", "4"}, {"SLURM_ARRAY_TASK_COUNT", "3"}, {"SLURM_ARRAY_TASK_STEP", "2"}};
    CHECK(shard_from_environment(std::nullopt)->index == 2);  // --array=0-4:2 is tasks 0, 2, 4
  }
  {
    Environment env{{"JOB_COMPLETION_INDEX", "2"}};
    CHECK_THROWS_WITH(shard_from_environment(std::nullopt), Catch::Contains("--shards"));
    CHECK(shard_from_environment(5u)->index == 2);
    CHECK(shard_from_environment(5u)->count == 5);
  }
  {
    Environment env{{"JOB_COMPLETION_INDEX", "1"}, {"KEYGATE_SHARDS", "2"}};
    CHECK(shard_from_environment(std::nullopt)->count == 2);
  }
  {
    Environment env{{"CI_NODE_INDEX", "1"}, {"CI_NODE_TOTAL", "3"}};
    CHECK(shard_from_environment(std::nullopt)->index == 0);  // GitLab counts from 1
  }
  {
    Environment env{{"CI_NODE_INDEX", "4"}, {"CI_NODE_TOTAL", "3"}};
    CHECK_THROWS_WITH(shard_from_environment(std::nullopt), Catch::StartsWith("CI_NODE_INDEX"));
  }
  {
    Environment env{{"SLURM_ARRAY_TASK_ID", "x"}, {"SLURM_ARRAY_TASK_COUNT", "3"}};
    CHECK_THROWS_WITH(shard_from_environment(std::nullopt), Catch::StartsWith("SLURM_ARRAY_TASK_ID"));
  }
}

TEST_CASE("shard: every repository in exactly one shard, with sizes or without", "[shard]") {
  const std::vector<std::string> list = names(101);
  std::vector<std::uint64_t> sizes;
  for (std::size_t i = 0; i < list.size(); ++i) sizes.push_back(1 + (i * 7919) % 1000);
  for (const std::vector<std::uint64_t>& given : {std::vector<std::uint64_t>{}, sizes}) {
    for (unsigned count : {1u, 2u, 3u, 7u}) {
      std::multiset<std::size_t> seen;
      for (unsigned index = 0; index < count; ++index) {
        for (std::size_t i : shard_members(list, given, Shard{index, count})) seen.insert(i);
      }
      CHECK(seen.size() == list.size());
      CHECK(std::set<std::size_t>(seen.begin(), seen.end()).size() == list.size());
    }
  }
}

TEST_CASE("shard: balanced by size when sizes are known; stable by name when they are not", "[shard]") {
  const std::vector<std::string> list = names(40);
  std::vector<std::uint64_t> sizes(list.size(), 10);
  sizes[0] = 1000;  // one big repository: it gets a shard to itself
  std::vector<std::uint64_t> loads;
  for (unsigned index = 0; index < 4; ++index) {
    std::uint64_t load = 0;
    for (std::size_t i : shard_members(list, sizes, Shard{index, 4})) load += sizes[i];
    loads.push_back(load);
  }
  CHECK(*std::max_element(loads.begin(), loads.end()) == 1000);
  CHECK(*std::min_element(loads.begin(), loads.end()) >= 120);
  // Without sizes, adding a repository moves no other.
  std::vector<std::string> more = list;
  more.push_back("https://git.example/org/new");
  const std::vector<std::size_t> before = shard_members(list, {}, Shard{1, 3});
  std::vector<std::size_t> after = shard_members(more, {}, Shard{1, 3});
  after.erase(std::remove(after.begin(), after.end(), list.size()), after.end());
  CHECK(before == after);
}
