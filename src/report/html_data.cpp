// This file implements the HTML report's data (see html_data.hpp): the columnar JSON the page reads.
#include "report/html_data.hpp"

#include <cstdio>
#include <ctime>

#include "report/report.hpp"

namespace keygate {
namespace {

void append_value(std::string& column, std::string_view value) {
  if (!column.empty()) column += ',';
  column += value;
}
void append_number(std::string& column, long long n) { append_value(column, std::to_string(n)); }

// Whether byte `i` of `s` starts a UTF-8 character (is not a continuation byte).
bool starts_character(std::string_view s, std::size_t i) {
  return i >= s.size() || (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
}

// At most kContextBytes of `line` around byte column `column` (1-based), cut between characters, an
// ellipsis where something was cut: a minified file's one line must not cost a megabyte per finding.
std::string shorten(std::string_view line, int column) {
  constexpr std::string_view kEllipsis = "\xe2\x80\xa6";
  if (line.size() <= HtmlData::kContextBytes) return std::string(line);
  const std::size_t at = column > 0 ? static_cast<std::size_t>(column - 1) : 0;
  std::size_t begin = at > HtmlData::kContextBytes / 3 ? at - HtmlData::kContextBytes / 3 : 0;
  if (begin + HtmlData::kContextBytes > line.size()) begin = line.size() - HtmlData::kContextBytes;
  std::size_t end = begin + HtmlData::kContextBytes;
  while (begin > 0 && !starts_character(line, begin)) --begin;
  while (end < line.size() && !starts_character(line, end)) --end;
  std::string out;
  if (begin > 0) out += kEllipsis;
  out.append(line.substr(begin, end - begin));
  if (end < line.size()) out += kEllipsis;
  return out;
}

char confidence_code(Confidence c) {
  return c == Confidence::High ? 'h' : c == Confidence::Medium ? 'm' : 'l';
}
char verification_code(std::string_view v) {
  if (v == "live") return 'l';
  if (v == "dead") return 'd';
  return v.empty() ? '-' : 'u';  // "unknown: why"
}
char triage_code(std::string_view t) {
  return t == "false_positive" ? 'f' : t == "accepted" ? 'a' : t == "revoked" ? 'r' : '-';
}

}  // namespace

long long iso_to_unix(std::string_view date) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, n = 0;
  const std::string text(date);
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s, &n) != 6) return 0;
  std::tm tm{};
  tm.tm_year = y - 1900, tm.tm_mon = mo - 1, tm.tm_mday = d, tm.tm_hour = h, tm.tm_min = mi, tm.tm_sec = s;
  long long t = static_cast<long long>(timegm(&tm));
  std::string_view zone = date.substr(static_cast<std::size_t>(n));
  if (!zone.empty() && zone[0] == '.') {  // fractions of a second
    zone.remove_prefix(1);
    while (!zone.empty() && zone[0] >= '0' && zone[0] <= '9') zone.remove_prefix(1);
  }
  int zh = 0, zm = 0;
  if ((zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') &&
       std::sscanf(std::string(zone.substr(1)).c_str(), "%2d:%2d", &zh, &zm) == 2)) {
    t -= (zone[0] == '-' ? -1 : 1) * (zh * 3600LL + zm * 60LL);
  } else if (zone != "Z" && !zone.empty()) {
    return 0;
  }
  return t > 0 ? t : 0;
}

