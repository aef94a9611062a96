// This file implements config resolution (see config_resolve.hpp): --config, .keygate.toml, [extend]
// chains and the project's files, from the index or the work tree.
#include "config_resolve.hpp"

#include <git2.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <vector>

#include "error.hpp"
#include "file_io.hpp"
#include "process.hpp"

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

// `config` with the files its [extend] path chain names merged under it, then the defaults under the
// last one when it asks for them (`default_use_default` when it does not say: false for --config, as
// gitleaks does; for .keygate.toml, what .keygate.toml says, true by default, so that a chain never drops
// the defaults silently).
Config resolve_chain(Config config, const std::string& dir, bool default_use_default, const ChainReader& read,
                     std::vector<std::string>& chain) {
  if (config.extend_path.empty()) {
    if (config.use_default.value_or(default_use_default)) return merge_configs(default_config(), config);
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
  Config base = resolve_chain(std::move(parent.config), parent.dir, default_use_default, read, chain);
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

}  // namespace

std::optional<ProjectFiles::File> ProjectFiles::read(const std::string& relative) const {
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

std::shared_ptr<const Config> resolve_config(const std::string& config_file, const ProjectFiles& project) {
  if (!config_file.empty()) {
    ChainLink first = read_from_disk(config_file, ".");
    std::vector<std::string> chain{first.key};
    return std::make_shared<const Config>(
        resolve_chain(std::move(first.config), first.dir, false, read_from_disk, chain));
  }
  if (std::optional<ProjectFiles::File> file = project.read(".keygate.toml")) {
    // Inside the project, a chain is read the way .keygate.toml is (index first for the staged check);
    // a path that leaves the project (absolute, or above its root) is read from disk.
    const ChainReader read_in_project = [&](const std::string& ref, const std::string& dir) -> ChainLink {
      const fs::path joined =
          fs::path(ref).is_absolute() ? fs::path(ref) : (fs::path(dir) / ref).lexically_normal();
      const std::string relative = joined.string();
      if (joined.is_absolute() || relative.rfind("..", 0) == 0 || project.root.empty()) {
        return read_from_disk(joined.is_absolute() ? relative : project.root + relative, ".");
      }
      std::optional<ProjectFiles::File> linked = project.read(relative);
      if (!linked) throw Error(project.root + relative + ": cannot read: No such file or directory");
      return {parse_config(linked->text, linked->name), relative, parent_dir(relative)};
    };
    std::vector<std::string> chain{".keygate.toml"};
    Config config = parse_config(file->text, file->name);
    const bool use_default = config.use_default.value_or(true);
    return std::make_shared<const Config>(
        resolve_chain(std::move(config), ".", use_default, read_in_project, chain));
  }
  // The defaults themselves, not a copy: they live as long as the process.
  return std::shared_ptr<const Config>(&default_config(), [](const Config*) {});
}

std::unique_ptr<RuleSet> build_rules(std::shared_ptr<const Config> config) {
  const bool is_builtin = config->builtin;
  auto rules = std::make_unique<RuleSet>(std::move(config), is_builtin ? &builtin_keyword_index() : nullptr);
  rules->compile(Compile::UserRules);
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
