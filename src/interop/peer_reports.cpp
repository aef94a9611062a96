// This file implements the readers of other scanners' reports (see peer_reports.hpp). Every JSON format is
// read with keygate's one JSON walker (util/json_walk.hpp) into its scalar values by JSON pointer, then
// picked apart by the pointers each tool's documented layout gives; a field that is absent stays empty.
#include "interop/peer_reports.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include "core/error.hpp"
#include "util/json_walk.hpp"

namespace keygate::interop {
namespace {

// The scalar values of one JSON text by pointer (strings unescaped, numbers and literals as written).
using Scalars = std::map<std::string, std::string, std::less<>>;

Scalars read_scalars(std::string_view text, const std::string& place) {
  Scalars values;
  JsonError error;
  const bool valid = walk_json(
      text,
      [&](const JsonValue& v) {
        const char first = text[v.begin];
        if (first == '{' || first == '[') return;
        values.emplace(std::string(v.pointer), first == '"'
                                                   ? json_string(text, v)
                                                   : std::string(text.substr(v.begin, v.end - v.begin)));
      },
      &error);
  if (!valid) throw Error(place + ": byte " + std::to_string(error.at) + ": not valid JSON: " + error.what);
  return values;
}

std::string get(const Scalars& values, const std::string& pointer) {
  const auto it = values.find(pointer);
  return it == values.end() ? std::string() : it->second;
}

int to_line(const std::string& number) {
  int n = 0;
  for (const char c : number) {
    if (c < '0' || c > '9' || n > 100000000) return 0;
    n = n * 10 + (c - '0');
  }
  return n;
}

// The distinct first tokens after `prefix` ("/" + token + "/..."), in order: the array indexes or object
// keys of the container at `prefix`.
std::vector<std::string> members(const Scalars& values, const std::string& prefix) {
  std::vector<std::string> out;
  for (auto it = values.lower_bound(prefix); it != values.end() && it->first.rfind(prefix, 0) == 0; ++it) {
    const std::string_view rest = std::string_view(it->first).substr(prefix.size());
    const std::string token(rest.substr(0, rest.find('/')));
    if (std::find(out.begin(), out.end(), token) == out.end()) out.push_back(token);
  }
  // Array indexes sort as strings ("10" before "2"): put them back in number order.
  if (std::all_of(out.begin(), out.end(), [](const std::string& t) {
        return !t.empty() && std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; });
      })) {
    std::sort(out.begin(), out.end(), [](const std::string& a, const std::string& b) {
      return a.size() != b.size() ? a.size() < b.size() : a < b;
    });
  }
  return out;
}

// JSON pointer token of an object key (RFC 6901 escapes), as members() returns them: back to the key.
std::string unescape_token(std::string_view token) {
  std::string out;
  for (std::size_t i = 0; i < token.size(); ++i) {
    if (token[i] == '~' && i + 1 < token.size()) {
      out += token[i + 1] == '1' ? '/' : '~';
      ++i;
    } else {
      out += token[i];
    }
  }
  return out;
}

std::vector<PeerFinding> read_gitleaks_json(std::string_view text, const std::string& place) {
  const Scalars values = read_scalars(text, place);
  std::vector<PeerFinding> out;
  for (const std::string& i : members(values, "/")) {
    const std::string at = "/" + i + "/";
    PeerFinding f;
    f.tool = "gitleaks";
    f.rule = get(values, at + "RuleID");
    if (f.rule.empty()) throw Error(place + ": " + at + "RuleID: missing (not a gitleaks JSON report?)");
    f.file = get(values, at + "File");
    f.commit = get(values, at + "Commit");
    f.secret = get(values, at + "Secret");
    f.fingerprint = get(values, at + "Fingerprint");
    f.date = get(values, at + "Date");
    f.author = get(values, at + "Author");
    f.line = to_line(get(values, at + "StartLine"));
    out.push_back(std::move(f));
  }
  return out;
}

