// This file implements the language server's wire layer (see lsp/message.hpp).
#include "lsp/message.hpp"

#include <cstdlib>

#include "util/ascii.hpp"
#include "util/json_walk.hpp"

namespace keygate::lsp {
namespace {

// `header`'s value when its name is `name` (ASCII case-insensitive, as HTTP headers), else nullopt.
std::optional<std::string_view> header_value(std::string_view header, std::string_view name) {
  const std::size_t colon = header.find(':');
  if (colon == std::string_view::npos || colon != name.size()) return std::nullopt;
  for (std::size_t i = 0; i < colon; ++i) {
    if (lower(header[i]) != lower(name[i])) return std::nullopt;
  }
  std::string_view value = header.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  return value;
}

}  // namespace

FrameReader::Status FrameReader::next(std::string* body, std::string* error) {
  if (!bad_.empty()) {
    *error = bad_;
    return Status::Bad;
  }
  // Drop what was handed out once it is most of the buffer (a long session must not grow it forever).
  if (used_ > 0 && used_ * 2 >= buffer_.size()) {
    buffer_.erase(0, used_);
    used_ = 0;
  }
  const std::string_view rest = std::string_view(buffer_).substr(used_);
  // The headers end at an empty line. The base protocol says CRLF; a bare LF is taken too (hand-typed
  // sessions, some test clients), since it cannot be mistaken for anything else.
  std::size_t at = 0;
  std::optional<std::size_t> length;
  for (;;) {
    const std::size_t nl = rest.find('\n', at);
    if (nl == std::string_view::npos) {
      if (rest.size() > kMaxHeaderBytes) break;
      return Status::NeedMore;
    }
    std::string_view line = rest.substr(at, nl - at);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    at = nl + 1;
    if (at > kMaxHeaderBytes) break;
    if (line.empty()) {
      if (!length) {
        bad_ = "a message without a Content-Length header";
        *error = bad_;
        return Status::Bad;
      }
      if (rest.size() - at < *length) return Status::NeedMore;
      body->assign(rest.substr(at, *length));
      used_ += at + *length;
      return Status::Message;
    }
    if (const std::optional<std::string_view> v = header_value(line, "Content-Length")) {
      std::size_t n = 0;
      bool digits = !v->empty();
      for (char c : *v) {
        if (!is_digit(c) || n > kMaxMessageBytes) {
          digits = false;
          break;
        }
        n = n * 10 + static_cast<std::size_t>(c - '0');
      }
      if (!digits || n > kMaxMessageBytes) {
        bad_ = "Content-Length is not a length up to " + std::to_string(kMaxMessageBytes) + " bytes: \"" +
               std::string(v->substr(0, 40)) + "\"";
        *error = bad_;
        return Status::Bad;
      }
      length = n;
    } else if (line.find(':') == std::string_view::npos) {
      bad_ = "a header line without a colon";
      *error = bad_;
      return Status::Bad;
    }
  }
  bad_ = "headers longer than " + std::to_string(kMaxHeaderBytes) + " bytes";
  *error = bad_;
  return Status::Bad;
}

std::string frame(std::string_view json) {
  std::string out = "Content-Length: " + std::to_string(json.size()) + "\r\n\r\n";
  out.append(json);
  return out;
}

bool JsonDoc::parse(std::string text, std::string* error) {
  text_ = std::move(text);
  values_.clear();
  bool too_many = false;
  JsonError at;
  const bool valid = walk_json(
      text_,
      [&](const JsonValue& v) {
        if (v.depth > kMaxDepth || too_many) return;
        if (values_.size() >= kMaxValues) {
          too_many = true;
          return;
        }
        values_.emplace(std::string(v.pointer), Span{v.begin, v.end});
      },
      &at);
  if (!valid) {
    *error = std::string(at.what) + " at byte " + std::to_string(at.at);
    values_.clear();
    return false;
  }
  if (too_many) {
    *error = "more than " + std::to_string(kMaxValues) + " values";
    values_.clear();
    return false;
  }
  return true;
}

const JsonDoc::Span* JsonDoc::find(std::string_view pointer) const {
  const auto it = values_.find(std::string(pointer));
  return it == values_.end() ? nullptr : &it->second;
}

std::optional<std::string> JsonDoc::string(std::string_view pointer) const {
  const Span* s = find(pointer);
  if (s == nullptr || text_[s->begin] != '"') return std::nullopt;
  JsonValue v;
  v.begin = s->begin;
  v.end = s->end;
  return json_string(text_, v);
}

std::optional<std::int64_t> JsonDoc::integer(std::string_view pointer) const {
  const std::string_view r = raw(pointer);
  if (r.empty() || r.size() > 18) return std::nullopt;  // 18 digits fit; LSP numbers are 32-bit
  std::int64_t n = 0;
  std::size_t i = r[0] == '-' ? 1 : 0;
  if (i == r.size()) return std::nullopt;
  for (; i < r.size(); ++i) {
    if (!is_digit(r[i])) return std::nullopt;  // a fraction or exponent: not a whole number
    n = n * 10 + (r[i] - '0');
  }
  return r[0] == '-' ? -n : n;
}

std::optional<bool> JsonDoc::boolean(std::string_view pointer) const {
  const std::string_view r = raw(pointer);
  if (r == "true") return true;
  if (r == "false") return false;
  return std::nullopt;
}

std::string_view JsonDoc::raw(std::string_view pointer) const {
  const Span* s = find(pointer);
  if (s == nullptr) return {};
  return std::string_view(text_).substr(s->begin, s->end - s->begin);
}

std::size_t JsonDoc::array_size(std::string_view pointer) const {
  const std::string_view r = raw(pointer);
  if (r.empty() || r[0] != '[') return 0;
  std::size_t n = 0;
  const std::string prefix = std::string(pointer) + "/";
  while (has(prefix + std::to_string(n))) ++n;
  return n;
}

}  // namespace keygate::lsp
