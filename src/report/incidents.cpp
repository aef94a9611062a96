// This file implements the incidents model (see incidents.hpp): grouping a scan's findings by secret, the
// audit key, merging result files, and the JSON form both ways. It sits after the pipeline: audit and
// `report merge` feed it findings or files; the reporters and the HTML viewer read what it builds.
#include "report/incidents.hpp"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <tuple>
#include <unordered_map>

#include "core/confidence.hpp"
#include "core/error.hpp"
#include "report/report.hpp"
#include "util/file_io.hpp"
#include "util/json_walk.hpp"
#include "util/sha256.hpp"
#include "util/utf8.hpp"
#include "verify/revoke.hpp"

namespace keygate {
namespace {

// `hex` decoded; *ok is false when it is not an even run of hex digits.
std::string decode_hex(std::string_view hex, bool* ok) {
  std::string bytes;
  *ok = hex.size() % 2 == 0;
  for (std::size_t i = 0; *ok && i < hex.size(); i += 2) {
    const int high = hex_digit_value(hex[i]), low = hex_digit_value(hex[i + 1]);
    if (high < 0 || low < 0) *ok = false;
    bytes.push_back(static_cast<char>(high * 16 + low));
  }
  return bytes;
}

bool is_hex_id(std::string_view s, std::size_t length) {
  return s.size() == length &&
         std::all_of(s.begin(), s.end(), [](char c) { return hex_digit_value(c) >= 0; });
}

int status_rank(RepositoryStatus s) {
  return s == RepositoryStatus::Ok ? 2 : s == RepositoryStatus::Incomplete ? 1 : 0;
}

int triage_rank(const std::string& t) {
  return t == "revoked" ? 3 : t == "accepted" ? 2 : t == "false_positive" ? 1 : 0;
}

int verification_rank(const std::string& v) { return v == "live" ? 3 : v == "dead" ? 2 : v.empty() ? 0 : 1; }

auto place_key(const Place& p) {
  return std::tie(p.repository, p.commit, p.path, p.line, p.column, p.fingerprint, p.date, p.author,
                  p.context);
}

auto repository_key(const RepositoryResult& r) {
  return std::make_tuple(status_rank(r.status), r.commits, r.bytes, std::cref(r.refs), std::cref(r.error));
}

// The fields an incident takes from one side as a whole: from the smaller tuple, whichever side it is on.
auto description_key(const Incident& i) {
  return std::tie(i.rule, i.description, i.confidence, i.redacted, i.advice);
}

std::string earliest(const std::string& a, const std::string& b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  return std::min(a, b);
}

// Merges `other` (same id) into `into`. Every field is a join under a fixed order or a union, so the
// result depends on the set of incidents merged, not on their order or grouping.
void merge_incident(Incident& into, Incident&& other) {
  if (description_key(other) < description_key(into)) {
    into.rule = std::move(other.rule);
    into.description = std::move(other.description);
    into.confidence = std::move(other.confidence);
    into.redacted = std::move(other.redacted);
    into.advice = std::move(other.advice);
  }
  if (std::make_tuple(verification_rank(other.verification), std::cref(other.verification)) >
      std::make_tuple(verification_rank(into.verification), std::cref(into.verification))) {
    into.verification = std::move(other.verification);
  }
  for (auto& [name, value] : other.identity) {
    auto [it, added] = into.identity.emplace(name, value);
    if (!added && value > it->second) it->second = value;
  }
  if (triage_rank(other.triage) > triage_rank(into.triage)) into.triage = std::move(other.triage);
  into.first_seen = earliest(into.first_seen, other.first_seen);
  into.last_seen = std::max(into.last_seen, other.last_seen);
  std::vector<Place> places;
  places.reserve(into.places.size() + other.places.size());
  std::merge(std::make_move_iterator(into.places.begin()), std::make_move_iterator(into.places.end()),
             std::make_move_iterator(other.places.begin()), std::make_move_iterator(other.places.end()),
             std::back_inserter(places),
             [](const Place& a, const Place& b) { return place_key(a) < place_key(b); });
  places.erase(std::unique(places.begin(), places.end(),
                           [](const Place& a, const Place& b) { return place_key(a) == place_key(b); }),
               places.end());
  into.places = std::move(places);
}

// ---- JSON writing ----

void write_field(std::string& out, std::string_view name, std::string_view value, bool comma = true) {
  out += json_string(name);
  out += ": ";
  out += json_string(value);
  if (comma) out += ", ";
}

void write_number(std::string& out, std::string_view name, std::uint64_t value, bool comma = true) {
  out += json_string(name);
  out += ": ";
  out += std::to_string(value);
  if (comma) out += ", ";
}

// ---- JSON reading ----

// A JSON pointer split into its tokens (unescaped: "~1" -> "/", "~0" -> "~").
std::vector<std::string> pointer_tokens(std::string_view pointer) {
  std::vector<std::string> tokens;
  std::size_t at = 0;
  while (at < pointer.size()) {
    const std::size_t end = pointer.find('/', at + 1);
    std::string token(
        pointer.substr(at + 1, end == std::string_view::npos ? std::string_view::npos : end - at - 1));
    std::string unescaped;
    for (std::size_t i = 0; i < token.size(); ++i) {
      if (token[i] == '~' && i + 1 < token.size()) {
        unescaped.push_back(token[i + 1] == '1' ? '/' : '~');
        ++i;
      } else {
        unescaped.push_back(token[i]);
      }
    }
    tokens.push_back(std::move(unescaped));
    if (end == std::string_view::npos) break;
    at = end;
  }
  return tokens;
}

enum class JsonType { Object, Array, String, Number, Bool, Null };

JsonType type_of(std::string_view text, const JsonValue& v) {
  switch (text[v.begin]) {
    case '{':
      return JsonType::Object;
    case '[':
      return JsonType::Array;
    case '"':
      return JsonType::String;
    case 't':
    case 'f':
      return JsonType::Bool;
    case 'n':
      return JsonType::Null;
    default:
      return JsonType::Number;
  }
}

// Reads one JSON document into a structure by the pointers of its values (members come before their
// container, array items in order): each reader below gets the value and the tokens after its own.
class StrictReader {
 public:
  StrictReader(std::string_view text, std::string place) : text_(text), place_(std::move(place)) {}

