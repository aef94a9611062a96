// This file implements the confidence filter (see filter/min_confidence.hpp).
#include "filter/min_confidence.hpp"

namespace keygate {

Confidence minimum_confidence(std::optional<Confidence> option, const Config& config) {
  return option.value_or(config.min_confidence.value_or(Confidence::Medium));
}

void ConfidenceFilter::add(Finding finding) {
  if (!keeps(finding)) return;
  next_.add(std::move(finding));
}

}  // namespace keygate
