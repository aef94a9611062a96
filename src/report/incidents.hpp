// This file declares the incidents model: findings grouped by the secret they reveal, one incident per
// secret with every place it was seen. It is the currency of `keygate audit` (one result file per
// repository), `keygate report merge` and the HTML viewer, all in one JSON schema ("keygate-incidents/1",
// /work/notes/CONTRACTS.md; README "Audit an organisation"). A secret is named by a keyed hash
// (HMAC-SHA256 under the audit key), never stored: no result file holds a secret in plain text.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.hpp"

namespace keygate {

inline constexpr std::string_view kIncidentsSchema = "keygate-incidents/1";

// The key of the keyed hash. Results hashed under different keys cannot be merged (the same secret would
// have two ids).
struct AuditKey {
  std::string bytes;  // 32 random bytes, or KEYGATE_AUDIT_KEY decoded
  // 16 hex digits naming the key (an HMAC of a fixed text under it): results record it so that a merge
  // can tell keys apart without either file holding the key.
  std::string id() const;
};

// The key from KEYGATE_AUDIT_KEY (hex, at least 16 bytes) when set, else DIR/.keygate-key, created with 32
// random bytes (mode 0600) when absent. Throws Error naming the variable or the file when it is bad.
AuditKey load_audit_key(const std::string& dir);

// The 64-hex identity of `secret` under `key`.
std::string secret_id(const AuditKey& key, std::string_view secret);

enum class RepositoryStatus { Ok, Failed, Incomplete };
const char* status_name(RepositoryStatus status);  // "ok", "failed", "incomplete"

// One repository an audit read, and how that went.
struct RepositoryResult {
  std::string name;
  RepositoryStatus status = RepositoryStatus::Ok;
  std::string error;          // why it failed or is incomplete; empty when ok
  std::uint64_t commits = 0;  // commits scanned
  std::uint64_t bytes = 0;    // bytes of content scanned
  std::string refs;           // 64 hex: SHA-256 of the refs scanned (name and target); a rerun compares it
};

// One place a secret was found.
struct Place {
  std::string repository;
  std::string commit;  // 40 hex, or empty outside history
  std::string path;    // empty for a commit or tag message
  int line = 0;
  int column = 0;
  std::string date;         // ISO 8601, the commit's author date
  std::string author;       // "Name <email>"
  std::string context;      // the line, secret redacted; may be empty
  std::string fingerprint;  // the finding's fingerprint (core/finding.hpp), for .keygateignore and triage
};

struct Incident {
  std::string id;  // secret_id(): the secret's identity
  std::string rule;
  std::string description;
  std::string confidence;                       // "high", "medium", "low"
  std::string verification;                     // "live", "dead", "unknown: ...", or empty (not verified)
  std::map<std::string, std::string> identity;  // who the key belongs to, when verification says
  std::string redacted;                         // the secret's redacted view
  std::string advice;                           // how to revoke or rotate it; may be empty
  std::string first_seen;                       // the earliest place's date (ISO 8601), or empty
  std::string last_seen;                        // the latest
  std::string triage;                           // "", "false_positive", "accepted", "revoked"
  std::vector<Place> places;                    // sorted, no two alike
};

struct Incidents {
  std::string tool;  // "keygate 1.2.3"
  std::string
      generated;  // ISO 8601 UTC; a merge takes its inputs' latest, so that its bytes depend on them only
  std::string key_id;  // AuditKey::id() of the key the ids were made with; empty when no incident
  std::vector<RepositoryResult> repositories;  // sorted by name, one each
  std::vector<Incident> incidents;             // sorted by id, one each
};

// The findings of one repository's scan grouped into incidents (one per secret), sorted by id.
std::vector<Incident> group_findings(const std::vector<Finding>& findings, const std::string& repository,
                                     const AuditKey& key);

// Adds `other` into `into`: incidents with the same id become one (every place kept once; the earliest
// first_seen, the latest last_seen; the other fields from the smaller incident in a fixed order), and
// repositories with the same name one. merge is associative and commutative: the bytes written after
// merging any files in any order and grouping are the same. Throws Error when the key ids differ (the
// caller names the files).
void merge_incidents(Incidents& into, Incidents other);

// Writes `incidents` as JSON (the schema above), ending with a newline.
std::string incidents_json(const Incidents& incidents);

// Reads a JSON text written by incidents_json. Strict: anything else (not JSON, another schema, a field
// of the wrong type, a missing required field) throws Error("<place>: not a keygate incidents file: why").
Incidents parse_incidents(std::string_view text, const std::string& place);

// Marks from the HTML viewer's triage file ({"schema": "keygate-triage/1", "marks": [...]}): the incidents
// whose id, or one of whose places' fingerprints, is marked get that mark. Throws Error naming `place` for
// a bad file.
void apply_triage(Incidents& incidents, std::string_view triage_text, const std::string& place);

// An ISO 8601 date with a zone ("2024-01-02T03:04:05+02:00", "...Z") as UTC ("2024-01-02T01:04:05Z"), so
// that dates from different zones compare as text; empty when it is not one.
std::string utc_date(const std::string& date);

// ISO 8601 UTC now, e.g. "2026-12-07T14:00:00Z".
std::string utc_now();

}  // namespace keygate