  [[noreturn]] void fail(const std::string& why) const {
    throw Error(place_ + ": not a keygate " + what_ + " file: " + why);
  }
  void set_what(std::string what) { what_ = std::move(what); }

  void walk(const std::function<void(const JsonValue&, const std::vector<std::string>&, JsonType)>& visit) {
    JsonError error;
    const bool ok = walk_json(
        text_, [&](const JsonValue& v) { visit(v, pointer_tokens(v.pointer), type_of(text_, v)); }, &error);
    if (!ok) fail(std::string(error.what) + " at byte " + std::to_string(error.at));
  }

  std::string string(const JsonValue& v, JsonType type) const {
    if (type != JsonType::String) fail(std::string(v.pointer) + " is not a string");
    return json_string(text_, v);
  }
  std::uint64_t number(const JsonValue& v, JsonType type) const {
    const std::string digits(text_.substr(v.begin, v.end - v.begin));
    if (type != JsonType::Number || digits.empty() ||
        !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
        digits.size() > 18) {
      fail(std::string(v.pointer) + " is not a whole number");
    }
    return std::strtoull(digits.c_str(), nullptr, 10);
  }
  void expect(const JsonValue& v, JsonType type, JsonType wanted, const char* name) const {
    if (type != wanted) fail(std::string(v.pointer.empty() ? "the document" : v.pointer) + " is not " + name);
  }
  // The index an array token names, growing `items` to hold it.
  template <typename T>
  T& item(std::vector<T>& items, const std::string& token) const {
    char* end = nullptr;
    const unsigned long index = std::strtoul(token.c_str(), &end, 10);
    if (token.empty() || *end != '\0' || index > items.size()) fail("bad array index " + token);
    if (index == items.size()) items.emplace_back();
    return items[index];
  }

