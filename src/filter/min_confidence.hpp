// This file declares the confidence filter: the last filter before the collector, it drops findings less
// sure than the run's minimum (--min-confidence, else [confidence] minimum, else medium).
#pragma once

#include <optional>

#include "config/config.hpp"
#include "core/sink.hpp"

namespace keygate {

// The run's minimum: `option` (--min-confidence) when set, else the config's [confidence] minimum, else
// medium.
Confidence minimum_confidence(std::optional<Confidence> option, const Config& config);

// Passes on the findings whose confidence is at least `minimum`; the others are neither reported nor
// blocking. Thread-safe if `next` is.
class ConfidenceFilter : public FindingFilter {
 public:
  ConfidenceFilter(FindingSink& next, Confidence minimum) : FindingFilter(next), minimum_(minimum) {}
  void add(Finding finding) override;
  bool drops(const Finding& finding) const override { return !keeps(finding) || next_.drops(finding); }
  // True iff this filter passes `finding` on.
  bool keeps(const Finding& finding) const { return finding.confidence >= minimum_; }
  Confidence minimum() const { return minimum_; }

 private:
  const Confidence minimum_;
};

}  // namespace keygate
