// This file declares the fingerprint filter: the stage after the detector that gives each finding the
// fingerprint (finding.hpp) that ignore files and baselines use. Suppression comes after it.
#pragma once

#include "core/sink.hpp"

namespace keygate {

// The fingerprint of `f`: over its rule, file and secret; a finding about a file name alone (line 0)
// has no secret in its fingerprint, so renaming nothing else changes it.
std::string fingerprint_of(const Finding& f);

// Sets each finding's fingerprint (fingerprint_of) and passes it on. Thread-safe if `next` is.
class FingerprintFilter : public FindingFilter {
 public:
  using FindingFilter::FindingFilter;
  void add(Finding finding) override;
};

}  // namespace keygate
