// Tests for dataset.cpp: record numbers and JSON pointers for findings in the Together dataset formats.
#include <catch2/catch.hpp>

#include "filter/dataset.hpp"
#include "support/repo.hpp"

using namespace keygate;

TEST_CASE("dataset kinds come from the file name") {
  CHECK(dataset_kind("train.jsonl") == DatasetKind::JsonLines);
  CHECK(dataset_kind("a/b.NDJSON") == DatasetKind::JsonLines);
  CHECK(dataset_kind("data.json") == DatasetKind::JsonDocument);
  CHECK(dataset_kind("notes.txt") == DatasetKind::None);
}

TEST_CASE("JSON Lines: the record is the line, the pointer is inside it, in every Together format") {
  test::TempDir dir;
  const std::string lines =
      R"({"messages": [{"role": "system", "content": "x"}, {"role": "user", "content": "SECRET here"}]})"
      "\n"
      "\n"
      R"({"prompt": "p", "completion": "SECRET"})"
      "\n"
      R"({"text": "plain SECRET"})"
      "\n"
      R"({"input": {"messages": [{"role": "user", "content": "q"}]}, "preferred_output": [{"role": "assistant", "content": "SECRET"}], "non_preferred_output": []})"
      "\n"
      "not json SECRET\n";
  test::write_file(dir / "train.jsonl", lines);
  std::vector<TextPosition> positions;
  int line = 1;
  for (std::size_t start = 0; start < lines.size(); ++line) {
    const std::size_t nl = lines.find('\n', start);
    const std::size_t at = lines.find("SECRET", start);
    if (at < nl) positions.push_back({line, static_cast<int>(at - start) + 1});
    start = nl + 1;
  }
  const DatasetFile file = locate_in_dataset(dir / "train.jsonl", DatasetKind::JsonLines, positions);
  CHECK(file.records == 5);
  REQUIRE(file.places.size() == 5);
  CHECK(file.places[0].record == 1);
  CHECK(file.places[0].pointer == "/messages/1/content");
  CHECK(file.places[1].record == 3);
  CHECK(file.places[1].pointer == "/completion");
  CHECK(file.places[2].pointer == "/text");
  CHECK(file.places[3].pointer == "/preferred_output/0/content");
  CHECK(file.places[4].record == 6);
  CHECK(file.places[4].pointer.empty());
}

TEST_CASE("a JSON array document: records are its elements") {
  test::TempDir dir;
  const std::string doc =
      "[\n  {\"text\": \"a\"},\n  {\"messages\": [\n    {\"content\": \"SECRET\"}\n  ]}\n]\n";
  test::write_file(dir / "d.json", doc);
  const DatasetFile file = locate_in_dataset(dir / "d.json", DatasetKind::JsonDocument, {{4, 18}});
  CHECK(file.records == 2);
  CHECK(file.places[0].record == 2);
  CHECK(file.places[0].pointer == "/messages/0/content");
}
