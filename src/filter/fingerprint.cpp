// This file implements the fingerprint filter (see filter/fingerprint.hpp).
#include "filter/fingerprint.hpp"

namespace keygate {

std::string fingerprint_of(const Finding& f) {
  // Inside an archive the whole place counts: the same key in two entries of one zip is two findings.
  const std::string path = f.inner.empty() ? f.file : full_path(f);
  return fingerprint(f.rule_id, path, f.line == 0 ? std::string_view() : std::string_view(f.secret));
}

void FingerprintFilter::add(Finding finding) {
  finding.fingerprint = fingerprint_of(finding);
  next_.add(std::move(finding));
}

}  // namespace keygate
