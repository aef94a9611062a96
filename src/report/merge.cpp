// This file implements `keygate report merge` (see merge.hpp): result files found, read strictly, merged one
// at a time (memory holds the merged incidents, not the files), and the merged report written.
#include "report/merge.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <sstream>

#include "cli/cli.hpp"
#include "cli/runners.hpp"
#include "core/error.hpp"
#include "report/html.hpp"
#include "report/report.hpp"
#include "util/file_io.hpp"
#include "util/utf8.hpp"

#ifndef KEYGATE_VERSION
#define KEYGATE_VERSION "0.0.0"
#endif

namespace keygate {
namespace {

bool hidden_or_temporary(const std::filesystem::path& p) {
  const std::string name = p.filename().string();
  return name.empty() || name[0] == '.' || name.find(".keygate-tmp-") != std::string::npos;
}

std::string short_id(const std::string& id) { return id.substr(0, 12); }

std::set<std::string> repositories_of(const Incident& i) {
  std::set<std::string> names;
  for (const Place& p : i.places) names.insert(p.repository);
  return names;
}

std::string place_text(const Place& p) {
  std::string where = p.path.empty() ? "(commit message)" : p.path;
  if (p.line > 0) where += fmt::format(":{}:{}", p.line, p.column);
  std::string text = p.repository + "  " + where;
  if (!p.commit.empty()) text += "  commit " + p.commit.substr(0, 12);
  if (!p.date.empty()) text += "  " + p.date;
  if (!p.author.empty()) text += "  " + p.author;
  return text;
}

std::string sarif_level(const std::string& confidence) {
  return confidence == "high" ? "error" : confidence == "medium" ? "warning" : "note";
}

// The audit key, when there is one to read: KEYGATE_AUDIT_KEY, else the .keygate-key of the first input
// directory that has one. Never creates a key (a merge must not invent one).
std::optional<AuditKey> existing_audit_key(const std::vector<std::string>& inputs) {
  const char* env = std::getenv("KEYGATE_AUDIT_KEY");
  if (env != nullptr && *env != '\0') return load_audit_key(".");
  for (const std::string& input : inputs) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(input + "/.keygate-key", ec)) return load_audit_key(input);
  }
  return std::nullopt;
}

}  // namespace

std::vector<std::string> result_files(const std::vector<std::string>& inputs) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  for (const std::string& input : inputs) {
    std::error_code ec;
    if (fs::is_directory(input, ec)) {
      std::vector<std::string> found;
      fs::recursive_directory_iterator it(input, fs::directory_options::none, ec), end;
      if (ec) throw Error(input + ": cannot read: " + ec.message());
      for (; it != end; it.increment(ec)) {
        if (ec) throw Error(input + ": cannot read: " + ec.message());
        if (hidden_or_temporary(it->path())) {
          if (it->is_directory()) it.disable_recursion_pending();
          continue;
        }
        if (it->is_regular_file() && it->path().extension() == ".json") found.push_back(it->path().string());
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::exists(input, ec)) {
      files.push_back(input);
    } else {
      throw Error(input + ": no such file or directory");
    }
  }
  return files;
}

Incidents peer_incidents(const std::vector<interop::PeerFinding>& findings, const AuditKey& key,
                         const std::string& place) {
  Incidents result;
  result.key_id = key.id();
  for (const interop::PeerFinding& f : findings) {
    Incidents one;
    Incident incident;
    incident.id = f.secret.empty()
                      ? secret_id(key, std::string("\0peer\0", 6) + f.tool + '\0' +
                                           (f.fingerprint.empty()
                                                ? f.rule + '\0' + f.file + ':' + std::to_string(f.line)
                                                : f.fingerprint))
                      : secret_id(key, f.secret);
    incident.rule = f.rule.empty() ? f.tool : f.rule;
    incident.description = "reported by " + f.tool;
    incident.confidence = "medium";
    incident.redacted = f.secret.empty() ? "" : redacted(f.secret);
    incident.triage = f.triage == "false_positive" ? "false_positive"
                      : f.triage == "ignored"      ? "accepted"
                                                   : "";
    Place where;
    where.repository = f.repository.empty() ? place : f.repository;
    where.commit = f.commit;
    where.path = f.file;
    where.line = f.line;
    where.date = f.date;
    where.author = f.author;
    where.fingerprint = f.fingerprint;
    incident.first_seen = incident.last_seen = utc_date(f.date);
    incident.places.push_back(std::move(where));
    one.incidents.push_back(std::move(incident));
    one.key_id = result.key_id;
    merge_incidents(result, std::move(one));  // (one incident per secret: a tool may list it often)
  }
  return result;
}

