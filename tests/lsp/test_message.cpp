// Tests for lsp/message.cpp: Content-Length framing cut from a stream in any pieces, framing errors that
// end the stream, and JSON messages read by pointer within their limits.
#include <catch2/catch.hpp>

#include "lsp/message.hpp"

using namespace keygate::lsp;

namespace {

std::vector<std::string> bodies(FrameReader& reader) {
  std::vector<std::string> out;
  std::string body, error;
  while (reader.next(&body, &error) == FrameReader::Status::Message) out.push_back(body);
  return out;
}

}  // namespace

TEST_CASE("lsp framing: messages are cut out of a stream however it arrives") {
  const std::string stream = frame(R"({"a":1})") +
                             "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n" +
                             "content-length: 2\r\n\r\n{}" + frame(R"({"é":"ü"})");
  for (std::size_t piece : {std::size_t{1}, std::size_t{3}, std::size_t{7}, stream.size()}) {
    FrameReader reader;
    std::vector<std::string> got;
    for (std::size_t at = 0; at < stream.size(); at += piece) {
      reader.feed(std::string_view(stream).substr(at, piece));
      for (std::string& b : bodies(reader)) got.push_back(b);
    }
    CHECK(got == std::vector<std::string>{R"({"a":1})", "{}", R"({"é":"ü"})"});
    CHECK_FALSE(reader.holds_partial());
  }
}

TEST_CASE("lsp framing: a header that cannot be read ends the stream with a reason") {
  for (const std::string& bad : {std::string("Content-Length: x\r\n\r\n{}"), std::string("\r\n\r\n{}"),
                                 std::string("Content-Length: 99999999999999999999\r\n\r\n"),
                                 std::string("garbage without colon\r\n\r\n"), std::string(9000, 'a')}) {
    FrameReader reader;
    reader.feed(bad);
    std::string body, error;
    CHECK(reader.next(&body, &error) == FrameReader::Status::Bad);
    CHECK_FALSE(error.empty());
    reader.feed(frame("{}"));
    CHECK(reader.next(&body, &error) == FrameReader::Status::Bad);  // final: the stream is lost
  }
}

TEST_CASE("lsp messages: fields are read by pointer, with their types") {
  JsonDoc doc;
  std::string error;
  REQUIRE(
      doc.parse(R"({"id":7,"method":"a\/b\u00e9","params":{"list":[1,2.5,"x"],"t":true,"neg":-3}})", &error));
  CHECK(doc.integer("/id") == 7);
  CHECK(doc.string("/method") == "a/b\xc3\xa9");
  CHECK(doc.array_size("/params/list") == 3);
  CHECK_FALSE(doc.integer("/params/list/1"));  // 2.5 is not a whole number
  CHECK_FALSE(doc.string("/params/list/0"));
  CHECK(doc.boolean("/params/t") == true);
  CHECK(doc.integer("/params/neg") == -3);
  CHECK(doc.raw("/params/list") == R"([1,2.5,"x"])");
  CHECK_FALSE(doc.has("/nothing"));
  CHECK(doc.array_size("/params/t") == 0);
}

TEST_CASE("lsp messages: invalid JSON and hostile shapes are refused, not indexed") {
  JsonDoc doc;
  std::string error;
  CHECK_FALSE(doc.parse(R"({"id":1,)", &error));
  CHECK_FALSE(error.empty());
  std::string wide = "[";
  for (std::size_t i = 0; i <= JsonDoc::kMaxValues; ++i) wide += "0,";
  wide += "0]";
  CHECK_FALSE(doc.parse(wide, &error));
  CHECK(error.find("values") != std::string::npos);
  // Deep nesting is valid JSON; only its first levels are indexed.
  REQUIRE(doc.parse(std::string(100, '[') + std::string(100, ']'), &error));
  CHECK(doc.has("/0/0"));
  CHECK_FALSE(doc.has("/0/0/0/0/0/0/0/0/0/0/0/0"));
}