// .gitleaksignore: "commit:file:rule:line" (history scans) or "file:rule:line" (directory scans).
std::vector<PeerFinding> read_gitleaks_ignore(std::string_view text, const std::string& place) {
  std::vector<PeerFinding> out;
  int number = 0;
  for (std::size_t at = 0; at <= text.size();) {
    std::size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(at, end - at);
    at = end + 1;
    ++number;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
      line.remove_suffix(1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (line.empty() || line.front() == '#') continue;
    const std::size_t last = line.rfind(':');
    const std::size_t rule_colon =
        last == std::string_view::npos || last == 0 ? std::string_view::npos : line.rfind(':', last - 1);
    const int line_number = last == std::string_view::npos ? 0 : to_line(std::string(line.substr(last + 1)));
    if (rule_colon == std::string_view::npos || line_number == 0 || rule_colon + 1 == last) {
      throw Error(place + ":" + std::to_string(number) +
                  ": not a gitleaks fingerprint (commit:file:rule:line or file:rule:line)");
    }
    PeerFinding f;
    f.tool = "gitleaks";
    f.fingerprint = std::string(line);
    f.rule = std::string(line.substr(rule_colon + 1, last - rule_colon - 1));
    f.line = line_number;
    f.triage = "ignored";
    std::string_view file = line.substr(0, rule_colon);
    const std::size_t first = file.find(':');
    if (first == 40 && std::all_of(file.begin(), file.begin() + 40,
                                   [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); })) {
      f.commit = std::string(file.substr(0, 40));
      file.remove_prefix(41);
    }
    f.file = std::string(file);
    if (f.file.empty()) throw Error(place + ":" + std::to_string(number) + ": no file in the fingerprint");
    out.push_back(std::move(f));
    if (end == text.size()) break;
  }
  return out;
}

// TruffleHog v3 --json: one object a line; where it was found under /SourceMetadata/Data/<source>/.
std::vector<PeerFinding> read_trufflehog(std::string_view text, const std::string& place) {
  std::vector<PeerFinding> out;
  int number = 0;
  for (std::size_t at = 0; at < text.size();) {
    std::size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(at, end - at);
    at = end + 1;
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    const Scalars values = read_scalars(line, place + ":" + std::to_string(number));
    PeerFinding f;
    f.tool = "trufflehog";
    f.rule = get(values, "/DetectorName");
    if (f.rule.empty()) {
      throw Error(place + ":" + std::to_string(number) + ": /DetectorName: missing (not TruffleHog JSON?)");
    }
    f.secret = get(values, "/Raw");
    for (const std::string& source : members(values, "/SourceMetadata/Data/")) {
      const std::string p = "/SourceMetadata/Data/" + source + "/";
      if (f.file.empty()) f.file = get(values, p + "file");
      if (f.file.empty()) f.file = get(values, p + "path");
      if (f.commit.empty()) f.commit = get(values, p + "commit");
      if (f.line == 0) f.line = to_line(get(values, p + "line"));
      if (f.author.empty()) f.author = get(values, p + "email");
      if (f.date.empty()) f.date = get(values, p + "timestamp");
      if (f.repository.empty()) f.repository = get(values, p + "repository");
    }
    // TruffleHog has no fingerprint of its own: its detector, place and (hashed by the reader) secret.
    f.fingerprint = f.rule + ":" + f.commit + ":" + f.file + ":" + std::to_string(f.line);
    out.push_back(std::move(f));
  }
  return out;
}

std::vector<PeerFinding> read_detect_secrets(std::string_view text, const std::string& place) {
  const Scalars values = read_scalars(text, place);
  std::vector<PeerFinding> out;
  for (const std::string& token : members(values, "/results/")) {
    const std::string file = unescape_token(token);
    for (const std::string& i : members(values, "/results/" + token + "/")) {
      const std::string at = "/results/" + token + "/" + i + "/";
      PeerFinding f;
      f.tool = "detect-secrets";
      f.rule = get(values, at + "type");
      f.fingerprint = get(values, at + "hashed_secret");
      if (f.rule.empty() || f.fingerprint.empty()) {
        throw Error(place + ": " + at + (f.rule.empty() ? "type" : "hashed_secret") +
                    ": missing (not a detect-secrets baseline?)");
      }
      f.file = get(values, at + "filename");
      if (f.file.empty()) f.file = file;
      f.line = to_line(get(values, at + "line_number"));
      const std::string is_secret = get(values, at + "is_secret");
      f.triage = is_secret == "false" ? "false_positive" : is_secret == "true" ? "true_positive" : "";
      out.push_back(std::move(f));
    }
  }
  return out;
}

