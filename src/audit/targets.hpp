// This file declares where an audit's repositories come from: paths and URLs on the command line, a list
// file, and the repositories of a GitHub organisation or GitLab group listed through the forges' documented
// REST APIs. The audit (audit.hpp) shards and reads what these produce.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace keygate::audit {

// One repository to audit.
struct Target {
  std::string name;        // how results name it: the path as given, or the URL without credentials
  std::string location;    // a local path, or a URL to mirror (git clone --mirror)
  bool remote = false;     // location is a URL
  std::uint64_t size = 0;  // bytes, when known (a list's second column, the API's size); 0: unknown
  // For a URL listed by a forge with a token: the HTTP header git sends to that forge's host
  // ("Authorization: Basic ..."), passed to git through its environment, never on a command line.
  std::string auth_header;
  std::string auth_url;  // the URL prefix the header is for (git config http.<url>.extraHeader)
};

// True iff `word` names a remote repository (scheme://..., or scp-like user@host:path).
bool is_url(const std::string& word);

// The target `word` names: a URL, or a local path (bare or not).
Target target_for(const std::string& word);

// The targets of a list file: one repository a line (a path or a URL), optionally followed by blanks and
// its size in bytes; blank lines and lines starting with '#' are skipped. Throws Error naming the file and
// line for a bad size.
std::vector<Target> read_target_list(const std::string& path);

// The bytes of a local repository's object store (its objects/ directory), 0 when it cannot tell.
std::uint64_t local_repository_size(const std::string& path);

// Which forge an organisation comes from.
enum class Forge { GitHub, GitLab };

// Every repository of a GitHub organisation (GET /orgs/ORG/repos) or GitLab group with its subgroups
// (GET /groups/ID/projects?include_subgroups=true), following the Link header's rel="next" pages. The
// token comes from the environment (GITHUB_TOKEN; GITLAB_TOKEN), never the command line; the API at
// `api_url` (default: GITHUB_API_URL or https://api.github.com; CI_API_V4_URL or https://gitlab.com/api/v4).
// A token is sent over https only, or plain http to this machine (tests). Throws Error naming the URL on a
// failure or an answer that is not the documented list.
std::vector<Target> list_forge(Forge forge, const std::string& owner, const std::string& api_url);

// Sorted by name, each name once (the first kept): every job of a job array sees the same list.
void sort_targets(std::vector<Target>& targets);

}  // namespace keygate::audit
