// This file implements the findings collector (see sink.hpp).
#include "core/sink.hpp"

namespace keygate {

void FindingCollector::add(Finding finding) {
  std::lock_guard<std::mutex> lock(mutex_);
  findings_.push_back(std::move(finding));
}

std::vector<Finding> FindingCollector::take() {
  std::lock_guard<std::mutex> lock(mutex_);
  return std::move(findings_);
}

}  // namespace keygate
