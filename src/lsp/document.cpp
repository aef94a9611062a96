// This file implements an open document of the language server (see lsp/document.hpp).
#include "lsp/document.hpp"

#include <algorithm>

#include "util/utf8.hpp"

namespace keygate::lsp {
namespace {

// The bytes of the character starting at text[i] (1 for a byte that starts no valid sequence: the client
// sends UTF-8, but a lone surrogate escape arrives as U+FFFD and anything else is counted byte by byte).
std::size_t char_bytes(std::string_view text, std::size_t i) {
  const std::size_t n = utf8_sequence_length(text, i);
  return n == 0 ? 1 : n;
}

// The UTF-16 code units of a character of `bytes` UTF-8 bytes.
std::int64_t utf16_units(std::size_t bytes) { return bytes == 4 ? 2 : 1; }

}  // namespace

std::size_t Document::line_end(std::size_t line) const {
  std::size_t end = line + 1 < line_starts_.size() ? line_starts_[line + 1] - 1 : text_.size();
  if (end > line_starts_[line] && text_[end - 1] == '\r' && end < text_.size() && text_[end] == '\n') --end;
  return end;
}

std::size_t Document::line_of(std::size_t offset) const {
  const auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  return static_cast<std::size_t>(it - line_starts_.begin()) - 1;
}

std::size_t Document::offset_of(Position p, PositionEncoding encoding) const {
  if (p.line < 0) p.line = 0;
  if (p.character < 0) p.character = 0;
  if (static_cast<std::uint64_t>(p.line) >= line_starts_.size()) return text_.size();
  const std::size_t line = static_cast<std::size_t>(p.line);
  const std::size_t begin = line_starts_[line];
  // The end of the line's content, its "\r" included: a position between '\r' and '\n' is the line's end.
  const std::size_t end = line + 1 < line_starts_.size() ? line_starts_[line + 1] - 1 : text_.size();
  if (encoding == PositionEncoding::Utf8) {
    std::size_t at = begin + std::min<std::size_t>(static_cast<std::size_t>(p.character), end - begin);
    // Never inside a sequence: a client that counts bytes still cannot split a character.
    while (at > begin && at < end && (static_cast<unsigned char>(text_[at]) & 0xC0) == 0x80) --at;
    return at;
  }
  std::int64_t units = 0;
  std::size_t at = begin;
  while (at < end) {
    const std::size_t n = char_bytes(text_, at);
    const std::int64_t u = utf16_units(n);
    if (units + u > p.character) break;  // the position is inside a surrogate pair, or here
    units += u;
    at += n;
  }
  return std::min(at, end);
}

Position Document::position_of(std::size_t offset, PositionEncoding encoding) const {
  offset = std::min(offset, text_.size());
  const std::size_t line = line_of(offset);
  const std::size_t begin = line_starts_[line];
  Position p;
  p.line = static_cast<std::int64_t>(line);
  if (encoding == PositionEncoding::Utf8) {
    p.character = static_cast<std::int64_t>(offset - begin);
    return p;
  }
  for (std::size_t at = begin; at < offset;) {
    const std::size_t n = char_bytes(text_, at);
    p.character += utf16_units(n);
    at += n;
  }
  return p;
}

void Document::set_text(std::string text) {
  text_ = std::move(text);
  line_starts_.clear();
  line_starts_.push_back(0);
  for (std::size_t i = text_.find('\n'); i != std::string::npos; i = text_.find('\n', i + 1))
    line_starts_.push_back(i + 1);
}

void Document::replace(const Range& range, std::string_view replacement, PositionEncoding encoding) {
  std::size_t begin = offset_of(range.start, encoding);
  std::size_t end = offset_of(range.end, encoding);
  if (end < begin) std::swap(begin, end);  // a reversed range: the client meant the same span
  std::string text;
  text.reserve(text_.size() - (end - begin) + replacement.size());
  text.append(text_, 0, begin).append(replacement).append(text_, end, std::string::npos);
  set_text(std::move(text));
}

}  // namespace keygate::lsp
