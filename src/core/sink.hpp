// This file declares where findings go after the detector: a FindingSink. Filters (fingerprint,
// suppression, ...) are sinks that pass on what they keep to the next sink; the last one collects or
// reports. The pipeline is: sources -> Scanner (detector) -> filters -> sink.
#pragma once

#include <mutex>
#include <vector>

#include "core/finding.hpp"

namespace keygate {

// Receives findings, from any number of threads at once: every implementation's add() is thread-safe.
class FindingSink {
 public:
  virtual ~FindingSink() = default;
  // Takes one finding. Thread-safe.
  virtual void add(Finding finding) = 0;
  // Called once, after the last add(), from one thread: a streaming sink flushes here.
  virtual void finish() {}
  // True iff this sink, or one after it, is sure to drop `finding` whatever a later stage sets on it
  // (commit, fingerprint): a source that holds findings back to compare them (history attribution) asks
  // this instead of judging them itself. Thread-safe.
  virtual bool drops(const Finding&) const { return false; }
};

// A filter: a sink that passes what it keeps (possibly changed) to `next`.
class FindingFilter : public FindingSink {
 public:
  // `next` must outlive the filter.
  explicit FindingFilter(FindingSink& next) : next_(next) {}
  void finish() override { next_.finish(); }
  bool drops(const Finding& finding) const override { return next_.drops(finding); }

 protected:
  FindingSink& next_;
};

// Keeps every finding, in the order they arrive (which depends on threads: sort before reporting).
class FindingCollector : public FindingSink {
 public:
  void add(Finding finding) override;
  // The findings so far; the collector is empty afterwards.
  std::vector<Finding> take();

 private:
  std::mutex mutex_;
  std::vector<Finding> findings_;
};

}  // namespace keygate
