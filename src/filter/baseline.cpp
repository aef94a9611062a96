// This file implements --baseline: the fingerprints of an earlier keygate JSON report, so that only new
// findings are reported. The report is read with the JSON walker (util/json_walk.hpp): any JSON document is
// accepted, and the string values of every "fingerprint" key are collected.
#include <string_view>

#include "core/error.hpp"
#include "report/report.hpp"
#include "util/file_io.hpp"
#include "util/json_walk.hpp"

namespace keygate {
namespace {

// "file:line:column" of byte `at` of `text` (1-based; the end of the text is a place too).
std::string place(const std::string& name, std::string_view text, std::size_t at) {
  int line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < at && i < text.size(); ++i) {
    if (text[i] == '\n') ++line, line_start = i + 1;
  }
  return name + ":" + std::to_string(line) + ":" + std::to_string(at - line_start + 1);
}

}  // namespace

std::vector<std::string> read_baseline_fingerprints(const std::string& path) {
  const std::string text = load_file(path);
  std::vector<std::string> found;
  JsonError error;
  const bool valid = walk_json(
      text,
      [&](const JsonValue& v) {
        if (v.key == "fingerprint" && text[v.begin] == '"') found.push_back(json_string(text, v));
      },
      &error);
  if (!valid) throw Error(place(path, text, error.at) + ": not a keygate JSON report: " + error.what);
  return found;
}

}  // namespace keygate
