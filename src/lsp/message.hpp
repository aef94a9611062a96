// This file declares the language server's wire layer (keygate lsp): the base protocol's framing
// (Content-Length headers before each JSON body) cut from a byte stream, and a JSON-RPC message read once
// (util/json_walk.hpp) whose fields are then found by JSON pointer. Nothing here knows LSP methods.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace keygate::lsp {

// The largest message body read (a whole document in didOpen, as JSON): larger is a framing error.
inline constexpr std::size_t kMaxMessageBytes = 64u << 20;
// The longest header block; a client sends two short lines.
inline constexpr std::size_t kMaxHeaderBytes = 8u << 10;

// Cuts message bodies out of the bytes a client sends. The stream cannot be resynchronised after a
// header it cannot read, so that error is final.
class FrameReader {
 public:
  enum class Status {
    Message,   // *body holds the next message's body
    NeedMore,  // no whole message yet: feed more bytes
    Bad,       // the headers cannot be read; *error says why (one line); every later call says Bad too
  };
  void feed(std::string_view bytes) { buffer_.append(bytes); }
  Status next(std::string* body, std::string* error);
  // True iff bytes of an unfinished message are held (at the end of the stream: a truncated message).
  bool holds_partial() const { return !buffer_.empty(); }

 private:
  std::string buffer_;
  std::size_t used_ = 0;  // bytes of buffer_ already handed out
  std::string bad_;       // set once the stream is broken
};

// The body of `json` framed for the wire.
std::string frame(std::string_view json);

// One JSON text, walked once, whose values are found by RFC 6901 pointer ("/params/textDocument/uri").
// Only the values down to kMaxDepth are indexed (no LSP field keygate reads is deeper), and at most
// kMaxValues of them, so that a hostile message costs memory in proportion to its size only.
class JsonDoc {
 public:
  static constexpr int kMaxDepth = 8;
  static constexpr std::size_t kMaxValues = 1u << 17;

  // Reads `text`. Returns true iff it is valid JSON within the limits; otherwise *error says why.
  bool parse(std::string text, std::string* error);

  // True iff a value is at `pointer`.
  bool has(std::string_view pointer) const { return find(pointer) != nullptr; }
  // The string at `pointer` (unescaped), or nullopt when there is none or it is not a string.
  std::optional<std::string> string(std::string_view pointer) const;
  // The whole number at `pointer`, or nullopt when there is none or it is not a whole number that fits.
  std::optional<std::int64_t> integer(std::string_view pointer) const;
  // The boolean at `pointer`, or nullopt.
  std::optional<bool> boolean(std::string_view pointer) const;
  // The JSON text of the value at `pointer` as it was written, or "" when there is none.
  std::string_view raw(std::string_view pointer) const;
  // The number of items of the array at `pointer`; 0 when it is empty, absent or not an array.
  std::size_t array_size(std::string_view pointer) const;

 private:
  struct Span {
    std::size_t begin, end;
  };
  const Span* find(std::string_view pointer) const;
  std::string text_;
  std::unordered_map<std::string, Span> values_;
};

}  // namespace keygate::lsp
