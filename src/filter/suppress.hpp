// This file declares the suppression filter: after fingerprinting, it drops the findings a project has
// accepted (.keygateignore) or that an earlier report already had (--baseline).
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "config/resolve.hpp"
#include "core/sink.hpp"

namespace keygate {

// The fingerprints listed in the text of a .keygateignore file: one a line, `#` starts a comment line,
// trailing blanks and CR are ignored.
std::set<std::string> parse_ignore_file(std::string_view text);

// The fingerprints a run accepts: the project's .keygateignore (read as ProjectFiles reads it) and, when
// `baseline_path` is not empty, every fingerprint of that earlier JSON report. Throws Error naming the file
// that cannot be read or is not a report.
std::set<std::string> suppressed_fingerprints(const ProjectFiles& project, const std::string& baseline_path);

// Adds the fingerprints of `findings` that `path` (a .keygateignore) does not list yet, each under a
// comment naming the rule and place; returns how many were added. The file is replaced atomically
// (write_file_atomic): on any error, a full disk included, it is left as it was and Error is thrown.
std::size_t add_to_ignore_file(const std::string& path, const std::vector<Finding>& findings);

// Drops every finding whose fingerprint is in the set, passes the others on. Thread-safe if `next` is.
class SuppressionFilter : public FindingFilter {
 public:
  SuppressionFilter(FindingSink& next, std::set<std::string> fingerprints)
      : FindingFilter(next), fingerprints_(std::move(fingerprints)) {}
  void add(Finding finding) override;
  // True iff this filter passes `finding` (fingerprinted) on.
  bool keeps(const Finding& finding) const { return fingerprints_.count(finding.fingerprint) == 0; }

 private:
  const std::set<std::string> fingerprints_;
};

}  // namespace keygate