std::string script_safe(std::string_view json) {
  std::string out;
  out.reserve(json.size() + json.size() / 64);
  for (std::size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (c == '<') {
      out += "\\u003c";
    } else if (c == '>') {
      out += "\\u003e";
    } else if (c == '&') {
      out += "\\u0026";
    } else if (c == '\xe2' && i + 2 < json.size() && json[i + 1] == '\x80' &&
               (json[i + 2] == '\xa8' || json[i + 2] == '\xa9')) {
      out += json[i + 2] == '\xa8' ? "\\u2028" : "\\u2029";
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

HtmlData::HtmlData(std::string_view tool, std::string_view generated, std::string_view kind)
    : tool_(tool), generated_(generated), kind_(kind) {}

int HtmlData::intern(std::string_view s) {
  if (s.empty()) return -1;
  const auto [it, added] = index_.try_emplace(std::string(s), static_cast<int>(strings_.size()));
  if (added) strings_.emplace_back(s);
  return it->second;
}

void HtmlData::add_repository(std::string_view name, std::string_view status, std::string_view error,
                              std::uint64_t commits, std::uint64_t bytes) {
  // The repository list names repositories by their index in the string table, like the places do.
  append_number(repo_name_, intern(name.empty() ? "." : name));
  append_number(repo_status_, intern(status));
  append_number(repo_error_, intern(error));
  append_number(repo_commits_, static_cast<long long>(commits));
  append_number(repo_bytes_, static_cast<long long>(bytes));
}

void HtmlData::begin_incident(const Incident& incident) {
  append_value(ids_, json_string(incident.id));
  current_rule_ = intern(incident.rule);
  append_number(rules_, current_rule_);
  append_number(descriptions_, intern(incident.description));
  confidences_ += confidence_code(incident.confidence);
  verifications_ += verification_code(incident.verification);
  append_number(identities_, intern(incident.identity));
  append_number(redacted_, intern(incident.redacted));
  append_number(advice_, intern(incident.advice));
  triage_ += triage_code(incident.triage);
  counts_.push_back(0);
}

void HtmlData::add_place(const Place& place) {
  ++counts_.back();
  append_number(p_repo_, intern(place.repository));
  append_number(p_commit_, intern(place.commit));
  const int path = intern(place.path);
  append_number(p_path_, path);
  append_number(p_line_, place.line);
  append_number(p_column_, place.column);
  append_number(p_date_, iso_to_unix(place.date));
  append_number(p_author_, intern(place.author));
  append_value(p_context_, json_string(shorten(place.context, place.column)));
  // "rule:path:hash" with this incident's rule and this place's path (as the page shows it) is stored as
  // the hash; anything else (an escaped path, another tool's fingerprint) whole. The page tells them apart
  // by the ':'.
  std::string_view fp = place.fingerprint;
  const std::string rule = current_rule_ >= 0 ? strings_[static_cast<std::size_t>(current_rule_)] : "";
  const std::string prefix = rule + ":" + (path >= 0 ? strings_[static_cast<std::size_t>(path)] : "") + ":";
  if (fp.size() == prefix.size() + 16 && fp.substr(0, prefix.size()) == prefix &&
      fp.find(':', prefix.size()) == std::string_view::npos) {
    fp.remove_prefix(prefix.size());
  }
  append_value(p_fp_, json_string(fp));
}

std::string HtmlData::json() const {
  std::string out = "{\"format\":\"keygate-html/1\",\"tool\":" + json_string(tool_) +
                    ",\"generated\":" + json_string(generated_) + ",\"kind\":" + json_string(kind_) +
                    ",\n\"s\":[";
  for (std::size_t i = 0; i < strings_.size(); ++i) {
    if (i) out += ',';
    out += json_string(strings_[i]);
  }
  std::string counts;
  for (int n : counts_) append_number(counts, n);
  auto array = [&](const char* name, const std::string& values, bool last = false) {
    out.append("\"").append(name).append("\":[").append(values).append(last ? "]" : "],\n");
  };
  out += "],\n\"repos\":{";
  array("name", repo_name_), array("status", repo_status_), array("error", repo_error_);
  array("commits", repo_commits_), array("bytes", repo_bytes_, true);
  out += "},\n\"inc\":{";
  array("id", ids_), array("rule", rules_), array("desc", descriptions_);
  out += "\"conf\":" + json_string(confidences_) + ",\"ver\":" + json_string(verifications_) +
         ",\"tri\":" + json_string(triage_) + ",\n";
  array("ident", identities_), array("red", redacted_), array("adv", advice_), array("np", counts, true);
  out += "},\n\"pl\":{";
  array("repo", p_repo_), array("commit", p_commit_), array("path", p_path_), array("line", p_line_);
  array("col", p_column_), array("date", p_date_), array("author", p_author_), array("ctx", p_context_);
  array("fp", p_fp_, true);
  out += "}}";
  return script_safe(out);
}

}  // namespace keygate
