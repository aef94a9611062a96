// This file declares the data half of the HTML reporter: incidents (one secret each, with the places it was
// found) laid out as the compact, columnar JSON the page reads (src/report/html/app.js), escaped to sit in a
// <script type="application/json"> block.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/confidence.hpp"

namespace keygate {

// Collects a report incident by incident, then writes it as the page's JSON. Every string is stored once
// (a table of strings, columns of indices), dates as Unix seconds, and a fingerprint of the usual
// "rule:path:hash" form as its hash alone: about 100 bytes per place instead of 500.
// REQUIRES: each add_place follows the begin_incident of its incident.
class HtmlData {
 public:
  // `kind`: "scan", "history", "audit" or "merge" (what the page's title says). `generated`: ISO-8601.
  HtmlData(std::string_view tool, std::string_view generated, std::string_view kind);

  void add_repository(std::string_view name, std::string_view status, std::string_view error,
                      std::uint64_t commits, std::uint64_t bytes);

  // `verification`: "live", "dead", "unknown..." or empty (not verified); `triage`: "false_positive",
  // "accepted", "revoked" or empty; `identity`: who the key belongs to, one "key: value" a line, or empty.
  struct Incident {
    std::string_view id, rule, description;
    Confidence confidence = Confidence::High;
    std::string_view verification, identity, redacted, advice, triage;
  };
  void begin_incident(const Incident& incident);

  // `date`: ISO-8601 ("2026-12-07T14:00:00+01:00" or "...Z"), or empty. `context`: the line, secret
  // redacted; it is shortened to kContextBytes around `column`.
  struct Place {
    std::string_view repository, commit, path;
    int line = 0, column = 0;
    std::string_view date, author, context, fingerprint;
  };
  void add_place(const Place& place);

  // The JSON document, safe inside <script type="application/json">: '<', '>', '&', U+2028 and U+2029
  // are written as \u escapes, so no "</script>" or "<!--" can appear in it.
  std::string json() const;

  static constexpr std::size_t kContextBytes = 160;

 private:
  int intern(std::string_view s);  // -1 for the empty string
  std::string tool_, generated_, kind_;
  std::vector<std::string> strings_;
  std::unordered_map<std::string, int> index_;
  std::string repo_name_, repo_status_, repo_error_, repo_commits_, repo_bytes_;
  std::string ids_, rules_, descriptions_, confidences_, verifications_, identities_, redacted_, advice_,
      triage_, place_counts_;
  std::string p_repo_, p_commit_, p_path_, p_line_, p_column_, p_date_, p_author_, p_context_, p_fp_;
  std::vector<int> counts_;
  int current_rule_ = -1;
};

// Seconds since 1970 of an ISO-8601 date with seconds and a zone ("Z" or "+hh:mm"); 0 if it is not one.
long long iso_to_unix(std::string_view date);

// `json` (JSON text) with '<', '>', '&', U+2028 and U+2029 written as \u escapes: the same JSON value,
// safe inside an HTML <script> element. REQUIRES: those characters occur only inside strings (true of JSON).
std::string script_safe(std::string_view json);

}  // namespace keygate
