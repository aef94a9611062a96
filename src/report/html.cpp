// This file implements the HTML reporter (see html.hpp): the page around the data of html_data.hpp, and
// the grouping of a scan's findings into incidents.
#include "report/html.hpp"

#include <fmt/core.h>

#include <ctime>
#include <fstream>
#include <map>
#include <sstream>

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

std::string now_iso() {
  const std::time_t t = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

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

// The lines of a file scan's findings, read back from the files (the scan just read them), each with every
// secret found in its file redacted. Findings of other sources, of decoded secrets and of dataset records
// get no line.
std::vector<std::string> context_lines(const std::vector<Finding>& findings, const ReportContext& context) {
  std::vector<std::string> lines(findings.size());
  if (context.source != SourceKind::File) return lines;
  std::map<std::string, std::vector<std::size_t>> by_file;
  for (std::size_t i = 0; i < findings.size(); ++i) {
    if (findings[i].kind == SourceKind::File && findings[i].line > 0 && !findings[i].file.empty() &&
        findings[i].record == 0 && findings[i].decoded.empty()) {
      by_file[findings[i].file].push_back(i);
    }
  }
  for (const auto& [file, which] : by_file) {
    const std::optional<std::string> text = load_file_if_exists(file);
    if (!text) continue;
    std::vector<std::string> secrets;
    for (std::size_t i : which) secrets.push_back(findings[i].secret);
    for (std::size_t i : which) {
      const std::string_view line = line_of(*text, findings[i].line);
      if (line.size() > 64 * 1024) continue;  // a minified bundle: the place says enough
      lines[i] = context.secrets == Secrets::Shown ? std::string(line) : redact_each(line, secrets);
    }
  }
  return lines;
}

}  // namespace

void write_html(std::ostream& out, const HtmlData& data) {
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src '"
      << kHtmlScriptHash << "'; style-src '" << kHtmlStyleHash
      << "'; img-src data:; base-uri 'none'; form-action 'none'\">\n"
      << "<meta name=\"referrer\" content=\"no-referrer\">\n"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      << "<title>keygate report</title>\n<style>" << kHtmlStyle << "</style>\n</head>\n<body>\n"
      << kHtmlBody << "<script type=\"application/json\" id=\"keygate-data\">" << data.json()
      << "</script>\n<script>" << kHtmlScript << "</script>\n</body>\n</html>\n";
}

void write_html_report(std::FILE* out, const std::vector<Finding>& findings, const ReportContext& context) {
  const bool history = context.source == SourceKind::Commit;
  HtmlData data("keygate " + context.version, now_iso(), history ? "history" : "scan");
  const std::vector<std::string> lines = context_lines(findings, context);
  // One incident per secret (and rule): the places of a key copied into three files are one key to revoke.
  std::map<std::pair<std::string_view, std::string_view>, std::vector<std::size_t>> incidents;
  for (std::size_t i = 0; i < findings.size(); ++i)
    incidents[{findings[i].rule_id, findings[i].secret}].push_back(i);
  for (const auto& [key, which] : incidents) {
    const Finding& f = findings[which.front()];
    const std::string secret = context.secrets == Secrets::Shown ? f.secret : redacted(f.secret);
    const std::string advice = "Revoke or rotate this key with its provider (" + f.description +
                               "), then remove it from the code and load it at run time instead." +
                               (history ? " It stays readable in every clone of the history." : "");
    HtmlData::Incident incident;
    incident.id = f.fingerprint;  // the secret's identity across its places, and no secret in it
    incident.rule = f.rule_id;
    incident.description = f.description;
    incident.confidence = f.confidence;
    incident.verification = f.verification;
    incident.redacted = secret;
    incident.advice = advice;
    data.begin_incident(incident);
    for (std::size_t i : which) {
      const Finding& p = findings[i];
      HtmlData::Place place;
      place.path = p.file;
      place.line = p.line;
      place.column = p.column;
      place.context = lines[i];
      place.fingerprint = p.fingerprint;
      if (p.commit) {
        place.commit = p.commit->id;
        place.date = p.commit->date;
        place.author = p.commit->author;
      }
      data.add_place(place);
    }
  }
  std::ostringstream page;
  write_html(page, data);
  fmt::print(out, "{}", page.str());
}

}  // namespace keygate
