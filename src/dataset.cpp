// This file implements the dataset view (see dataset.hpp). Files are read a second time, and only those
// with findings or named as datasets: a scan of a dataset is dominated by the first, detecting read.
#include "dataset.hpp"

#include <algorithm>
#include <fstream>

#include "json_walk.hpp"

namespace keygate {
namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  for (std::size_t i = 0; i < suffix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[s.size() - suffix.size() + i])) != suffix[i]) return false;
  }
  return true;
}

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
  if (!is_array) out.records = 1;
  for (std::size_t i = 0; i < positions.size(); ++i) {
    const TextPosition& p = positions[i];
    if (p.line < 1 || static_cast<std::size_t>(p.line) > line_starts.size()) continue;
    const std::size_t offset = line_starts[static_cast<std::size_t>(p.line - 1)] +
                               static_cast<std::size_t>(std::max(p.column, 1) - 1);
    std::string pointer = json_pointer_at(text, offset);
    if (!is_array) {
      out.places[i] = {1, pointer};
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
  if (ends_with(path, ".jsonl") || ends_with(path, ".ndjson") || ends_with(path, ".jsonlines")) {
    return DatasetKind::JsonLines;
  }
  if (ends_with(path, ".json")) return DatasetKind::JsonDocument;
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

}  // namespace keygate
