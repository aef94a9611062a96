// This file implements config resolution (see config/resolve.hpp): --config, .keygate.toml, [extend]
// chains and the project's files, from the index or the work tree.
#include "config/resolve.hpp"

#include <git2.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <vector>

#include "cli/process.hpp"
#include "core/error.hpp"
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

// The blob at `path` in commit `id`'s tree, as text; nullopt when there is none (or it is not a blob).
std::optional<std::string> read_file_at_commit(git_repository* repo, const git_oid& id,
                                               const std::string& path) {
  git_commit* raw_commit = nullptr;
  git::check(git_commit_lookup(&raw_commit, repo, &id),
             "cannot read commit " + std::string(git_oid_tostr_s(&id)));
  const git::Commit commit(raw_commit);
  git_tree* raw_tree = nullptr;
  git::check(git_commit_tree(&raw_tree, commit.get()),
             "cannot read the tree of " + std::string(git_oid_tostr_s(&id)));
  const git::Tree tree(raw_tree);
  git_tree_entry* raw_entry = nullptr;
  if (git_tree_entry_bypath(&raw_entry, tree.get(), path.c_str()) != 0) {
    git_error_clear();
    return std::nullopt;
  }
  const std::unique_ptr<git_tree_entry, void (*)(git_tree_entry*)> entry(raw_entry, git_tree_entry_free);
  git_blob* raw_blob = nullptr;
  if (git_tree_entry_type(raw_entry) != GIT_OBJECT_BLOB ||
      git_blob_lookup(&raw_blob, repo, git_tree_entry_id(raw_entry)) != 0) {
    git_error_clear();
    return std::nullopt;
  }
  const git::Blob blob(raw_blob);
  return std::string(static_cast<const char*>(git_blob_rawcontent(raw_blob)),
                     static_cast<std::size_t>(git_blob_rawsize(raw_blob)));
}

}  // namespace

std::optional<ProjectFiles::File> ProjectFiles::read(const std::string& relative) const {
  if (commit_repo != nullptr) {
    std::optional<std::string> text = read_file_at_commit(commit_repo, commit, relative);
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

// The project's .keygate.toml and its chain over `defaults`, or nullopt when the project has none.
std::optional<Config> project_config(const ProjectFiles& project, const Config& defaults) {
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
  const bool use_default = first.config.use_default.value_or(true);
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

std::shared_ptr<const Config> resolve_server_config(const std::string& server_config,
                                                    const ProjectFiles& project) {
  if (server_config.empty()) return resolve_config("", project);
  Config server = config_file_chain(server_config);
  if (std::optional<Config> own = project_config(project, server)) {
    return std::make_shared<const Config>(std::move(*own));
  }
  return std::make_shared<const Config>(std::move(server));
}

std::unique_ptr<RuleSet> build_rules(std::shared_ptr<const Config> config) {
  const bool is_builtin = config->builtin;
  auto rules = std::make_unique<RuleSet>(std::move(config), is_builtin ? &builtin_keyword_index() : nullptr);
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