 private:
  std::string_view text_;
  std::string place_;
  std::string what_ = "incidents";
};

void read_place(StrictReader& r, Place& p, const std::string& field, const JsonValue& v, JsonType t) {
  if (field == "repository")
    p.repository = r.string(v, t);
  else if (field == "commit")
    p.commit = r.string(v, t);
  else if (field == "path")
    p.path = r.string(v, t);
  else if (field == "line")
    p.line = static_cast<int>(r.number(v, t));
  else if (field == "column")
    p.column = static_cast<int>(r.number(v, t));
  else if (field == "date")
    p.date = r.string(v, t);
  else if (field == "author")
    p.author = r.string(v, t);
  else if (field == "context")
    p.context = r.string(v, t);
  else if (field == "fingerprint")
    p.fingerprint = r.string(v, t);
  else
    r.fail("unknown field " + std::string(v.pointer));
}

void read_incident(StrictReader& r, Incident& i, const std::vector<std::string>& k, const JsonValue& v,
                   JsonType t) {
  // k: {"incidents", N, field, ...}
  const std::string& field = k[2];
  if (field == "places") {
    if (k.size() == 3) return r.expect(v, t, JsonType::Array, "an array");
    Place& place = r.item(i.places, k[3]);
    if (k.size() == 4) return r.expect(v, t, JsonType::Object, "an object");
    if (k.size() == 5) return read_place(r, place, k[4], v, t);
    r.fail("unexpected value at " + std::string(v.pointer));
  }
  if (field == "identity") {
    if (k.size() == 3) return r.expect(v, t, JsonType::Object, "an object");
    if (k.size() == 4) {
      i.identity[k[3]] = r.string(v, t);
      return;
    }
    r.fail("unexpected value at " + std::string(v.pointer));
  }
  if (k.size() != 3) r.fail("unexpected value at " + std::string(v.pointer));
  if (field == "id")
    i.id = r.string(v, t);
  else if (field == "rule")
    i.rule = r.string(v, t);
  else if (field == "description")
    i.description = r.string(v, t);
  else if (field == "confidence")
    i.confidence = r.string(v, t);
  else if (field == "verification")
    i.verification = r.string(v, t);
  else if (field == "redacted")
    i.redacted = r.string(v, t);
  else if (field == "advice")
    i.advice = r.string(v, t);
  else if (field == "first_seen")
    i.first_seen = r.string(v, t);
  else if (field == "last_seen")
    i.last_seen = r.string(v, t);
  else if (field == "triage")
    i.triage = r.string(v, t);
  else
    r.fail("unknown field " + std::string(v.pointer));
}

void read_repository(StrictReader& r, RepositoryResult& repo, const std::string& field, const JsonValue& v,
                     JsonType t) {
  if (field == "name") {
    repo.name = r.string(v, t);
  } else if (field == "status") {
    const std::string s = r.string(v, t);
    if (s == "ok")
      repo.status = RepositoryStatus::Ok;
    else if (s == "failed")
      repo.status = RepositoryStatus::Failed;
    else if (s == "incomplete")
      repo.status = RepositoryStatus::Incomplete;
    else
      r.fail(std::string(v.pointer) + " is not ok, failed or incomplete");
  } else if (field == "error") {
    repo.error = r.string(v, t);
  } else if (field == "commits") {
    repo.commits = r.number(v, t);
  } else if (field == "bytes") {
    repo.bytes = r.number(v, t);
  } else if (field == "refs") {
    repo.refs = r.string(v, t);
  } else {
    r.fail("unknown field " + std::string(v.pointer));
  }
}

}  // namespace

std::string AuditKey::id() const { return to_hex(hmac_sha256(bytes, "keygate audit key id")).substr(0, 16); }

AuditKey load_audit_key(const std::string& dir) {
  AuditKey key;
  if (const char* env = std::getenv("KEYGATE_AUDIT_KEY"); env != nullptr && *env != '\0') {
    bool ok = false;
    key.bytes = decode_hex(env, &ok);
    if (!ok || key.bytes.size() < 16)
      throw Error("KEYGATE_AUDIT_KEY: not a key: at least 32 hex digits expected");
    return key;
  }
  const std::string path = dir + "/.keygate-key";
  std::optional<std::string> text = load_file_if_exists(path);
  if (!text) {
    // Shards may start together on one shared directory: each writes a whole key under its own name and
    // links it into place; link() fails for all but the first, and every shard then reads the winner's.
    char random[32];
    if (getrandom(random, sizeof random, 0) != static_cast<ssize_t>(sizeof random))
      throw Error(path + ": cannot create the audit key: no random bytes: " + std::strerror(errno));
    const std::string temp = path + ".new." + std::to_string(::getpid());
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    const std::string content = to_hex(std::string_view(random, sizeof random)) + "\n";
    const bool written =
        fd >= 0 && ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()) &&
        ::fsync(fd) == 0;
    const int saved = errno;
    if (fd >= 0) ::close(fd);
    if (!written || (::link(temp.c_str(), path.c_str()) != 0 && errno != EEXIST)) {
      const int why = written ? errno : saved;
      ::unlink(temp.c_str());
      throw Error(path + ": cannot create the audit key: " + std::strerror(why));
    }
    ::unlink(temp.c_str());
    text = load_file(path);
  }
  std::string hex = *text;
  while (!hex.empty() && (hex.back() == '\n' || hex.back() == '\r')) hex.pop_back();
  bool ok = false;
  key.bytes = decode_hex(hex, &ok);
  if (!ok || key.bytes.size() < 16)
    throw Error(path + ": not an audit key (at least 32 hex digits expected)");
  return key;
}

