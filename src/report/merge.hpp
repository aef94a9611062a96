// This file declares `keygate report merge`: audit result files (and directories of them: shards, earlier
// runs) joined into one deduplicated report, one incident per secret (report/incidents.hpp), written as
// text, JSON (the incidents schema), SARIF or GitLab's secret detection report. The HTML viewer renders the
// same Incidents.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "report/incidents.hpp"

namespace keygate {

// The result files `inputs` name: each file as given, and under each directory every *.json file at any
// depth, hidden files and folders (the key, the mirror cache) and temporary files left out, in name order.
// Throws Error naming an input that does not exist.
std::vector<std::string> result_files(const std::vector<std::string>& inputs);

// Every file of `files` merged (merge_incidents): the result is the same whatever their order. Throws
// Error naming the file for a bad one, and both files when their audit keys differ.
Incidents merge_result_files(const std::vector<std::string>& files);

// The reports of merged incidents. Secrets appear only redacted (they are not in the files).
void write_incidents_text(std::FILE* out, const Incidents& incidents);
void write_incidents_sarif(std::FILE* out, const Incidents& incidents);
void write_incidents_gitlab(std::FILE* out, const Incidents& incidents);

}  // namespace keygate
