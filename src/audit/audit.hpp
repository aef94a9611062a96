// This file declares `keygate audit`: the full history of many repositories, each scanned by the one history
// source and pipeline (source/history.cpp, core/pipeline.hpp) and written as its own result file
// (report/incidents.hpp) into an output directory, atomically, so that a killed audit resumes where it
// stopped. Sharding (shard.hpp) splits the list over the jobs of a job array; `keygate report merge`
// joins the files.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/shard.hpp"

namespace keygate::audit {

// `report merge --format`: the report formats, and the HTML viewer.
enum class MergeFormat { Text, Json, Sarif, Gitlab, Html };

// audit's options (the command line's, cli.hpp holds one).
struct AuditOptions {
  std::string out_dir;                           // --out DIR: one result file per repository
  std::vector<std::string> lists;                // --list FILE, repeatable
  std::string cache_dir;                         // --cache DIR: mirrors of remote repositories
  std::vector<std::string> github_orgs;          // --github-org ORG, repeatable
  std::vector<std::string> gitlab_groups;        // --gitlab-group GROUP, repeatable
  std::string api_url;                           // --api-url URL: the forge's API (tests, GitHub Enterprise)
  std::optional<Shard> shard;                    // --shard I/N; unset: the job engine's variables, else all
  std::optional<unsigned> shards;                // --shards N: a Kubernetes Indexed Job's completions
  std::uint64_t max_repo_size = 0;               // --max-repo-size: bytes of objects; 0: no limit
  double repo_timeout = 0;                       // --repo-timeout: seconds per repository; 0: none
  MergeFormat merge_format = MergeFormat::Text;  // report merge --format
  std::string triage_file;                       // report merge --triage FILE
};

// The default mirror cache: $XDG_CACHE_HOME/keygate/mirrors, else ~/.cache/keygate/mirrors.
std::string default_cache_dir();

}  // namespace keygate::audit