std::string secret_id(const AuditKey& key, std::string_view secret) {
  return to_hex(hmac_sha256(key.bytes, secret));
}

const char* status_name(RepositoryStatus status) {
  switch (status) {
    case RepositoryStatus::Ok:
      return "ok";
    case RepositoryStatus::Failed:
      return "failed";
    case RepositoryStatus::Incomplete:
      return "incomplete";
  }
  return "failed";
}

namespace {

// What to do about a leaked key of `rule_id`: the provider's own steps, as `keygate revoke` prints them,
// led by `keygate revoke` itself where the provider has a revocation API.
std::string revocation_advice(const std::string& rule_id) {
  const std::string steps = revocation_steps(rule_id);
  return can_revoke(rule_id)
             ? "`keygate revoke` switches it off with the provider's revocation API. Or by hand: " + steps
             : steps;
}

}  // namespace

std::vector<Incident> group_findings(const std::vector<Finding>& findings, const std::string& repository,
                                     const AuditKey& key) {
  std::unordered_map<std::string, Incident> by_id;
  for (const Finding& f : findings) {
    Incident one;
    one.id = secret_id(key, f.secret);
    one.rule = f.rule_id;
    one.description = f.description;
    one.confidence = confidence_name(f.confidence);
    one.verification = f.verification;
    one.identity.insert(f.identity.begin(), f.identity.end());  // --verify: the HTML report shows it
    one.redacted = redacted(f.secret);
    one.advice = revocation_advice(f.rule_id);
    Place place;
    place.repository = repository;
    place.path = f.file;
    place.line = f.line;
    place.column = f.column;
    place.fingerprint = f.fingerprint;
    if (f.commit) {
      place.commit = f.commit->id;
      place.date = f.commit->date;
      place.author = f.commit->author + (f.commit->email.empty() ? "" : " <" + f.commit->email + ">");
      one.first_seen = one.last_seen = utc_date(f.commit->date);
    }
    one.places.push_back(std::move(place));
    const std::string id = one.id;
    auto [it, added] = by_id.emplace(id, one);
    if (!added) merge_incident(it->second, std::move(one));
  }
  std::vector<Incident> incidents;
  incidents.reserve(by_id.size());
  for (auto& [id, incident] : by_id) incidents.push_back(std::move(incident));
  std::sort(incidents.begin(), incidents.end(),
            [](const Incident& a, const Incident& b) { return a.id < b.id; });
  return incidents;
}

