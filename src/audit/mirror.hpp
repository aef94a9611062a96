// This file declares the audit's mirror cache: a remote repository is cloned once (`git clone --mirror`)
// into the cache and fetched on later runs, by git itself as a subprocess, so that every protocol and
// credential helper git knows works. The history scan then reads the mirror like any local repository.
#pragma once

#include <chrono>
#include <string>

#include "audit/targets.hpp"

namespace keygate::audit {

// The mirror of `target` (a remote) in `cache`, brought up to date: cloned when absent (into a temporary
// name, renamed when whole, so a killed clone leaves nothing that looks finished), else fetched with
// --prune. Returns its git directory. Throws Error with git's last line of stderr when git fails or takes
// longer than `timeout`.
std::string update_mirror(const Target& target, const std::string& cache, std::chrono::milliseconds timeout);

// A file or directory name for `name`, unique to it and safe anywhere: its letters, digits, '.', '-' and
// '_' (others become '_', at most 80), then '-' and 12 hex digits of its SHA-256.
std::string safe_file_name(const std::string& name);

}  // namespace keygate::audit
