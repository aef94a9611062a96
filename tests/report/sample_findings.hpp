// Report test support: the findings every golden report is rendered from (tests/fixtures/expected/), and
// a reporter's output captured as a string.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/finding.hpp"

namespace keygate::test {

// Findings with fixed, fake secrets (short, not key-shaped, so that the golden files hold none): one in
// a file with a space in its name, one in history with a non-ASCII path, a multi-line secret and an author
// that needs quoting.
inline std::vector<Finding> sample_findings() {
  Finding a;
  a.rule_id = "together-api-key";
  a.description = "Together AI API key";
  a.file = "src/app config.py";
  a.line = 3;
  a.column = 11;
  a.end_line = 3;
  a.secret = "tgp_v1_SAMPLE.sample.SAMPLE.sample.SAMPLE.Ab3d";
  a.fingerprint = "together-api-key:src/app config.py:0123456789abcdef";
  Finding b = a;
  b.rule_id = "private-key";
  b.description = "Private key";
  b.file = "keys/\xc3\xa9t\xc3\xa9.pem";
  b.line = 1;
  b.column = 1;
  b.end_line = 9;
  b.secret = "-----BEGIN PRIVATE KEY-----\nSAMPLE\n-----END PRIVATE KEY-----";
  b.fingerprint = "private-key:keys/\xc3\xa9t\xc3\xa9.pem:fedcba9876543210";
  auto commit = std::make_shared<CommitInfo>();
  commit->id = "0123456789012345678901234567890123456789";
  commit->author = "A \"Quoted\" Author";
  commit->email = "a@example.invalid";
  commit->date = "2024-01-02T03:04:05+00:00";
  commit->summary = "add keys";
  b.commit = commit;
  return {a, b};
}

// What `write` prints, as a string.
inline std::string capture_output(const std::function<void(std::FILE*)>& write) {
  char* buffer = nullptr;
  std::size_t size = 0;
  std::FILE* out = open_memstream(&buffer, &size);
  write(out);
  std::fclose(out);
  std::string text(buffer, size);
  std::free(buffer);
  return text;
}

}  // namespace keygate::test