void merge_incidents(Incidents& into, Incidents other) {
  if (!into.key_id.empty() && !other.key_id.empty() && into.key_id != other.key_id)
    throw Error("made with different audit keys (" + into.key_id + " and " + other.key_id + ")");
  if (into.key_id.empty()) into.key_id = other.key_id;
  into.tool = std::max(into.tool, other.tool);
  into.generated = std::max(into.generated, other.generated);

  std::vector<RepositoryResult> repositories;
  repositories.reserve(into.repositories.size() + other.repositories.size());
  std::merge(std::make_move_iterator(into.repositories.begin()),
             std::make_move_iterator(into.repositories.end()),
             std::make_move_iterator(other.repositories.begin()),
             std::make_move_iterator(other.repositories.end()), std::back_inserter(repositories),
             [](const RepositoryResult& a, const RepositoryResult& b) { return a.name < b.name; });
  std::vector<RepositoryResult> unique;
  for (RepositoryResult& r : repositories) {
    if (!unique.empty() && unique.back().name == r.name) {
      if (repository_key(r) > repository_key(unique.back())) unique.back() = std::move(r);
    } else {
      unique.push_back(std::move(r));
    }
  }
  into.repositories = std::move(unique);

  std::vector<Incident> incidents;
  incidents.reserve(into.incidents.size() + other.incidents.size());
  std::merge(std::make_move_iterator(into.incidents.begin()), std::make_move_iterator(into.incidents.end()),
             std::make_move_iterator(other.incidents.begin()), std::make_move_iterator(other.incidents.end()),
             std::back_inserter(incidents), [](const Incident& a, const Incident& b) { return a.id < b.id; });
  std::vector<Incident> merged;
  for (Incident& i : incidents) {
    if (!merged.empty() && merged.back().id == i.id) {
      merge_incident(merged.back(), std::move(i));
    } else {
      merged.push_back(std::move(i));
    }
  }
  into.incidents = std::move(merged);
}

std::string incidents_json(const Incidents& incidents) {
  std::string out = "{\n";
  out += " " + json_string("schema") + ": " + json_string(kIncidentsSchema) + ",\n";
  out += " " + json_string("tool") + ": " + json_string(incidents.tool) + ",\n";
  out += " " + json_string("generated") + ": " + json_string(incidents.generated) + ",\n";
  out += " " + json_string("key_id") + ": " + json_string(incidents.key_id) + ",\n";
  out += " \"repositories\": [";
  for (std::size_t n = 0; n < incidents.repositories.size(); ++n) {
    const RepositoryResult& r = incidents.repositories[n];
    out += n == 0 ? "\n  {" : ",\n  {";
    write_field(out, "name", r.name);
    write_field(out, "status", status_name(r.status));
    write_field(out, "error", r.error);
    write_number(out, "commits", r.commits);
    write_number(out, "bytes", r.bytes);
    write_field(out, "refs", r.refs, false);
    out += "}";
  }
  out += incidents.repositories.empty() ? "],\n" : "\n ],\n";
  out += " \"incidents\": [";
  for (std::size_t n = 0; n < incidents.incidents.size(); ++n) {
    const Incident& i = incidents.incidents[n];
    out += n == 0 ? "\n  {" : ",\n  {";
    write_field(out, "id", i.id);
    write_field(out, "rule", i.rule);
    write_field(out, "description", i.description);
    write_field(out, "confidence", i.confidence);
    write_field(out, "verification", i.verification);
    out += "\"identity\": {";
    bool first = true;
    for (const auto& [name, value] : i.identity) {
      if (!first) out += ", ";
      first = false;
      write_field(out, name, value, false);
    }
    out += "}, ";
    write_field(out, "redacted", i.redacted);
    write_field(out, "advice", i.advice);
    write_field(out, "first_seen", i.first_seen);
    write_field(out, "last_seen", i.last_seen);
    write_field(out, "triage", i.triage);
    out += "\"places\": [";
    for (std::size_t m = 0; m < i.places.size(); ++m) {
      const Place& p = i.places[m];
      out += m == 0 ? "\n   {" : ",\n   {";
      write_field(out, "repository", p.repository);
      write_field(out, "commit", p.commit);
      write_field(out, "path", p.path);
      write_number(out, "line", static_cast<std::uint64_t>(std::max(0, p.line)));
      write_number(out, "column", static_cast<std::uint64_t>(std::max(0, p.column)));
      write_field(out, "date", p.date);
      write_field(out, "author", p.author);
      write_field(out, "context", p.context);
      write_field(out, "fingerprint", p.fingerprint, false);
      out += "}";
    }
    out += i.places.empty() ? "]}" : "\n  ]}";
  }
  out += incidents.incidents.empty() ? "]\n}\n" : "\n ]\n}\n";
  return out;
}

