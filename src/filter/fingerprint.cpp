// This file implements the fingerprint filter (see filter/fingerprint.hpp).
#include "filter/fingerprint.hpp"

namespace keygate {

std::string fingerprint_of(const Finding& f) {
  return fingerprint(f.rule_id, f.file, f.line == 0 ? std::string_view() : std::string_view(f.secret));
}

void FingerprintFilter::add(Finding finding) {
  finding.fingerprint = fingerprint_of(finding);
  next_.add(std::move(finding));
}

}  // namespace keygate
