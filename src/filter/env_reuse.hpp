// This file declares the reuse step of the report stage: after the pipeline has collected a run's findings
// (cli.cpp, beside annotate_datasets), a key found in files meant for different environments
// (.env.dev and .env.production, config/staging.yml and config/prod.yml, k8s overlays/dev and
// overlays/prod) is marked once as reused, naming the places: each environment should have its own key,
// so that a leak of one does not open the others.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/finding.hpp"

namespace keygate {

// The environment a path is for, by its name: "development", "test", "staging" or "production", from
// the last word of the path (split at '/', '.', '_', '-') that names one (dev, develop, development,
// local; test, testing, qa; stage, staging, stg, preprod, uat; prod, production, prd, live); "" when no
// word does.
std::string environment_of(std::string_view path);

// Sets Finding::reuse on the first finding (in their order) of each secret found in files of two or more
// environments: one "ENVIRONMENT: PATH:LINE" for each environment and file it is in, in order of first
// appearance. Other findings are left unchanged.
void annotate_reuse(std::vector<Finding>& findings);

}  // namespace keygate
