// This file implements the HTML reporter (see html.hpp): the page around the data of html_data.hpp, and
// the incidents of a scan's findings.
#include "report/html.hpp"

#include <fmt/core.h>
#include <sys/random.h>

#include <cstdlib>
#include <map>
#include <sstream>

#include "core/error.hpp"
#include "report/html_data.hpp"
#include "report/place_context.hpp"

namespace keygate {

// Generated from src/report/html/ by cmake/embed_text.cmake and cmake/csp_hash.cmake.
extern const char kHtmlBody[];
extern const char kHtmlStyle[];
extern const char kHtmlScript[];
extern const char kHtmlStyleHash[];
extern const char kHtmlScriptHash[];

namespace {

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
  add_place_context(data.incidents, findings, context);
  // An incomplete scan shows the viewer's "not fully scanned" line, as an audit's incomplete repository does.
  if (!context.gap.empty()) {
    RepositoryResult scanned;
    scanned.name = context.repo.empty() ? "this scan" : context.repo;
    scanned.status = RepositoryStatus::Incomplete;
    scanned.error = context.gap;
    data.repositories.push_back(std::move(scanned));
  }
  for (Incident& incident : data.incidents) {
    if (const auto it = by_id.find(incident.id); it != by_id.end()) incident.redacted = it->second->secret;
    if (history) incident.advice += " The key stays readable in every clone of the history.";
  }
  std::ostringstream page;
  write_html(page, data, history ? "history" : "scan");
  fmt::print(out, "{}", page.str());
}

}  // namespace keygate
