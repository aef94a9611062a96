// Tests for lsp/document.cpp: LSP positions in UTF-16 code units and in bytes, the protocol's clamping of
// positions past a line or the text, CRLF lines, and incremental edits.
#include <catch2/catch.hpp>

#include "lsp/document.hpp"

using namespace keygate::lsp;

TEST_CASE("lsp positions: UTF-16 counts a character outside the BMP as two units, utf-8 counts bytes") {
  // "é" is 2 bytes and 1 unit; U+1F600 is 4 bytes and 2 units.
  const Document d("a\xc3\xa9\xf0\x9f\x98\x80z\nsecond\n");
  CHECK(d.offset_of({0, 2}, PositionEncoding::Utf16) == 3);
  CHECK(d.offset_of({0, 4}, PositionEncoding::Utf16) == 7);
  CHECK(d.offset_of({0, 3}, PositionEncoding::Utf16) == 3);  // inside the pair: its start
  CHECK(d.position_of(7, PositionEncoding::Utf16).character == 4);
  CHECK(d.position_of(7, PositionEncoding::Utf8).character == 7);
  CHECK(d.offset_of({0, 7}, PositionEncoding::Utf8) == 7);
  CHECK(d.offset_of({0, 5}, PositionEncoding::Utf8) == 3);  // inside a sequence: its start
  CHECK(d.offset_of({1, 2}, PositionEncoding::Utf16) == 11);
}

TEST_CASE("lsp positions: past a line's end is its end, past the last line is the text's end") {
  const Document d("ab\r\ncd");
  CHECK(d.offset_of({0, 99}, PositionEncoding::Utf16) == 3);  // at the '\r': the line's end
  CHECK(d.line_end(0) == 2);
  CHECK(d.offset_of({7, 0}, PositionEncoding::Utf16) == 6);
  CHECK(d.offset_of({-1, -5}, PositionEncoding::Utf16) == 0);
  CHECK(d.line_of(4) == 1);
  CHECK(d.line_count() == 2);
}

TEST_CASE("lsp changes: incremental edits as editors send them, then a full replacement") {
  Document d("line one\nline two\n");
  d.replace({{0, 5}, {0, 8}}, "1", PositionEncoding::Utf16);
  CHECK(d.text() == "line 1\nline two\n");
  d.replace({{1, 0}, {2, 0}}, "", PositionEncoding::Utf16);  // delete a whole line
  CHECK(d.text() == "line 1\n");
  d.replace({{1, 0}, {1, 0}}, "x = \"\xf0\x9f\x98\x80\"\ny\n", PositionEncoding::Utf16);
  d.replace({{1, 8}, {1, 8}}, "k", PositionEncoding::Utf16);  // after the emoji (2 units) and its quote
  CHECK(d.text() == "line 1\nx = \"\xf0\x9f\x98\x80\"k\ny\n");
  d.replace({{2, 1}, {0, 0}}, "", PositionEncoding::Utf16);  // a reversed range deletes the same span
  CHECK(d.text() == "\n");
  d.set_text("new");
  CHECK(d.line_count() == 1);
}