Incidents parse_incidents(std::string_view text, const std::string& place) {
  Incidents result;
  StrictReader r(text, place);
  std::string schema;
  bool has_repositories = false, has_incidents = false;
  r.walk([&](const JsonValue& v, const std::vector<std::string>& k, JsonType t) {
    if (k.empty()) return r.expect(v, t, JsonType::Object, "an object");
    const std::string& top = k[0];
    if (top == "repositories" || top == "incidents") {
      if (k.size() == 1) {
        (top == "repositories" ? has_repositories : has_incidents) = true;
        return r.expect(v, t, JsonType::Array, "an array");
      }
      if (top == "repositories") {
        RepositoryResult& repo = r.item(result.repositories, k[1]);
        if (k.size() == 2) return r.expect(v, t, JsonType::Object, "an object");
        if (k.size() == 3) return read_repository(r, repo, k[2], v, t);
        r.fail("unexpected value at " + std::string(v.pointer));
      }
      Incident& incident = r.item(result.incidents, k[1]);
      if (k.size() == 2) return r.expect(v, t, JsonType::Object, "an object");
      return read_incident(r, incident, k, v, t);
    }
    if (k.size() != 1) r.fail("unexpected value at " + std::string(v.pointer));
    if (top == "schema")
      schema = r.string(v, t);
    else if (top == "tool")
      result.tool = r.string(v, t);
    else if (top == "generated")
      result.generated = r.string(v, t);
    else if (top == "key_id")
      result.key_id = r.string(v, t);
    else
      r.fail("unknown field " + std::string(v.pointer));
  });
  if (schema != kIncidentsSchema) r.fail("\"schema\" is not \"" + std::string(kIncidentsSchema) + "\"");
  if (!has_repositories || !has_incidents) r.fail("\"repositories\" or \"incidents\" is missing");
  for (const RepositoryResult& repo : result.repositories) {
    if (repo.name.empty()) r.fail("a repository without a name");
  }
  // The invariants merge_incidents relies on: sorted, one of each.
  for (std::size_t n = 0; n < result.repositories.size(); ++n) {
    if (n > 0 && !(result.repositories[n - 1].name < result.repositories[n].name))
      r.fail("repositories not sorted by name, or one twice");
  }
  for (std::size_t n = 0; n < result.incidents.size(); ++n) {
    Incident& i = result.incidents[n];
    if (!is_hex_id(i.id, 64)) r.fail("incident " + std::to_string(n) + ": \"id\" is not 64 hex digits");
    if (i.rule.empty()) r.fail("incident " + std::to_string(n) + ": no \"rule\"");
    if (n > 0 && !(result.incidents[n - 1].id < i.id)) r.fail("incidents not sorted by id, or one twice");
    std::sort(i.places.begin(), i.places.end(),
              [](const Place& a, const Place& b) { return place_key(a) < place_key(b); });
    i.places.erase(std::unique(i.places.begin(), i.places.end(),
                               [](const Place& a, const Place& b) { return place_key(a) == place_key(b); }),
                   i.places.end());
  }
  if (!result.incidents.empty() && !is_hex_id(result.key_id, 16)) r.fail("\"key_id\" is not 16 hex digits");
  return result;
}

