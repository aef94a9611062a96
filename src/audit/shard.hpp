// This file declares audit sharding: which part of the repository list one job of a job array reads. The
// index comes from --shard I/N or from the job engine's own variables (Slurm array tasks, Kubernetes
// Indexed Jobs, GitLab parallel jobs), and every job computes the same split from the same list, so the
// jobs need not talk to each other.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace keygate::audit {

struct Shard {
  unsigned index = 0;  // 0-based, below count
  unsigned count = 1;
};

// "I/N" with 0 <= I < N. Throws Error("--shard: ...") otherwise.
Shard parse_shard(const std::string& text);

// The shard the environment names, in this order: SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN (0 when unset)
// of SLURM_ARRAY_TASK_COUNT; JOB_COMPLETION_INDEX of `completions` (the Indexed Job's completions, given
// with --shards or KEYGATE_SHARDS: Kubernetes does not export it); CI_NODE_INDEX (1-based) of CI_NODE_TOTAL.
// Nullopt when none is set. Throws Error naming the variable when one is set but wrong.
std::optional<Shard> shard_from_environment(std::optional<unsigned> completions);

// Which of `sizes.size()` repositories (given in a fixed order, the same for every job) shard `shard`
// reads: indices into the list, ascending. With every size known (> 0), the largest go first, each to the
// shard with the least bytes so far (ties: the lower shard, then the list order), so that shards finish
// together; otherwise each repository goes by a hash of its name, which keeps a repository in its shard
// when others are added or removed. Stable: the same list gives the same split in every job.
std::vector<std::size_t> shard_members(const std::vector<std::string>& names,
                                       const std::vector<std::uint64_t>& sizes, Shard shard);

}  // namespace keygate::audit
