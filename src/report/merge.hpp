// This file declares `keygate report merge`: audit result files (and directories of them: shards, earlier
// runs) joined into one deduplicated report, one incident per secret (report/incidents.hpp), written as
// text, JSON (the incidents schema), SARIF or GitLab's secret detection report. The HTML viewer renders the
// same Incidents.
#pragma once

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "interop/peer_reports.hpp"
#include "report/incidents.hpp"

namespace keygate {

// The result files `inputs` name: each file as given, and under each directory every *.json file at any
// depth, hidden files and folders (the key, the mirror cache) and temporary files left out, in name order.
// Throws Error naming an input that does not exist.
std::vector<std::string> result_files(const std::vector<std::string>& inputs);

// Every file of `files` merged (merge_incidents): the result is the same whatever their order. A file that
// is another scanner's report (gitleaks, TruffleHog, detect-secrets, SARIF: interop/peer_reports.hpp) is
// read as incidents too, its secrets (when it holds them) named under `key`, so that the same secret found
// by keygate and by the other tool is one incident. Throws Error naming the file for a bad one, for a peer
// report without a key, and naming both files when their audit keys differ.
Incidents merge_result_files(const std::vector<std::string>& files, const std::optional<AuditKey>& key = {});

// The incidents of another scanner's findings, named under `key`: by the secret when the report holds it,
// else by the tool and its own fingerprint (or rule, file and line), which only that tool's later reports
// share. `place` names the report in messages and stands in for a missing repository name.
Incidents peer_incidents(const std::vector<interop::PeerFinding>& findings, const AuditKey& key,
                         const std::string& place);

// The reports of merged incidents. Secrets appear only redacted (they are not in the files).
void write_incidents_text(std::FILE* out, const Incidents& incidents);
void write_incidents_sarif(std::FILE* out, const Incidents& incidents);
void write_incidents_gitlab(std::FILE* out, const Incidents& incidents);

}  // namespace keygate
