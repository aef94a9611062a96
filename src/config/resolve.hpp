// This file declares config resolution, between reading the command line and building the RuleSet: which
// rules a run uses (--config FILE, or the project's .keygate.toml, each with its [extend] chain, or the
// embedded defaults), and where the project's own files are read from. The command line and the tests
// call these same functions.
#pragma once

#include <git2.h>

#include <memory>
#include <optional>
#include <string>

#include "config/config.hpp"
#include "core/source.hpp"
#include "rules/rules.hpp"

namespace keygate {

// The project's own files (.keygate.toml, .keygateignore): at the top of the work tree, or of the current
// directory for `scan`. For the staged check they are read from the index when it has them: the commit
// is judged by the configuration it commits, and an unstaged allowlist cannot wave a secret through. For
// the push checks, from the pushed commit's tree only (project_files_at).
struct ProjectFiles {
  std::string root;                       // with a trailing '/', or empty (bare repository: none)
  git_repository* staged_repo = nullptr;  // set: read from this repository's index first
  std::string index_path;                 // GIT_INDEX_FILE, or empty
  git_repository* commit_repo = nullptr;  // set: read from `commit`'s tree in this repository, nowhere else
  git_oid commit{};
  std::string
      commit_name;  // how messages name that commit ("refs/heads/x" gives "refs/heads/x:.keygate.toml")

  struct File {
    std::string text;
    std::string name;  // to show in messages ("dir/.keygate.toml (staged)")
  };
  // The file at `relative` (to the root), or nullopt when there is none. Throws Error when it exists but
  // cannot be read.
  std::optional<File> read(const std::string& relative) const;
};

// Where `source`'s project files are: the work tree of `repo` (and for SourceKind::Staged its index), or
// the current directory when `repo` is null.
ProjectFiles project_files(git_repository* repo, SourceKind source, const std::string& index_path);

// The files of commit `commit` in `repo` (a pushed tip), named `name` in messages. `repo` must outlive them.
ProjectFiles project_files_at(git_repository* repo, const git_oid& commit, const std::string& name);

// The longest [extend] path chain followed (a -> b -> ... ); longer chains are an Error naming the place.
inline constexpr int kMaxExtendDepth = 8;

// The Config a run uses:
//  - `config_file` non-empty: that file; its `[extend] path` (relative to the extending file) is followed
//    file by file; the last file of the chain starts from the defaults iff it says `useDefault = true`.
//  - else the project's .keygate.toml, read as ProjectFiles::read does (its `[extend] path` chain too,
//    relative to the extending file inside the project); it extends the defaults unless it (or the last
//    file of its chain) says `useDefault = false`.
//  - else the embedded defaults.
// Throws Error naming file:line for a cycle, a chain deeper than kMaxExtendDepth, or a file that cannot be
// read or parsed.
std::shared_ptr<const Config> resolve_config(const std::string& config_file, const ProjectFiles& project);

// What a pushed commit's own files may do on the server beyond adding rules and tightening: each kind of
// weakening is refused unless the server's owner trusts pushed content with it (git config
// keygate.trustPushed, a list of these words, or "all"). The pusher has no say in this.
struct PushTrust {
  bool rules = false;         // replace or disable the server's rules, `[extend] useDefault = false`
  bool allowlists = false;    // [[allowlists]] (paths, regexes, stopwords, commits) over the server's rules
  bool confidence = false;    // raise [confidence] minimum, set demote_paths, lower [decode] max_depth
  bool ignore_file = false;   // the pushed .keygateignore
  bool inline_allow = false;  // `keygate:allow` / `gitleaks:allow` comments in pushed content
  bool operator==(const PushTrust&) const = default;
};

// The PushTrust a keygate.trustPushed value names: words separated by commas or blanks, from "rules",
// "allowlists", "confidence", "ignore", "inline", "all", "none". Throws Error naming `place` and the
// unknown word.
PushTrust parse_push_trust(std::string_view text, const std::string& place);

// The push checks' Config: the server's (`server_config` non-empty: that file and its chain, as
// resolve_config reads --config; else the embedded defaults), with what the project's .keygate.toml (and
// its chain) may add under `trust`: its new rules and packs, and a lower [confidence] minimum, always;
// anything that would weaken the server's policy only where `trust` allows it. Each refused part is
// described in `refused` (one line each, naming the file). An [extend] path in a pushed commit that leaves
// its tree is an Error (a pusher cannot make the server read its files). Throws as resolve_config does.
std::shared_ptr<const Config> resolve_server_config(const std::string& server_config,
                                                    const ProjectFiles& project, const PushTrust& trust,
                                                    std::vector<std::string>& refused);

// `config` with the rules of every pack it names (`[extend] packs`) and of `extra_packs` (`--rules NAME`)
// added; `config` itself when there are none. Throws Error for an unknown pack.
std::shared_ptr<const Config> with_rule_packs(std::shared_ptr<const Config> config,
                                              const std::vector<std::string>& extra_packs);

// The RuleSet for `config`, every user regex compiled now (a bad one is an Error with its place, before
// anything is scanned); the defaults keep their embedded keyword automaton and compile lazily.
std::unique_ptr<RuleSet> build_rules(std::shared_ptr<const Config> config);

}  // namespace keygate
