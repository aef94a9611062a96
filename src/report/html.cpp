// This file implements the HTML reporter (see html.hpp): the page around the data of html_data.hpp, and
// the incidents of a scan's findings.
#include "report/html.hpp"

#include <fmt/core.h>
#include <sys/random.h>

#include <cstdlib>
#include <map>
#include <optional>
#include <sstream>
#include <tuple>

#include "core/error.hpp"
#include "git/git.hpp"
#include "report/html_data.hpp"
#include "report/redact_text.hpp"
#include "util/file_io.hpp"

namespace keygate {

// Generated from src/report/html/ by cmake/embed_text.cmake and cmake/csp_hash.cmake.
extern const char kHtmlBody[];
extern const char kHtmlStyle[];
extern const char kHtmlScript[];
extern const char kHtmlStyleHash[];
extern const char kHtmlScriptHash[];

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
    if (f.line > 0 && !f.file.empty() && f.record == 0 && f.decoded.empty() &&
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

// KEYGATE_AUDIT_KEY when set; else 32 random bytes that die with this run (a scan writes no key file).
AuditKey report_key() {
  if (const char* env = std::getenv("KEYGATE_AUDIT_KEY"); env != nullptr && *env != '\0')
    return load_audit_key("");
  AuditKey key;
  key.bytes.resize(32);
  if (getrandom(key.bytes.data(), key.bytes.size(), 0) != static_cast<ssize_t>(key.bytes.size()))
    throw Error("--format html: no random bytes for the report's incident ids");
  return key;
}

Confidence parse_level(const std::string& name) {
  return name == "low" ? Confidence::Low : name == "medium" ? Confidence::Medium : Confidence::High;
}

}  // namespace

void write_html(std::ostream& out, const Incidents& data, std::string_view kind) {
  HtmlData html(data.tool, data.generated, kind);
  for (const RepositoryResult& r : data.repositories)
    html.add_repository(r.name, status_name(r.status), r.error, r.commits, r.bytes);
  for (const Incident& incident : data.incidents) {
    std::string identity;
    for (const auto& [key, value] : incident.identity) identity += key + ": " + value + "\n";
    if (!identity.empty()) identity.pop_back();
    HtmlData::Incident row;
    row.id = incident.id;
    row.rule = incident.rule;
    row.description = incident.description;
    row.confidence = parse_level(incident.confidence);
    row.verification = incident.verification;
    row.identity = identity;
    row.redacted = incident.redacted;
    row.advice = incident.advice;
    row.triage = incident.triage;
    html.begin_incident(row);
    for (const Place& p : incident.places) {
      HtmlData::Place place;
      place.repository = p.repository;
      place.commit = p.commit;
      place.path = p.path;
      place.line = p.line;
      place.column = p.column;
      place.date = p.date;
      place.author = p.author;
      place.context = p.context;
      place.fingerprint = p.fingerprint;
      html.add_place(place);
    }
  }
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src '"
      << kHtmlScriptHash << "'; style-src '" << kHtmlStyleHash
      << "'; img-src data:; base-uri 'none'; form-action 'none'\">\n"
      << "<meta name=\"referrer\" content=\"no-referrer\">\n"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      << "<title>keygate report</title>\n<style>" << kHtmlStyle << "</style>\n</head>\n<body>\n"
      << kHtmlBody << "<script type=\"application/json\" id=\"keygate-data\">" << html.json()
      << "</script>\n<script>" << kHtmlScript << "</script>\n</body>\n</html>\n";
}

void write_html_report(std::FILE* out, const std::vector<Finding>& findings, const ReportContext& context) {
  const bool history = context.source == SourceKind::Commit;
  const AuditKey key = report_key();
  Incidents data;
  data.tool = "keygate " + context.version;
  data.generated = utc_now();
  data.key_id = key.id();
  data.incidents = group_findings(findings, "", key);
  std::map<std::string, const Finding*> by_id;  // --show-secrets: each incident's secret
  if (context.secrets == Secrets::Shown) {
    for (const Finding& f : findings) by_id.emplace(secret_id(key, f.secret), &f);
  }
  const std::map<PlaceKey, std::string> lines = context_lines(findings, context);
  for (Incident& incident : data.incidents) {
    if (const auto it = by_id.find(incident.id); it != by_id.end()) incident.redacted = it->second->secret;
    if (incident.advice.empty()) {
      incident.advice = "Revoke or rotate this key with its provider (" + incident.description +
                        "), then remove it from the code and load it at run time instead." +
                        (history ? " It stays readable in every clone of the history." : "");
    }
    for (Place& place : incident.places) {
      if (const auto it = lines.find({place.commit, place.path, place.line, place.column}); it != lines.end())
        place.context = it->second;
    }
  }
  std::ostringstream page;
  write_html(page, data, history ? "history" : "scan");
  fmt::print(out, "{}", page.str());
}

}  // namespace keygate
