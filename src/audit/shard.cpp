// This file implements audit sharding (see shard.hpp): the shard index from --shard or the job engine's
// variables, and the split of the repository list, balanced by size when sizes are known.
#include "audit/shard.hpp"

#include <algorithm>
#include <cstdlib>
#include <numeric>

#include "core/error.hpp"
#include "util/sha256.hpp"

namespace keygate::audit {
namespace {

std::optional<unsigned long> whole(const char* text) {
  if (text == nullptr || *text == '\0') return std::nullopt;
  char* end = nullptr;
  const unsigned long n = std::strtoul(text, &end, 10);
  if (*end != '\0' || text[0] == '-' || n > 1000000) return std::nullopt;
  return n;
}

// A variable that must be a whole number when set.
std::optional<unsigned long> variable(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  const std::optional<unsigned long> n = whole(value);
  if (!n) throw Error(std::string(name) + ": not a whole number: \"" + value + "\"");
  return n;
}

Shard checked(unsigned long index, unsigned long count, const std::string& from) {
  if (count == 0 || index >= count)
    throw Error(from + ": shard " + std::to_string(index) + " of " + std::to_string(count) +
                " does not exist");
  return Shard{static_cast<unsigned>(index), static_cast<unsigned>(count)};
}

}  // namespace

Shard parse_shard(const std::string& text) {
  const std::size_t slash = text.find('/');
  const std::optional<unsigned long> index =
      slash == std::string::npos ? std::nullopt : whole(text.substr(0, slash).c_str());
  const std::optional<unsigned long> count =
      slash == std::string::npos ? std::nullopt : whole(text.substr(slash + 1).c_str());
  if (!index || !count) throw Error("--shard: not I/N (0 <= I < N): \"" + text + "\"");
  return checked(*index, *count, "--shard");
}

std::optional<Shard> shard_from_environment(std::optional<unsigned> completions) {
  if (const std::optional<unsigned long> id = variable("SLURM_ARRAY_TASK_ID")) {
    const std::optional<unsigned long> count = variable("SLURM_ARRAY_TASK_COUNT");
    if (!count) throw Error("SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not");
    const unsigned long min = variable("SLURM_ARRAY_TASK_MIN").value_or(0);
    if (*id < min) throw Error("SLURM_ARRAY_TASK_ID is below SLURM_ARRAY_TASK_MIN");
    // An array with a step (--array=0-9:2) has gaps: its ids are not 0..count-1 from the minimum.
    if (const std::optional<unsigned long> step = variable("SLURM_ARRAY_TASK_STEP"); step && *step > 1) {
      return checked((*id - min) / *step, *count, "SLURM_ARRAY_TASK_ID");
    }
    return checked(*id - min, *count, "SLURM_ARRAY_TASK_ID");
  }
  if (const std::optional<unsigned long> index = variable("JOB_COMPLETION_INDEX")) {
    std::optional<unsigned long> count = completions;
    if (!count) count = variable("KEYGATE_SHARDS");
    if (!count)
      throw Error(
          "JOB_COMPLETION_INDEX is set: give the Job's completions with --shards N (or KEYGATE_SHARDS)");
    return checked(*index, *count, "JOB_COMPLETION_INDEX");
  }
  if (const std::optional<unsigned long> index = variable("CI_NODE_INDEX")) {
    const std::optional<unsigned long> total = variable("CI_NODE_TOTAL");
    if (!total) throw Error("CI_NODE_INDEX is set but CI_NODE_TOTAL is not");
    if (*index == 0) throw Error("CI_NODE_INDEX: 0 (GitLab counts from 1)");
    return checked(*index - 1, *total, "CI_NODE_INDEX");
  }
  if (completions) throw Error("--shards: no JOB_COMPLETION_INDEX in the environment (use --shard I/N)");
  return std::nullopt;
}

std::vector<std::size_t> shard_members(const std::vector<std::string>& names,
                                       const std::vector<std::uint64_t>& sizes, Shard shard) {
  std::vector<std::size_t> members;
  const bool sized =
      !sizes.empty() && std::all_of(sizes.begin(), sizes.end(), [](std::uint64_t s) { return s > 0; });
  if (!sized) {
    for (std::size_t i = 0; i < names.size(); ++i) {
      const Sha256Digest h = sha256(names[i]);
      std::uint64_t bucket = 0;
      for (int b = 0; b < 8; ++b) bucket = bucket << 8 | h[b];
      if (bucket % shard.count == shard.index) members.push_back(i);
    }
    return members;
  }
  // Longest processing time first: a greedy split within 4/3 of the best, and the same in every job.
  std::vector<std::size_t> order(names.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return sizes[a] != sizes[b] ? sizes[a] > sizes[b] : names[a] < names[b];
  });
  std::vector<std::uint64_t> load(shard.count, 0);
  for (std::size_t i : order) {
    const auto least = static_cast<unsigned>(std::min_element(load.begin(), load.end()) - load.begin());
    load[least] += sizes[i];
    if (least == shard.index) members.push_back(i);
  }
  std::sort(members.begin(), members.end());
  return members;
}

}  // namespace keygate::audit
