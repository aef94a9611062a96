// This file declares how the language server (keygate lsp) judges a document: it finds the document's
// project (the git work tree holding it), loads that project's rules, .keygateignore and baseline as the
// hook does (config/resolve.hpp), and runs the editor's text through the one pipeline (core/pipeline.hpp),
// as `keygate scan -` runs standard input, with the document's path relative to the project so that path
// allowlists, path confidence and fingerprints are the hook's.
#pragma once

#include <ctime>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/confidence.hpp"
#include "core/finding.hpp"
#include "core/pipeline.hpp"
#include "rules/rules.hpp"

namespace keygate::lsp {

// What the command line (and the client's initializationOptions) say about judging.
struct JudgeSettings {
  std::string config_file;                   // --config FILE: these rules instead of the project's
  std::string baseline;                      // --baseline REPORT: relative to each project's root
  std::optional<Confidence> min_confidence;  // --min-confidence; unset: the project's [confidence] minimum
  std::vector<std::string> packs;            // --rules NAME
};

// Where a document lives.
struct DocumentPlace {
  std::string root;  // its project's root, with a trailing '/'
  std::string path;  // relative to `root`, as `keygate scan` from the root and the hook name it
};

// The place of the file at absolute path `file`: in the work tree of the git repository that holds it;
// outside any, under `fallback_root` (the workspace folder, with a trailing '/') when it is inside it,
// else in the file's own directory.
DocumentPlace place_of(const std::string& file, const std::string& fallback_root);

// The judged findings of a text, or why there are none to trust.
struct Verdict {
  std::vector<Finding> findings;  // kept by the pipeline, fingerprinted, in report order
  // Non-empty: the text could not be judged (a project file cannot be read or parsed: its place and why)
  // or was judged incompletely; `findings` are then what was found, not a clean bill.
  std::string problem;
};

// Judges texts in their projects, keeping each project's rules until one of its files changes.
class Projects {
 public:
  explicit Projects(JudgeSettings settings) : settings_(std::move(settings)) {}
  Verdict judge(const DocumentPlace& place, std::string_view text);

 private:
  struct Project {
    std::string key;  // what the rules and judgement were made from; another key: made again
    std::unique_ptr<RuleSet> rules;
    Judgement judgement;
    std::string problem;  // non-empty: this project's files cannot be used (rules is null)
  };
  // The project at `root`, loaded again when its files changed since.
  Project& load(const std::string& root);
  JudgeSettings settings_;
  std::map<std::string, Project> projects_;
};

}  // namespace keygate::lsp
