// This file implements how the language server judges a document (see lsp/project.hpp).
#include "lsp/project.hpp"

#include <sys/stat.h>

#include <filesystem>

#include "config/resolve.hpp"
#include "core/error.hpp"
#include "filter/suppress.hpp"
#include "git/git.hpp"
#include "util/file_io.hpp"

namespace keygate::lsp {
namespace {

namespace fs = std::filesystem;

std::string with_slash(std::string dir) {
  if (dir.empty() || dir.back() != '/') dir += '/';
  return dir;
}

// `path` with symbolic links resolved as far as it exists, so that an editor's path and git's agree.
std::string canonical(const std::string& path) {
  std::error_code ec;
  const fs::path p = fs::weakly_canonical(path, ec);
  return ec ? path : p.string();
}

// A stamp of the file at `path` that changes when it is rewritten: its size and modification time.
std::string stamp(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return "-";
  return std::to_string(st.st_size) + "@" + std::to_string(st.st_mtim.tv_sec) + "." +
         std::to_string(st.st_mtim.tv_nsec);
}

}  // namespace

DocumentPlace place_of(const std::string& file, const std::string& fallback_root) {
  const std::string path = canonical(file);
  const std::string dir = fs::path(path).parent_path().string();
  std::string root;
  try {
    const git::Repository repo = git::open(dir);
    if (const char* workdir = git_repository_workdir(repo.get())) root = with_slash(canonical(workdir));
  } catch (const Error&) {
    // Not in a repository: the workspace folder, or the file's directory.
  }
  const std::string fallback = fallback_root.empty() ? "" : with_slash(canonical(fallback_root));
  if (root.empty() || path.compare(0, root.size(), root) != 0)
    root = !fallback.empty() && path.compare(0, fallback.size(), fallback) == 0 ? fallback : with_slash(dir);
  return DocumentPlace{root, path.substr(root.size())};
}

Projects::Project& Projects::load(const std::string& root) {
  ProjectFiles files;
  files.root = root;
  std::string baseline = settings_.baseline;
  if (!baseline.empty() && baseline.front() != '/') baseline = root + baseline;
  // The files' stamps, not their text: judging on every keystroke must not read them again. An [extend]
  // chain's other files are not watched (saving .keygate.toml reloads them).
  const std::string key = stamp(root + ".keygate.toml") + "|" + stamp(root + ".keygateignore") + "|" +
                          (baseline.empty() ? "" : stamp(baseline)) + "|" +
                          (settings_.config_file.empty() ? "" : stamp(settings_.config_file));
  Project& project = projects_[root];
  if (project.key == key && (project.rules || !project.problem.empty())) return project;
  project = Project{};
  project.key = key;
  try {
    std::unique_ptr<RuleSet> rules =
        build_rules(with_rule_packs(resolve_config(settings_.config_file, files), settings_.packs));
    project.judgement =
        make_judgement(settings_.min_confidence, rules->config(), suppressed_fingerprints(files, baseline));
    project.rules = std::move(rules);
  } catch (const Error& e) {
    project.problem = e.what();
  }
  return project;
}

Verdict Projects::judge(const DocumentPlace& place, std::string_view text) {
  Verdict verdict;
  Project& project = load(place.root);
  if (!project.rules) {
    verdict.problem = "not scanned: " + project.problem;
    return verdict;
  }
  // The one pipeline, one thread: a document is small and the editor waits for the answer.
  ScanSettings settings;
  settings.jobs = 1;
  Pipeline pipeline(*project.rules, project.judgement, settings);
  Origin origin;
  origin.kind = SourceKind::File;
  origin.path = place.path;
  Scanner& scanner = pipeline.scanner();
  scanner.add(scanner.detect_text(text, origin));
  verdict.findings = pipeline.finish();
  if (scanner.incomplete())
    verdict.problem =
        "the scan of this file is incomplete (see the server's log); it is not known to be clean";
  return verdict;
}

}  // namespace keygate::lsp
