// This file implements config resolution (see config/resolve.hpp): --config, .keygate.toml, [extend]
// chains and the project's files, from the index or the work tree.
#include "config/resolve.hpp"

#include <git2.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <set>
#include <vector>

#include "cli/process.hpp"
#include "core/error.hpp"
#include "detect/decode.hpp"
#include "git/git.hpp"
#include "report/redact_text.hpp"
#include "util/file_io.hpp"

namespace keygate {
namespace {

namespace fs = std::filesystem;

// One file of a chain: its parsed config, the key that identifies it (for cycles) and the directory its
// own [extend] path is relative to.
struct ChainLink {
  Config config;
  std::string key;
  std::string dir;
};

// Reads the file `ref` names from a file in `dir`.
using ChainReader = std::function<ChainLink(const std::string& ref, const std::string& dir)>;

std::string place_of_extend(const Config& c) {
  std::string place = c.file;
  if (c.extend_line > 0) place.append(":").append(std::to_string(c.extend_line));
  return place.append(": [extend] path: ");
}

// `config` with the files its [extend] path chain names merged under it, then `defaults` (the embedded
// defaults, or for the push checks the server's config) under the last one when it asks for them
// (`default_use_default` when it does not say: false for --config, as gitleaks does; for .keygate.toml,
// what .keygate.toml says, true by default, so that a chain never drops the defaults silently).
Config resolve_chain(Config config, const std::string& dir, bool default_use_default, const ChainReader& read,
                     std::vector<std::string>& chain, const Config& defaults) {
  if (config.extend_path.empty()) {
    if (config.use_default.value_or(default_use_default)) return merge_configs(defaults, config);
    return config;
  }
  if (static_cast<int>(chain.size()) > kMaxExtendDepth) {
    throw Error(place_of_extend(config) + "more than " + std::to_string(kMaxExtendDepth) +
                " files extend each other (" + chain.front() + " -> ... -> " + chain.back() + ")");
  }
  ChainLink parent = read(config.extend_path, dir);
  if (std::find(chain.begin(), chain.end(), parent.key) != chain.end()) {
    std::string cycle;
    for (const std::string& c : chain) cycle += c + " -> ";
    throw Error(place_of_extend(config) + "a cycle: " + cycle + parent.key);
  }
  chain.push_back(parent.key);
  Config base =
      resolve_chain(std::move(parent.config), parent.dir, default_use_default, read, chain, defaults);
  return merge_configs(std::move(base), config);
}

std::string parent_dir(const std::string& path) {
  const std::string dir = fs::path(path).parent_path().string();
  return dir.empty() ? "." : dir;
}

// A file of a --config chain: on disk, relative to the extending file.
ChainLink read_from_disk(const std::string& ref, const std::string& dir) {
  const std::string path =
      fs::path(ref).is_absolute() ? ref : (fs::path(dir) / ref).lexically_normal().string();
  std::error_code ec;
  const fs::path canonical = fs::weakly_canonical(path, ec);
  return {load_config_file(path), ec ? path : canonical.string(), parent_dir(path)};
}

// `link` with each rule marked as the repository's (RuleSpec::from_repository): a file the project's
// .keygate.toml reads, in the project or outside it, was chosen by whoever controls the repository.
ChainLink from_repository(ChainLink link) {
  for (RuleSpec& rule : link.config.rules) rule.from_repository = true;
  return link;
}

}  // namespace

std::optional<ProjectFiles::File> ProjectFiles::read(const std::string& relative) const {
  if (commit_repo != nullptr) {
    std::optional<std::string> text = git::blob_at(commit_repo, git_oid_tostr_s(&commit), relative);
    if (!text) return std::nullopt;
    return File{std::move(*text), commit_name + ":" + relative};
  }
  if (staged_repo != nullptr) {
    if (std::optional<std::string> text = read_staged_file(staged_repo, index_path, relative)) {
      return File{std::move(*text), root + relative + " (staged)"};
    }
  }
  if (root.empty()) return std::nullopt;
  std::optional<std::string> text = load_file_if_exists(root + relative);
  if (!text) return std::nullopt;
  return File{std::move(*text), root + relative};
}

ProjectFiles project_files(git_repository* repo, SourceKind source, const std::string& index_path) {
  ProjectFiles files;
  if (repo == nullptr) {
    files.root = "./";
    return files;
  }
  const char* workdir = git_repository_workdir(repo);
  files.root = workdir != nullptr ? workdir : "";
  if (source == SourceKind::Staged) {
    files.staged_repo = repo;
    files.index_path = index_path;
  }
  return files;
}

ProjectFiles project_files_at(git_repository* repo, const git_oid& commit, const std::string& name) {
  ProjectFiles files;
  files.commit_repo = repo;
  files.commit = commit;
  files.commit_name = name;
  return files;
}

namespace {

// --config FILE and its chain (read from disk), over the embedded defaults when it asks for them.
Config config_file_chain(const std::string& config_file) {
  ChainLink first = read_from_disk(config_file, ".");
  std::vector<std::string> chain{first.key};
  return resolve_chain(std::move(first.config), first.dir, false, read_from_disk, chain, default_config());
}

// Whether a project's chain goes over the defaults: as it says (`useDefault`, true when unsaid), or never
// (the push checks read what a pushed config adds on its own).
enum class ProjectDefaults { AsSaid, Never };

// The project's .keygate.toml and its chain over `defaults`, or nullopt when the project has none.
std::optional<Config> project_config(const ProjectFiles& project, const Config& defaults,
                                     ProjectDefaults use = ProjectDefaults::AsSaid) {
  std::optional<ProjectFiles::File> file = project.read(".keygate.toml");
  if (!file) return std::nullopt;
  // Inside the project, a chain is read the way .keygate.toml is (index first for the staged check, the
  // commit's tree for a pushed tip); a path that leaves the project (absolute, or above its root) is read
  // from disk, except from a pushed commit: a pusher must not make the server read its files.
  const ChainReader read_in_project = [&](const std::string& ref, const std::string& dir) -> ChainLink {
    const fs::path joined =
        fs::path(ref).is_absolute() ? fs::path(ref) : (fs::path(dir) / ref).lexically_normal();
    const std::string relative = joined.string();
    const bool outside = joined.is_absolute() || relative.rfind("..", 0) == 0;
    if (project.commit_repo != nullptr && outside) {
      throw Error(file->name + ": [extend] path \"" + ref + "\" leaves the pushed commit's tree");
    }
    if (outside || (project.root.empty() && project.commit_repo == nullptr)) {
      return from_repository(read_from_disk(joined.is_absolute() ? relative : project.root + relative, "."));
    }
    std::optional<ProjectFiles::File> linked = project.read(relative);
    if (!linked) throw Error(project.root + relative + ": cannot read: No such file or directory");
    return from_repository({parse_config(linked->text, linked->name), relative, parent_dir(relative)});
  };
  std::vector<std::string> chain{".keygate.toml"};
  ChainLink first = from_repository({parse_config(file->text, file->name), ".keygate.toml", "."});
  const bool use_default = use == ProjectDefaults::AsSaid && first.config.use_default.value_or(true);
  if (use == ProjectDefaults::Never) {
    // resolve_chain merges `defaults` under the chain only where it asks for them: an empty Config keeps
    // every field the chain sets (useDefault included, for the caller to judge) and adds nothing.
    const std::optional<bool> said = first.config.use_default;
    Config alone = resolve_chain(std::move(first.config), first.dir, false, read_in_project, chain, Config());
    if (!alone.use_default) alone.use_default = said;
    return alone;
  }
  return resolve_chain(std::move(first.config), first.dir, use_default, read_in_project, chain, defaults);
}

}  // namespace

std::shared_ptr<const Config> resolve_config(const std::string& config_file, const ProjectFiles& project) {
  if (!config_file.empty()) return std::make_shared<const Config>(config_file_chain(config_file));
  if (std::optional<Config> own = project_config(project, default_config())) {
    return std::make_shared<const Config>(std::move(*own));
  }
  // The defaults themselves, not a copy: they live as long as the process.
  return std::shared_ptr<const Config>(&default_config(), [](const Config*) {});
}

PushTrust parse_push_trust(std::string_view text, const std::string& place) {
  PushTrust trust;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t start = text.find_first_not_of(", \t", i);
    if (start == std::string_view::npos) break;
    std::size_t end = text.find_first_of(", \t", start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view word = text.substr(start, end - start);
    i = end;
    if (word == "rules") {
      trust.rules = true;
    } else if (word == "allowlists") {
      trust.allowlists = true;
    } else if (word == "confidence") {
      trust.confidence = true;
    } else if (word == "ignore") {
      trust.ignore_file = true;
    } else if (word == "inline") {
      trust.inline_allow = true;
    } else if (word == "all") {
      trust = PushTrust{true, true, true, true, true};
    } else if (word == "none") {
      trust = PushTrust{};
    } else {
      throw Error(place + ": unknown kind \"" + std::string(word) +
                  "\" (expected rules, allowlists, confidence, ignore, inline, all or none)");
    }
  }
  return trust;
}

namespace {

// The server's [archive] limits with what a pushed config may change: only what makes the check stricter
// (a deeper reading, lower limits on what is expanded, unreadable = "fail"). Whatever would let an archive
// through less read (a shallower depth, 0 turning archives off, unreadable = "pass") or make the server
// spend more (higher limits) is refused unless the server's owner trusts pushed content with everything
// (keygate.trustPushed = all; pre-push on the pusher's own machine): these are the server's bounds.
void apply_pushed_archive(ArchiveSpec& server, const ArchiveSpec& pushed, const PushTrust& trust,
                          const std::string& file, std::vector<std::string>& refused) {
  if (trust == PushTrust{true, true, true, true, true}) {
    merge_archive(server, pushed);
    return;
  }
  const auto refuse = [&](const std::string& what) {
    refused.push_back(file + ": [archive] " + what +
                      " not applied: a pushed config may not weaken the server's archive limits");
  };
  if (pushed.max_depth) {
    const int now = server.max_depth.value_or(kDefaultArchiveDepth);
    if (*pushed.max_depth >= now && now > 0)
      server.max_depth = pushed.max_depth;
    else if (*pushed.max_depth != now)
      refuse("max_depth = " + std::to_string(*pushed.max_depth));
  }
  const auto lower_only = [&](const char* key, const std::optional<std::uint64_t>& want,
                              std::optional<std::uint64_t>& have, std::uint64_t fallback) {
    if (!want) return;
    if (*want <= have.value_or(fallback))
      have = want;
    else
      refuse(std::string(key) + " = " + std::to_string(*want));
  };
  lower_only("max_expanded_bytes", pushed.max_expanded_bytes, server.max_expanded_bytes,
             kDefaultArchiveExpandedBytes);
  lower_only("max_ratio", pushed.max_ratio, server.max_ratio, kDefaultArchiveRatio);
  lower_only("max_entries", pushed.max_entries, server.max_entries, kDefaultArchiveEntries);
  lower_only("max_path_length", pushed.max_path_length, server.max_path_length, kDefaultArchivePathLength);
  if (pushed.unreadable == UnreadableArchive::Fail) {
    server.unreadable = UnreadableArchive::Fail;
  } else if (pushed.unreadable == UnreadableArchive::Pass &&
             server.unreadable.value_or(UnreadableArchive::Fail) != UnreadableArchive::Pass) {
    refuse("unreadable = \"pass\"");
  }
}

// `server` with what `pushed` (a project's chain resolved over nothing) may add or change under `trust`;
// what it may not is described in `refused`.
Config apply_pushed(Config server, const Config& pushed, const PushTrust& trust,
                    std::vector<std::string>& refused) {
  const auto refuse = [&](const std::string& what, const char* kind) {
    refused.push_back(pushed.file + ": " + what + " not applied: the server does not trust pushed " + kind +
                      " (git config keygate.trustPushed)");
  };
  // Rules: new ones are always added; replacing or dropping the server's is trusted or refused.
  if (pushed.use_default == false) {
    if (trust.rules)
      server.rules.clear();
    else
      refuse("[extend] useDefault = false", "rules");
  }
  for (const RuleSpec& rule : pushed.rules) {
    const auto same = std::find_if(server.rules.begin(), server.rules.end(),
                                   [&](const RuleSpec& r) { return r.id == rule.id; });
    if (same == server.rules.end()) {
      server.rules.push_back(rule);
    } else if (trust.rules) {
      *same = rule;
    } else {
      refuse("rule \"" + rule.id + "\" (the server has a rule of that id)", "rules");
    }
  }
  if (!pushed.disabled_rules.empty()) {
    if (trust.rules) {
      const std::set<std::string> disabled(pushed.disabled_rules.begin(), pushed.disabled_rules.end());
      std::erase_if(server.rules, [&](const RuleSpec& r) { return disabled.count(r.id) != 0; });
    } else {
      refuse("[extend] disabledRules", "rules");
    }
  }
  if (!pushed.allowlists.empty()) {
    if (trust.allowlists) {
      server.allowlists.insert(server.allowlists.end(), pushed.allowlists.begin(), pushed.allowlists.end());
    } else {
      refuse("[[allowlists]]", "allowlists");
    }
  }
  // Confidence and decoding: reporting more is always allowed, less only when trusted.
  if (pushed.min_confidence) {
    if (trust.confidence || *pushed.min_confidence <= server.min_confidence.value_or(Confidence::Medium)) {
      server.min_confidence = pushed.min_confidence;
    } else {
      refuse("[confidence] minimum", "confidence");
    }
  }
  if (pushed.demote_paths) {
    if (trust.confidence)
      server.demote_paths = pushed.demote_paths;
    else
      refuse("[confidence] demote_paths", "confidence");
  }
  if (pushed.decode_max_depth) {
    if (trust.confidence ||
        *pushed.decode_max_depth >= server.decode_max_depth.value_or(kDefaultDecodeDepth)) {
      server.decode_max_depth = pushed.decode_max_depth;
    } else {
      refuse("[decode] max_depth", "confidence");
    }
  }
  for (const std::string& pack : pushed.packs) {
    if (std::find(server.packs.begin(), server.packs.end(), pack) == server.packs.end())
      server.packs.push_back(pack);
  }
  apply_pushed_archive(server.archive, pushed.archive, trust, pushed.file, refused);
  server.warnings.insert(server.warnings.end(), pushed.warnings.begin(), pushed.warnings.end());
  server.file = pushed.file;
  server.builtin = false;  // its rules may differ from the embedded keyword automaton's
  return server;
}

}  // namespace

std::shared_ptr<const Config> resolve_server_config(const std::string& server_config,
                                                    const ProjectFiles& project, const PushTrust& trust,
                                                    std::vector<std::string>& refused) {
  Config merged = server_config.empty() ? default_config() : config_file_chain(server_config);
  if (std::optional<Config> own = project_config(project, Config(), ProjectDefaults::Never)) {
    merged = apply_pushed(std::move(merged), *own, trust, refused);
  }
  merged.inline_allow = trust.inline_allow;
  return std::make_shared<const Config>(std::move(merged));
}

std::unique_ptr<RuleSet> build_rules(std::shared_ptr<const Config> config, const RuleOptions& options) {
  const bool is_builtin = config->builtin;
  auto rules =
      std::make_unique<RuleSet>(std::move(config), options, is_builtin ? &builtin_keyword_index() : nullptr);
  try {
    rules->compile(Compile::UserRules);
  } catch (const Error& e) {
    throw Error(redact_regex_errors(e.what()));  // RE2 echoes the pattern, which may hold a key (E14)
  }
  return rules;
}

std::shared_ptr<const Config> with_rule_packs(std::shared_ptr<const Config> config,
                                              const std::vector<std::string>& extra_packs) {
  std::vector<std::string> packs = config->packs;
  for (const std::string& p : extra_packs) {
    if (std::find(packs.begin(), packs.end(), p) == packs.end()) packs.push_back(p);
  }
  if (packs.empty()) return config;
  Config merged = *config;
  for (const std::string& name : packs) {
    const Config pack = rule_pack(name);
    merged.rules.insert(merged.rules.end(), pack.rules.begin(), pack.rules.end());
  }
  merged.builtin = false;  // the embedded keyword automaton no longer covers every rule
  return std::make_shared<const Config>(std::move(merged));
}

}  // namespace keygate
