// This file declares how the verify stage (verify.cpp) gives findings to the built-in verifiers: the AWS
// pairs (aws.hpp) and the Google service-account key files (google.hpp), one job per unique key.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/finding.hpp"
#include "verify/verify.hpp"

namespace keygate {

// The jobs of a verify run, and which job answers for each finding.
struct JobPlan {
  std::vector<VerifyJob> jobs;
  std::vector<std::size_t> finding_job;  // per finding: the index of its job, or SIZE_MAX
  std::vector<std::string> no_job;  // per finding without a job: its verification ("unknown: ..."), or ""
};

// Adds to `plan` (whose vectors are sized to `findings`) a job for each AWS key pair and each service-account
// key file among `findings`, and points every finding of them at it: a key id and its secret access key
// (pair_aws_findings) share one; a service-account key (its private_key_id) and the private key found at
// /private_key of the same file share one. A key id or secret without its partner, and a key file not on
// disk, get why in `no_job`.
void plan_builtin_jobs(const std::vector<Finding>& findings, JobPlan& plan);

}  // namespace keygate
