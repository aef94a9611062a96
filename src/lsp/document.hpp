// This file declares an open document of the language server (keygate lsp): its text as the editor has it,
// kept up to date by full and incremental changes, and the conversion between LSP positions (line and
// character, counted in UTF-16 code units by default, or in bytes when utf-8 was negotiated) and byte
// offsets, which is what the detector's findings and the code actions speak.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace keygate::lsp {

// What an LSP position's `character` counts: UTF-16 code units (the protocol's default) or bytes.
enum class PositionEncoding { Utf16, Utf8 };

struct Position {
  std::int64_t line = 0;       // 0-based
  std::int64_t character = 0;  // 0-based, in the negotiated encoding's units
};

struct Range {
  Position start, end;
};

// A document's text with its line starts. Lines end at '\n' (a "\r\n" line's '\r' is its last character),
// as the detector counts them.
class Document {
 public:
  Document() { set_text(""); }
  explicit Document(std::string text) { set_text(std::move(text)); }

  const std::string& text() const { return text_; }
  std::size_t line_count() const { return line_starts_.size(); }
  // The byte offset where 0-based line `line` starts. REQUIRES: line < line_count().
  std::size_t line_start(std::size_t line) const { return line_starts_[line]; }
  // The byte offset where 0-based line `line`'s text ends (before its "\n" or "\r\n").
  // REQUIRES: line < line_count().
  std::size_t line_end(std::size_t line) const;
  // The 0-based line holding byte `offset`. REQUIRES: offset <= text().size().
  std::size_t line_of(std::size_t offset) const;

  // The byte offset `p` names. A position past the end of its line means the line's end, and a line past
  // the last means the end of the text, as the protocol says; a character inside a UTF-8 sequence (half
  // of a surrogate pair) means the sequence's start. Negative numbers count as 0.
  std::size_t offset_of(Position p, PositionEncoding encoding) const;
  // The position of byte `offset`. REQUIRES: offset <= text().size().
  Position position_of(std::size_t offset, PositionEncoding encoding) const;

  // Replaces the whole text.
  void set_text(std::string text);
  // Replaces the text of `range` by `replacement` (an incremental change).
  void replace(const Range& range, std::string_view replacement, PositionEncoding encoding);

 private:
  std::string text_;
  std::vector<std::size_t> line_starts_;
};

}  // namespace keygate::lsp
