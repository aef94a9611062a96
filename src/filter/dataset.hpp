// This file implements the dataset view of a scan: for findings in JSON Lines and JSON files (fine-tuning
// datasets, exported logs) it says which record holds each one and where in it, as a JSON pointer
// ("record 1204, /messages/2/content"), and counts records for the end-of-scan summary.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace keygate {

enum class DatasetKind { None, JsonLines, JsonDocument };

// What a file is, by its name: .jsonl/.ndjson/.jsonlines are JSON Lines, .json a JSON document.
DatasetKind dataset_kind(std::string_view path);

// A place in a dataset: the 1-based record (the line of a JSON Lines file, the element of a top-level
// array) and the pointer within that record. record 0: not inside a record (invalid JSON, or a document
// that is not an array: the pointer is then from the document's root, or empty).
struct DatasetPlace {
  std::uint64_t record = 0;
  std::string pointer;
};

// A position in a file as findings give it: 1-based line and 1-based byte column.
struct TextPosition {
  int line = 0;
  int column = 0;
};

struct DatasetFile {
  std::uint64_t records = 0;         // records in the file
  std::vector<DatasetPlace> places;  // one per position asked for, in the same order
};

// Reads the file at `path` (of kind `kind`, not None) and places each position in it. Returns records 0
// and empty places when the file cannot be read (the scan that found the positions reported that).
DatasetFile locate_in_dataset(const std::string& path, DatasetKind kind,
                              const std::vector<TextPosition>& positions);

// The summary printed after a scan that read datasets.
struct DatasetSummary {
  std::uint64_t files = 0;
  std::uint64_t records = 0;
  std::uint64_t records_with_findings = 0;
  std::map<std::string, std::uint64_t> findings_per_rule;
};

struct Finding;

// The dataset stage of `scan`: sets `record` and `pointer` on every finding in a JSON or JSON Lines file
// (reading each such file once more), and returns the summary over `datasets`, the JSON Lines files the
// scan read and the JSON files it was named (their records are counted even when they hold no finding).
DatasetSummary annotate_datasets(std::vector<Finding>& findings, const std::vector<std::string>& datasets);

}  // namespace keygate
