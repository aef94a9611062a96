// This file implements what a finding is and the two things every report needs from one: a redacted view
// of its secret and a fingerprint that identifies it across history rewrites.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/confidence.hpp"
#include "core/source.hpp"

namespace keygate {

struct Finding {
  std::string rule_id;
  std::string description;
  SourceKind kind = SourceKind::File;  // where it was found (Origin::kind)
  std::string file;  // exactly as stored (bytes), never quoted; empty for a commit or tag message
  // Inside an archive at `file`: the path in each level, outermost first ("app.jar", "config/.env");
  // empty for a finding in the file itself. See full_path.
  std::vector<std::string> inner;
  int line = 0;    // 1-based; 0 for a finding about the file name alone
  int column = 0;  // 1-based byte column of the secret's first byte
  int end_line = 0;
  std::string secret;
  double entropy = 0;
  std::shared_ptr<const CommitInfo> commit;  // null outside history scans
  std::string fingerprint;                   // set by the fingerprint filter (filter/fingerprint.hpp)
  std::string decoded;  // how the secret was decoded, e.g. "base64>percent"; empty: found as written
  // A decoded finding: the bytes of the encoded span it was decoded from, starting at line:column (the whole
  // span must go for the secret to be gone: `redact`). 0 for a secret found as written.
  std::size_t encoded_length = 0;
  std::string verification;  // "live", "dead" or "unknown: why" (verify.cpp); empty without --verify
  // With --verify, of a live key: who it belongs to as its provider says (name, value; e.g. "login",
  // "scopes"), in the verifier's order. Values are the provider's text, cleaned (verify/identity.hpp).
  std::vector<std::pair<std::string, std::string>> identity;
  // On the first finding of a key found in files of several environments (filter/env_reuse.hpp): each
  // place as "ENVIRONMENT: PATH:LINE". Empty otherwise: the reuse is reported once.
  std::vector<std::string> reuse;
  Confidence confidence = Confidence::High;  // high unless the rule or the generic detector says less
  bool generic = false;  // of a catch-all rule (Rule::generic): its confidence also depends on the path
  bool scored = false;   // its confidence is the scorer's (detect/score_features.hpp), the path weighed in
  std::uint64_t record = 0;  // JSON datasets: the 1-based record (line of a JSON Lines file); 0: none
  std::string pointer;       // JSON datasets: the JSON pointer inside the record, e.g. "/messages/2/content"
  std::string
      explanation;  // why a generic finding got its confidence (score_features.hpp); empty unless asked
};

// Where a finding is, as text shows it: `file`, then each inner path after a '!' ("release.zip!app/.env").
std::string full_path(const Finding& f);

// A recognisable prefix and the last four characters, e.g. "tgp_v1_…Ab3d": enough to find and rotate the
// key, never enough to use it. Short secrets show less.
std::string redacted(std::string_view secret);

// "rule:path:hash", where path has control characters and non-UTF-8 bytes escaped (escape_control), and hash
// is 16 hex digits of SHA-1 over the rule id, the path and the secret. It holds neither commit ids nor line
// numbers, so a rebase, a squash merge or an edit elsewhere in the file leaves it unchanged; the secret
// itself cannot be read back from it.
std::string fingerprint(std::string_view rule_id, std::string_view file, std::string_view secret);

// Shannon entropy of the bytes of `s`, in bits per byte.
double shannon_entropy(std::string_view s);

}  // namespace keygate