void apply_triage(Incidents& incidents, std::string_view triage_text, const std::string& place) {
  struct Mark {
    std::string id, mark, note;
    std::vector<std::string> fingerprints;
  };
  std::vector<Mark> marks;
  std::string schema;
  StrictReader r(triage_text, place);
  r.set_what("triage");
  r.walk([&](const JsonValue& v, const std::vector<std::string>& k, JsonType t) {
    if (k.empty()) return r.expect(v, t, JsonType::Object, "an object");
    if (k[0] == "schema" && k.size() == 1) {
      schema = r.string(v, t);
    } else if (k[0] == "marks") {
      if (k.size() == 1) return r.expect(v, t, JsonType::Array, "an array");
      Mark& m = r.item(marks, k[1]);
      if (k.size() == 2) return r.expect(v, t, JsonType::Object, "an object");
      if (k[2] == "fingerprints") {
        if (k.size() == 3) return r.expect(v, t, JsonType::Array, "an array");
        r.item(m.fingerprints, k[3]) = r.string(v, t);
      } else if (k.size() == 3 && k[2] == "id") {
        m.id = r.string(v, t);
      } else if (k.size() == 3 && k[2] == "mark") {
        m.mark = r.string(v, t);
        if (triage_rank(m.mark) == 0)
          r.fail(std::string(v.pointer) + " is not false_positive, accepted or revoked");
      } else if (k.size() == 3 && k[2] == "note") {
        m.note = r.string(v, t);
      } else {
        r.fail("unknown field " + std::string(v.pointer));
      }
    } else {
      r.fail("unknown field " + std::string(v.pointer));
    }
  });
  if (schema != "keygate-triage/1") r.fail("\"schema\" is not \"keygate-triage/1\"");
  std::unordered_map<std::string, const Mark*> by_key;
  for (const Mark& m : marks) {
    if (m.mark.empty()) r.fail("a mark without \"mark\"");
    if (!m.id.empty()) by_key["id:" + m.id] = &m;
    for (const std::string& f : m.fingerprints) by_key["fp:" + f] = &m;
  }
  for (Incident& i : incidents.incidents) {
    const Mark* found = nullptr;
    if (auto it = by_key.find("id:" + i.id); it != by_key.end()) found = it->second;
    for (std::size_t n = 0; found == nullptr && n < i.places.size(); ++n) {
      if (auto it = by_key.find("fp:" + i.places[n].fingerprint); it != by_key.end()) found = it->second;
    }
    if (found != nullptr) i.triage = found->mark;
  }
}

std::string utc_date(const std::string& date) {
  std::tm tm{};
  const char* rest = strptime(date.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  if (rest == nullptr) return {};
  long offset = 0;
  if (*rest == '+' || *rest == '-') {
    int hours = 0, minutes = 0;
    if (std::sscanf(rest + 1, "%2d:%2d", &hours, &minutes) != 2) return {};
    offset = (hours * 60L + minutes) * 60L * (*rest == '-' ? -1 : 1);
  } else if (*rest != 'Z' && *rest != '\0') {
    return {};
  }
  const std::time_t utc = timegm(&tm) - offset;
  std::tm out{};
  gmtime_r(&utc, &out);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &out);
  return buffer;
}

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

}  // namespace keygate