Incidents merge_result_files(const std::vector<std::string>& files, const std::optional<AuditKey>& key) {
  Incidents merged;
  std::string key_file;  // the first file that named the key every other must share
  for (const std::string& file : files) {
    const std::string text = load_file(file);
    Incidents one;
    // keygate's own result files first; then other scanners' reports (interop/peer_reports.hpp); anything
    // else is refused by the strict reader, which names the file.
    const std::optional<interop::PeerFormat> peer =
        text.find(kIncidentsSchema) == std::string::npos
            ? interop::sniff(text, std::filesystem::path(file).filename().string())
            : std::nullopt;
    if (peer) {
      if (!key) {
        throw Error(
            file +
            ": another scanner's report needs the audit key to name its secrets: set KEYGATE_AUDIT_KEY, "
            "or give the audit's results directory (its .keygate-key)");
      }
      one = peer_incidents(interop::read_peer_report(text, *peer, file), *key, file);
    } else {
      one = parse_incidents(text, file);
    }
    if (!one.key_id.empty() && !merged.key_id.empty() && one.key_id != merged.key_id)
      throw Error(file + " and " + key_file +
                  " were made with different audit keys: their ids cannot be compared");
    if (key_file.empty() && !one.key_id.empty()) key_file = file;
    merge_incidents(merged, std::move(one));
  }
  return merged;
}

void write_incidents_text(std::FILE* out, const Incidents& incidents) {
  for (const Incident& i : incidents.incidents) {
    std::string state = i.confidence;
    if (!i.verification.empty()) state += ", " + i.verification;
    if (!i.triage.empty()) state += ", " + i.triage;
    const std::set<std::string> repositories = repositories_of(i);
    fmt::print(out, "{}  {}  ({})\n", i.redacted, i.rule, state);
    fmt::print(out, "    id {}  first seen {}  last seen {}  {} place{} in {} repositor{}\n", short_id(i.id),
               i.first_seen.empty() ? "-" : i.first_seen, i.last_seen.empty() ? "-" : i.last_seen,
               i.places.size(), i.places.size() == 1 ? "" : "s", repositories.size(),
               repositories.size() == 1 ? "y" : "ies");
    for (const Place& p : i.places) {
      fmt::print(out, "    {}\n", place_text(p));
      if (!p.context.empty()) fmt::print(out, "      | {}\n", escape_control(p.context));
    }
    if (!i.advice.empty()) fmt::print(out, "    advice: {}\n", i.advice);
  }
  std::size_t problems = 0;
  for (const RepositoryResult& r : incidents.repositories) {
    if (r.status == RepositoryStatus::Ok) continue;
    ++problems;
    fmt::print(out, "{}: {}: {}\n", r.name, status_name(r.status), r.error);
  }
  fmt::print(out, "{} incident{} in {} repositor{}", incidents.incidents.size(),
             incidents.incidents.size() == 1 ? "" : "s", incidents.repositories.size(),
             incidents.repositories.size() == 1 ? "y" : "ies");
  fmt::print(
      out, "{}\n",
      problems > 0 ? fmt::format(" ({} failed or incomplete: the audit is incomplete)", problems) : "");
}

