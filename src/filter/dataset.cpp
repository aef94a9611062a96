// This file implements the dataset view (see dataset.hpp). Files are read a second time, and only those
// with findings or named as datasets: a scan of a dataset is dominated by the first, detecting read.
#include "filter/dataset.hpp"

#include <algorithm>
#include <fstream>
#include <set>

#include "core/finding.hpp"
#include "util/ascii.hpp"
#include "util/json_walk.hpp"

namespace keygate {
namespace {

bool blank(std::string_view line) { return line.find_first_not_of(" \t\r") == std::string_view::npos; }

DatasetFile locate_in_lines(std::ifstream& in, const std::vector<TextPosition>& positions) {
  DatasetFile out;
  out.places.resize(positions.size());
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (!blank(line)) ++out.records;
    for (std::size_t i = 0; i < positions.size(); ++i) {
      if (positions[i].line != number) continue;
      // A record is its line: the line number is what an editor and Together's upload checks show.
      out.places[i].record = static_cast<std::uint64_t>(number);
      std::string_view body(line);
      while (!body.empty() && body.back() == '\r') body.remove_suffix(1);
      if (walk_json(body, nullptr)) {
        out.places[i].pointer =
            json_pointer_at(body, static_cast<std::size_t>(std::max(positions[i].column, 1) - 1));
      }
    }
  }
  return out;
}

DatasetFile locate_in_document(std::ifstream& in, const std::vector<TextPosition>& positions) {
  DatasetFile out;
  out.places.resize(positions.size());
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::size_t> line_starts{0};
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') line_starts.push_back(i + 1);
  }
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  const bool is_array = first != std::string::npos && text[first] == '[';
  bool valid = walk_json(text, [&](const JsonValue& v) {
    if (is_array && v.depth == 1) ++out.records;
  });
  if (!valid) return out;
  if (!is_array) out.records = 1;  // a document that is not an array is one record; its places have none
  for (std::size_t i = 0; i < positions.size(); ++i) {
    const TextPosition& p = positions[i];
    if (p.line < 1 || static_cast<std::size_t>(p.line) > line_starts.size()) continue;
    const std::size_t offset = line_starts[static_cast<std::size_t>(p.line - 1)] +
                               static_cast<std::size_t>(std::max(p.column, 1) - 1);
    std::string pointer = json_pointer_at(text, offset);
    if (!is_array) {
      out.places[i] = {0, pointer};
      continue;
    }
    // "/12/messages/0/content" is record 13, "/messages/0/content" within it.
    const std::size_t slash = pointer.find('/', 1);
    const std::string index = pointer.substr(1, slash == std::string::npos ? std::string::npos : slash - 1);
    if (index.empty()) continue;
    out.places[i] = {std::stoull(index) + 1, slash == std::string::npos ? "" : pointer.substr(slash)};
  }
  return out;
}

}  // namespace

DatasetKind dataset_kind(std::string_view path) {
  if (ends_with_lowered(path, ".jsonl") || ends_with_lowered(path, ".ndjson") ||
      ends_with_lowered(path, ".jsonlines")) {
    return DatasetKind::JsonLines;
  }
  if (ends_with_lowered(path, ".json")) return DatasetKind::JsonDocument;
  return DatasetKind::None;
}

DatasetFile locate_in_dataset(const std::string& path, DatasetKind kind,
                              const std::vector<TextPosition>& positions) {
  std::ifstream in(path, std::ios::binary);
  if (!in || kind == DatasetKind::None) {
    DatasetFile none;
    none.places.resize(positions.size());
    return none;
  }
  return kind == DatasetKind::JsonLines ? locate_in_lines(in, positions) : locate_in_document(in, positions);
}

DatasetSummary annotate_datasets(std::vector<Finding>& findings, const std::vector<std::string>& datasets) {
  // The findings of each file, by position.
  std::map<std::string, std::vector<Finding*>> by_file;
  for (Finding& f : findings) {
    if (f.kind == SourceKind::File && f.line > 0 && dataset_kind(f.file) != DatasetKind::None) {
      by_file[f.file].push_back(&f);
    }
  }
  DatasetSummary summary;
  std::set<std::string> counted;
  auto visit = [&](const std::string& path, std::vector<Finding*>* in_file) {
    std::vector<TextPosition> positions;
    if (in_file != nullptr) {
      for (const Finding* f : *in_file) positions.push_back({f->line, f->column});
    }
    const DatasetFile file = locate_in_dataset(path, dataset_kind(path), positions);
    std::set<std::uint64_t> records_hit;
    for (std::size_t i = 0; i < positions.size(); ++i) {
      Finding& f = *(*in_file)[i];
      f.record = file.places[i].record;
      f.pointer = file.places[i].pointer;
      if (f.record != 0) records_hit.insert(f.record);
    }
    if (std::find(datasets.begin(), datasets.end(), path) == datasets.end()) return;
    counted.insert(path);
    ++summary.files;
    summary.records += file.records;
    summary.records_with_findings += records_hit.size();
    if (in_file != nullptr) {
      for (const Finding* f : *in_file) ++summary.findings_per_rule[f->rule_id];
    }
  };
  for (auto& [path, in_file] : by_file) visit(path, &in_file);
  for (const std::string& path : datasets) {
    if (counted.count(path) == 0 && by_file.count(path) == 0) visit(path, nullptr);
  }
  return summary;
}

}  // namespace keygate
