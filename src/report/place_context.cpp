// This file implements the lines shown beside findings (place_context.hpp): read back once per path and
// commit after the scan, so that the scan itself keeps no text.
#include "report/place_context.hpp"

#include <map>
#include <optional>
#include <string>
#include <tuple>

#include "core/error.hpp"
#include "git/git.hpp"
#include "report/redact_text.hpp"
#include "util/file_io.hpp"

namespace keygate {
namespace {

// Line `line` (1-based) of `text`, without its line break; empty past the end.
std::string_view line_of(std::string_view text, int line) {
  std::size_t begin = 0;
  for (int n = 1; n < line; ++n) {
    begin = text.find('\n', begin);
    if (begin == std::string_view::npos) return {};
    ++begin;
  }
  std::string_view rest = text.substr(begin);
  rest = rest.substr(0, rest.find('\n'));
  if (!rest.empty() && rest.back() == '\r') rest.remove_suffix(1);
  return rest;
}

using PlaceKey = std::tuple<std::string, std::string, int, int>;  // commit, path, line, column

// Line `line` of `text` with `secrets` redacted (unless shown), or nothing for a line too long to show.
std::optional<std::string> shown_line(std::string_view text, int line,
                                      const std::vector<std::string>& secrets, const ReportContext& context) {
  const std::string_view found = line_of(text, line);
  if (found.size() > 64 * 1024) return std::nullopt;  // a minified bundle: the place says enough
  return context.secrets == Secrets::Shown ? std::string(found) : redact_each(found, secrets);
}

// The text of `path` in `commit` of `repo`, or nothing if it cannot be read: a place without its line is
// still a place.
std::optional<std::string> blob_at(git_repository* repo, const std::string& commit, const std::string& path) {
  try {
    return git::blob_at(repo, commit, path);
  } catch (const Error&) {
    return std::nullopt;
  }
}

// The lines of the findings, each with every secret found in its path redacted (in any commit: a line
// may hold a key introduced earlier): a file scan reads them back from the files (the scan just read them),
// a history scan from each finding's commit. Findings of messages, of decoded secrets and of dataset
// records get no line, nor does a staged scan's.
std::map<PlaceKey, std::string> context_lines(const std::vector<Finding>& findings,
                                              const ReportContext& context) {
  std::map<PlaceKey, std::string> lines;
  const bool history = context.source == SourceKind::Commit;
  if (context.source != SourceKind::File && !history) return lines;
  std::map<std::string, std::vector<const Finding*>> by_path;
  for (const Finding& f : findings) {
    if (f.line > 0 && !f.file.empty() && f.inner.empty() && f.record == 0 && f.decoded.empty() &&
        (f.commit != nullptr) == history)
      by_path[f.file].push_back(&f);
  }
  git::Repository repo;
  if (history && !by_path.empty()) {
    try {
      repo = git::open(context.repo);
    } catch (const Error&) {
      return lines;  // the scan read it a moment ago; without it the page just shows no lines
    }
  }
  for (const auto& [path, which] : by_path) {
    std::vector<std::string> secrets;
    for (const Finding* f : which) secrets.push_back(f->secret);
    std::map<std::string, std::optional<std::string>> texts;  // by commit ("" for a file scan)
    for (const Finding* f : which) {
      const std::string commit = history ? f->commit->id : "";
      auto it = texts.find(commit);
      if (it == texts.end())
        it = texts.emplace(commit, history ? blob_at(repo.get(), commit, path) : load_file_if_exists(path))
                 .first;
      if (!it->second) continue;
      if (std::optional<std::string> line = shown_line(*it->second, f->line, secrets, context))
        lines[{commit, f->file, f->line, f->column}] = std::move(*line);
    }
  }
  return lines;
}

}  // namespace

void add_place_context(std::vector<Incident>& incidents, const std::vector<Finding>& findings,
                       const ReportContext& context) {
  const std::map<PlaceKey, std::string> lines = context_lines(findings, context);
  if (lines.empty()) return;
  for (Incident& incident : incidents) {
    for (Place& place : incident.places) {
      if (const auto it = lines.find({place.commit, place.path, place.line, place.column}); it != lines.end())
        place.context = it->second;
    }
  }
}

}  // namespace keygate