// What the merged audit could not read, for SARIF's invocation and GitLab's status: empty when every
// repository is complete; else how many are not, and the first of them with its error.
std::string audit_gap(const Incidents& incidents) {
  std::size_t problems = 0;
  std::string first;
  for (const RepositoryResult& r : incidents.repositories) {
    if (r.status == RepositoryStatus::Ok) continue;
    if (problems++ == 0) first = r.name + ": " + status_name(r.status) + ": " + r.error;
  }
  if (problems == 0) return "";
  return fmt::format("{} repositor{} failed or incomplete, the first: {}", problems,
                     problems == 1 ? "y" : "ies", first);
}

void write_incidents_sarif(std::FILE* out, const Incidents& incidents) {
  std::set<std::pair<std::string, std::string>> rules;
  for (const Incident& i : incidents.incidents) rules.emplace(i.rule, i.description);
  fmt::print(
      out,
      "{{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n  \"version\": \"2.1.0\",\n"
      "  \"runs\": [{{\n    \"tool\": {{\"driver\": {{\"name\": \"keygate\", \"version\": {}, \"rules\": [",
      json_string(KEYGATE_VERSION));
  bool first = true;
  std::string last_rule;
  for (const auto& [id, description] : rules) {
    if (id == last_rule) continue;  // one row per rule id
    last_rule = id;
    fmt::print(out, "{}\n      {{\"id\": {}, \"shortDescription\": {{\"text\": {}}}}}", first ? "" : ",",
               json_string(id), json_string(description.empty() ? id : description));
    first = false;
  }
  fmt::print(out, "]}}}},\n    \"results\": [");
  first = true;
  for (const Incident& i : incidents.incidents) {
    fmt::print(
        out, "{}\n      {{\"ruleId\": {}, \"level\": \"{}\", \"message\": {{\"text\": {}}}, \"locations\": [",
        first ? "" : ",", json_string(i.rule), sarif_level(i.confidence),
        json_string(fmt::format("{}: {} ({} place{}, first seen {})",
                                i.description.empty() ? i.rule : i.description, i.redacted, i.places.size(),
                                i.places.size() == 1 ? "" : "s",
                                i.first_seen.empty() ? "unknown" : i.first_seen)));
    first = false;
    for (std::size_t n = 0; n < i.places.size(); ++n) {
      const Place& p = i.places[n];
      fmt::print(out, "{}{{", n == 0 ? "" : ", ");
      if (!p.path.empty()) {
        fmt::print(out, "\"physicalLocation\": {{\"artifactLocation\": {{\"uri\": {}}}", json_string(p.path));
        if (p.line > 0) {
          fmt::print(out, ", \"region\": {{\"startLine\": {}, \"startColumn\": {}", p.line,
                     std::max(1, p.column));
          if (!p.context.empty()) fmt::print(out, ", \"snippet\": {{\"text\": {}}}", json_string(p.context));
          fmt::print(out, "}}");
        }
        fmt::print(out, "}}, ");
      }
      fmt::print(out,
                 "\"message\": {{\"text\": {}}}, \"properties\": {{\"repository\": {}, \"commit\": {}}}}}",
                 json_string(place_text(p)), json_string(p.repository), json_string(p.commit));
    }
    fmt::print(out, "], \"partialFingerprints\": {{\"keygateIncident/v1\": {}}}", json_string(i.id));
    fmt::print(
        out, ", \"properties\": {{\"firstSeen\": {}, \"lastSeen\": {}, \"triage\": {}, \"advice\": {}}}}}",
        json_string(i.first_seen), json_string(i.last_seen), json_string(i.triage), json_string(i.advice));
  }
  fmt::print(out, "{}],\n    {}\n  }}]\n}}\n", incidents.incidents.empty() ? "" : "\n    ",
             sarif_invocations(audit_gap(incidents)));
}