std::vector<PeerFinding> read_sarif(std::string_view text, const std::string& place) {
  const Scalars values = read_scalars(text, place);
  if (get(values, "/version").rfind("2.", 0) != 0)
    throw Error(place + ": /version: not SARIF 2.x (\"" + get(values, "/version") + "\")");
  std::vector<PeerFinding> out;
  for (const std::string& run : members(values, "/runs/")) {
    const std::string tool = get(values, "/runs/" + run + "/tool/driver/name");
    for (const std::string& i : members(values, "/runs/" + run + "/results/")) {
      const std::string at = "/runs/" + run + "/results/" + i + "/";
      const std::string location = at + "locations/0/physicalLocation/";
      PeerFinding f;
      f.tool = tool.empty() ? "sarif" : tool;
      f.rule = get(values, at + "ruleId");
      f.file = get(values, location + "artifactLocation/uri");
      if (f.file.rfind("file://", 0) == 0) f.file.erase(0, 7);
      f.line = to_line(get(values, location + "region/startLine"));
      f.commit = get(values, at + "partialFingerprints/commitSha");
      f.author = get(values, at + "partialFingerprints/author");
      f.date = get(values, at + "partialFingerprints/date");
      const std::vector<std::string> fingerprints = members(values, at + "fingerprints/");
      if (!fingerprints.empty()) f.fingerprint = get(values, at + "fingerprints/" + fingerprints.front());
      const std::string suppressed = get(values, at + "suppressions/0/kind");
      if (!suppressed.empty()) f.triage = "ignored";
      out.push_back(std::move(f));
    }
  }
  return out;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

std::optional<PeerFormat> sniff(std::string_view text, std::string_view file_name) {
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  const char c = first == std::string_view::npos ? '\0' : text[first];
  if (c == '{') {
    const std::string_view head = text.substr(first, 1 << 16);
    const bool has_runs = head.find("\"runs\"") != std::string_view::npos;
    if (has_runs &&
        (head.find("sarif") != std::string_view::npos || head.find("\"version\"") != std::string_view::npos))
      return PeerFormat::Sarif;
    if (head.find("\"SourceMetadata\"") != std::string_view::npos ||
        head.find("\"DetectorName\"") != std::string_view::npos)
      return PeerFormat::TrufflehogJson;
    if (head.find("\"results\"") != std::string_view::npos &&
        (head.find("\"plugins_used\"") != std::string_view::npos ||
         head.find("\"hashed_secret\"") != std::string_view::npos))
      return PeerFormat::DetectSecretsBaseline;
    if (ends_with(file_name, ".secrets.baseline")) return PeerFormat::DetectSecretsBaseline;
    return std::nullopt;
  }
  if (c == '[') {
    // gitleaks' report; keygate's own report is an array too, with "rule" where gitleaks has "RuleID".
    if (text.find("\"RuleID\"") != std::string_view::npos) return PeerFormat::GitleaksJson;
    return std::nullopt;
  }
  if (ends_with(file_name, ".gitleaksignore")) return PeerFormat::GitleaksIgnore;
  // Lines of "...:rule:line": a .gitleaksignore by another name.
  try {
    if (c != '\0' && !read_gitleaks_ignore(text, "").empty()) return PeerFormat::GitleaksIgnore;
  } catch (const Error&) {
  }
  return std::nullopt;
}

std::vector<PeerFinding> read_peer_report(std::string_view text, PeerFormat format,
                                          const std::string& place) {
  switch (format) {
    case PeerFormat::GitleaksJson:
      return read_gitleaks_json(text, place);
    case PeerFormat::GitleaksIgnore:
      return read_gitleaks_ignore(text, place);
    case PeerFormat::TrufflehogJson:
      return read_trufflehog(text, place);
    case PeerFormat::DetectSecretsBaseline:
      return read_detect_secrets(text, place);
    case PeerFormat::Sarif:
      return read_sarif(text, place);
  }
  return {};
}

std::string_view format_name(PeerFormat format) {
  switch (format) {
    case PeerFormat::GitleaksJson:
      return "gitleaks-json";
    case PeerFormat::GitleaksIgnore:
      return "gitleaksignore";
    case PeerFormat::TrufflehogJson:
      return "trufflehog-json";
    case PeerFormat::DetectSecretsBaseline:
      return "detect-secrets";
    case PeerFormat::Sarif:
      return "sarif";
  }
  return "";
}

}  // namespace keygate::interop
