// This file declares the reporters, the last stage: plain functions from findings to output.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "finding.hpp"

namespace keygate {

enum class Format { Text, Json };
enum class Secrets { Redacted, Shown };
enum class Mode { Staged, Scan, History };

struct ReportContext {
  Mode mode = Mode::Scan;
  Secrets secrets = Secrets::Redacted;
};

// Human-readable: each finding with its place, rule and redacted secret, then how to fix and bypass.
void write_text_report(std::FILE* out, const std::vector<Finding>& findings, const ReportContext& context);

// A JSON array with one object per finding; the field list is documented in README.md.
void write_json_report(std::FILE* out, const std::vector<Finding>& findings, const ReportContext& context);

// `s` as a JSON string literal (quotes included); invalid UTF-8 bytes become U+FFFD.
std::string json_string(std::string_view s);

}  // namespace keygate