void write_incidents_gitlab(std::FILE* out, const Incidents& incidents) {
  const std::string tool =
      R"({"id": "keygate", "name": "keygate", "url": "https://github.com/keygate/keygate", "vendor": {"name": "keygate"}, "version": )" +
      json_string(KEYGATE_VERSION) + "}";
  fmt::print(out, "{{\n  \"version\": \"15.0.7\",\n  \"vulnerabilities\": [");
  bool first = true;
  for (const Incident& i : incidents.incidents) {
    const Place none;
    const Place& p = i.places.empty() ? none : i.places.front();
    const std::string id = i.id.substr(0, 8) + "-" + i.id.substr(8, 4) + "-" + i.id.substr(12, 4) + "-" +
                           i.id.substr(16, 4) + "-" + i.id.substr(20, 12);
    const std::string name = i.description.empty() ? i.rule : i.description;
    std::string where;
    for (const Place& q : i.places) {
      where += "\n- " + place_text(q);
      if (!q.context.empty()) where += "\n  " + q.context;
    }
    fmt::print(
        out, "{}\n    {{\"id\": {}, \"category\": \"secret_detection\", \"name\": {}, \"description\": {}, ",
        first ? "" : ",", json_string(id), json_string(name),
        json_string(fmt::format("{} detected by rule {}: {}, seen at {} place{}:{}", name, i.rule, i.redacted,
                                i.places.size(), i.places.size() == 1 ? "" : "s", where)));
    first = false;
    fmt::print(out, "\"severity\": \"Critical\", \"solution\": {}, ",
               json_string(i.advice.empty()
                               ? "Revoke the secret with its provider; removing it from history does not "
                                 "make it safe again."
                               : i.advice));
    fmt::print(out, "\"location\": {{\"file\": {}, \"commit\": {{\"sha\": {}}}", json_string(p.path),
               json_string(p.commit.empty() ? "0000000" : p.commit));
    if (p.line > 0) fmt::print(out, ", \"start_line\": {}, \"end_line\": {}", p.line, p.line);
    fmt::print(out, "}}, \"identifiers\": [{{\"type\": \"keygate_rule_id\", \"name\": {}, \"value\": {}}}]}}",
               json_string("keygate rule " + i.rule), json_string(i.rule));
  }
  const std::string when = incidents.generated.empty() ? utc_now() : incidents.generated;
  const std::string time = when.substr(0, 19);  // GitLab's schema: no zone letter
  fmt::print(out,
             "{}],\n  \"scan\": {{\"analyzer\": {}, \"scanner\": {}, \"type\": \"secret_detection\", {}, "
             "\"start_time\": \"{}\", \"end_time\": \"{}\"}}\n}}\n",
             incidents.incidents.empty() ? "" : "\n  ", tool, tool, gitlab_scan_status(audit_gap(incidents)),
             time, time);
}

int run_report(const Options& options) {
  // 1. `report merge` (the parser took the word `merge`, options.cpp): the inputs.
  const std::vector<std::string>& inputs = options.args;
  if (inputs.empty()) throw Error("report merge: no result file or directory given");
  // 2. Every result file, merged one at a time; other scanners' reports named under the audit's key.
  Incidents merged = merge_result_files(result_files(inputs), existing_audit_key(inputs));
  // 3. Triage marks from the viewer.
  if (!options.audit.triage_file.empty())
    apply_triage(merged, load_file(options.audit.triage_file), options.audit.triage_file);
  // 4. The report.
  switch (options.audit.merge_format) {
    case audit::MergeFormat::Json:
      fmt::print("{}", incidents_json(merged));
      break;
    case audit::MergeFormat::Sarif:
      write_incidents_sarif(stdout, merged);
      break;
    case audit::MergeFormat::Gitlab:
      write_incidents_gitlab(stdout, merged);
      break;
    case audit::MergeFormat::Html: {
      std::ostringstream page;
      write_html(page, merged, "merge");
      fmt::print("{}", page.str());
      break;
    }
    case audit::MergeFormat::Text:
      write_incidents_text(stdout, merged);
      break;
  }
  std::fflush(stdout);
  // 5. The exit code, as the audit's: 2 a repository failed or is incomplete, 1 incidents, 0 clean.
  return !audit_gap(merged).empty() ? 2 : merged.incidents.empty() ? 0 : 1;
}

}  // namespace keygate
