// This file implements `keygate redact` (see redact.hpp): read, detect with the same rules as `scan`,
// replace each secret's bytes, write. JSON records also lose the values of their sensitive fields
// (json_blank.hpp), and UTF-16 input is redacted as text and written back as UTF-16 (utf16_stream.hpp).
#include "redact/redact.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>
#include <utility>

#include "archive/sniff.hpp"
#include "core/error.hpp"
#include "core/finding.hpp"
#include "filter/dataset.hpp"
#include "redact/json_blank.hpp"
#include "redact/utf16_stream.hpp"
#include "util/utf8.hpp"

namespace keygate {
namespace {

// What a secret becomes. The text never holds a quote, a backslash or a control character, so that a
// secret inside a JSON string leaves a valid JSON string.
std::string replacement(const RedactOptions& options, std::string_view rule_id, std::string_view secret) {
  std::string out;
  if (options.mask.empty()) {
    out = redacted(secret);
  } else {
    out = options.mask;
    for (std::size_t at; (at = out.find("{rule}")) != std::string::npos;) out.replace(at, 6, rule_id);
  }
  for (char& c : out) {
    if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) c = '*';
  }
  return out;
}

// A secret found in escaped text (one step of %XX, \uXXXX, \xXX, JSON escapes or HTML entities): the
// escapes decode one by one, so the secret's own bytes can be told from the rest of the token the
// decoder took whole (a URL around a percent-encoded key, parentheses around an escaped string). Returns
// the secret's encoded bytes within `span`, or the whole span when they cannot be told apart.
std::pair<std::size_t, std::size_t> escaped_secret_span(std::string_view span, std::string_view how,
                                                        std::string_view secret) {
  const std::pair<std::size_t, std::size_t> whole{0, span.size()};
  if (how != "percent" && how != "unicode" && how != "hex-escape" && how != "json" && how != "html")
    return whole;
  std::string decoded;
  std::vector<std::size_t> from;  // for each decoded byte, where its escape starts in `span`
  auto hex = [&](std::size_t at, std::size_t n, std::uint32_t& value) {
    if (at + n > span.size()) return false;
    value = 0;
    for (std::size_t k = 0; k < n; ++k) {
      const int h = hex_digit_value(span[at + k]);
      if (h < 0) return false;
      value = value * 16 + static_cast<std::uint32_t>(h);
    }
    return true;
  };
  auto emit = [&](std::uint32_t cp, std::size_t at, bool byte) {
    const std::size_t before = decoded.size();
    if (byte) {
      decoded += static_cast<char>(cp);
    } else {
      append_utf8(decoded, cp);
    }
    from.resize(decoded.size(), at);
    (void)before;
  };
  for (std::size_t i = 0; i < span.size();) {
    const char c = span[i];
    std::uint32_t v = 0;
    if (c == '%' && hex(i + 1, 2, v)) {
      emit(v, i, true);
      i += 3;
    } else if (c == '\\' && i + 1 < span.size() && span[i + 1] == 'u' && hex(i + 2, 4, v)) {
      std::uint32_t low = 0;
      if (v >= 0xD800 && v < 0xDC00 && span.substr(i + 6, 2) == "\\u" && hex(i + 8, 4, low) &&
          low >= 0xDC00 && low < 0xE000) {
        emit(0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00), i, false);
        i += 12;
      } else {
        emit(v, i, false);
        i += 6;
      }
    } else if (c == '\\' && i + 1 < span.size() && span[i + 1] == 'x' && hex(i + 2, 2, v)) {
      emit(v, i, true);
      i += 4;
    } else if (c == '\\' && i + 1 < span.size() && std::strchr("ntrbf\"\\/'", span[i + 1]) != nullptr &&
               span[i + 1] != '\0') {
      static constexpr std::string_view kFrom = "ntrbf\"\\/'", kTo = "\n\t\r\b\f\"\\/'";
      emit(static_cast<unsigned char>(kTo[kFrom.find(span[i + 1])]), i, true);
      i += 2;
    } else if (c == '&') {
      const std::size_t semi = span.find(';', i);
      const std::string_view entity =
          semi == std::string_view::npos ? std::string_view() : span.substr(i, semi - i + 1);
      std::uint32_t cp = 0;
      bool ok = false;
      if (entity.size() > 3 && entity[1] == '#') {
        const bool x = entity[2] == 'x' || entity[2] == 'X';
        ok = true;
        for (std::size_t k = x ? 3 : 2; k + 1 < entity.size(); ++k) {
          const int d =
              x ? hex_digit_value(entity[k]) : (entity[k] >= '0' && entity[k] <= '9' ? entity[k] - '0' : -1);
          if (d < 0 || cp > 0x10FFFF) ok = false;
          cp = cp * (x ? 16 : 10) + static_cast<std::uint32_t>(std::max(d, 0));
        }
      } else {
        static const std::pair<std::string_view, char> kNamed[] = {
            {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
        for (const auto& [name, ch] : kNamed) {
          if (entity == name) {
            cp = static_cast<unsigned char>(ch);
            ok = true;
          }
        }
      }
      if (ok && cp <= 0x10FFFF) {
        emit(cp, i, false);
        i += entity.size();
      } else {
        emit(static_cast<unsigned char>(c), i, true);
        ++i;
      }
    } else {
      emit(static_cast<unsigned char>(c), i, true);
      ++i;
    }
  }
  const std::size_t at = decoded.find(secret);
  if (at == std::string::npos || secret.empty()) return whole;
  const std::size_t end_index = at + secret.size();
  // The secret ends where the escape after its last byte starts (or at the span's end).
  const std::size_t end = end_index < from.size() ? from[end_index] : span.size();
  return {from[at], end};
}

// Runs the detector over `text` and writes it to `out` with every secret that starts before `limit`
// replaced: the secret's bytes, or for a secret found decoded the whole encoded span it came from (a
// base64 run, an escaped string), so that nothing left decodes back to it. Overlapping spans become one
// replacement. Returns how much of `text` was written: at least `limit`, more when a secret crosses it.
std::size_t replace_secrets(Scanner& scanner, const RedactOptions& options, std::string_view path,
                            std::string_view text, std::size_t limit, std::string& out, RedactStats& stats) {
  Fragment fragment;
  fragment.text = text;
  fragment.origin.kind = path.empty() ? SourceKind::Stream : SourceKind::File;
  fragment.origin.path = std::string(path);
  std::vector<Finding> findings = scanner.detect(fragment);
  // The run's pipeline decides which findings count (redact's Judgement, cli.cpp: every confidence).
  std::erase_if(findings, [&](const Finding& f) { return scanner.chain_drops(f); });
  if (findings.empty()) {
    out.append(text.substr(0, limit));
    return limit;
  }
  std::vector<std::size_t> line_starts{0};
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') line_starts.push_back(i + 1);
  }
  struct Span {
    std::size_t begin, end;
    const Finding* finding;
  };
  std::vector<Span> spans;
  for (const Finding& f : findings) {
    if (f.line < 1 || static_cast<std::size_t>(f.line) > line_starts.size()) continue;
    const std::size_t begin =
        line_starts[static_cast<std::size_t>(f.line - 1)] + static_cast<std::size_t>(f.column - 1);
    if (begin >= limit || begin >= text.size()) continue;
    if (f.encoded_length == 0) {
      spans.push_back({begin, std::min(begin + f.secret.size(), text.size()), &f});
      continue;
    }
    const std::size_t end = std::min(begin + f.encoded_length, text.size());
    const auto [from, to] = escaped_secret_span(text.substr(begin, end - begin), f.decoded, f.secret);
    spans.push_back({begin + from, begin + to, &f});
  }
  std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) { return a.begin < b.begin; });
  std::size_t at = 0;
  for (const Span& s : spans) {
    if (s.begin < at) {
      at = std::max(at, s.end);  // overlaps the one just replaced: its bytes go with it
      continue;
    }
    out.append(text.substr(at, s.begin - at));
    out += replacement(options, s.finding->rule_id, s.finding->secret);
    at = s.end;
    ++stats.secrets;
  }
  const std::size_t written = std::max(at, limit);
  if (at < written) out.append(text.substr(at, written - at));
  return written;
}

// Bytes on their way to a descriptor, re-encoded as UTF-16 when the input was.
class Output {
 public:
  Output(int fd, const std::string& name) : fd_(fd), name_(name) {}
  std::string& buffer() { return buffer_; }
  // From now on the buffer's UTF-8 is written as UTF-16 in `order`, after `prefix` (the input's BOM).
  void encode_utf16(Utf16Order order, std::string prefix) {
    encoder_.emplace(order);
    encoded_ = std::move(prefix);
  }
  // Writes the buffer. `last`: nothing follows but `tail`, written unchanged (an odd trailing byte).
  void flush(bool last = false, std::string_view tail = {}) {
    std::string* bytes = &buffer_;
    if (encoder_) {
      encoder_->feed(buffer_, encoded_);
      if (last) encoder_->finish(encoded_);
      buffer_.clear();
      bytes = &encoded_;
    }
    bytes->append(tail);
    std::size_t done = 0;
    while (done < bytes->size()) {
      const ssize_t n = ::write(fd_, bytes->data() + done, bytes->size() - done);
      if (n < 0) {
        if (errno == EINTR) continue;
        throw Error(name_ + ": cannot write: " + std::strerror(errno));
      }
      done += static_cast<std::size_t>(n);
    }
    bytes->clear();
  }

 private:
  int fd_;
  std::string name_;
  std::string buffer_;
  std::optional<Utf16Encoder> encoder_;
  std::string encoded_;
};

// True iff every byte of `line` can be part of a PEM key's body as the private-key rule reads it (base64,
// headers such as "Proc-Type: 4,ENCRYPTED", a log prefix of digits and colons).
bool key_body_line(std::string_view line) {
  return std::all_of(line.begin(), line.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           std::strchr("+/= \t\r\\:,.-", c) != nullptr;
  });
}

// Text on its way to the detector: complete lines are redacted in batches, a private key that arrives
// line by line is held until it is whole (or can no longer be one), and a line longer than kRedactPiece
// is redacted in overlapping pieces. Memory: a piece, an overlap and one held block.
class TextRedactor {
 public:
  TextRedactor(Scanner& scanner, const RedactOptions& options, const std::string& name, RedactStats& stats,
               Output& out)
      : scanner_(scanner), options_(options), name_(name), stats_(stats), out_(out) {}

  std::string& pending() { return pending_; }
  // An unfinished private key is held.
  bool holding() const { return holding_; }

  enum class Release {
    Ready,    // complete lines, except a held block; long lines in pieces
    Timeout,  // a live stream went quiet: a held block goes too, its body masked (the rest may never come)
    All,      // the end of the input: everything, as it is
  };
  void release(Release how) {
    if (how == Release::Ready) return release_ready();
    if (how == Release::Timeout && holding_) mask_held_block();
    holding_ = false;
    if (how == Release::All) {
      while (pending_.size() >= kRedactPiece) release_piece();
      replace_secrets(scanner_, options_, name_, pending_, pending_.size(), out_.buffer(), stats_);
      pending_.clear();
    }
  }

 private:
  void release_ready() {
    if (masking_) mask_continued_body();
    const std::size_t newline = pending_.rfind('\n');
    std::size_t cut = newline == std::string::npos ? 0 : newline + 1;
    const std::size_t held = held_block(std::string_view(pending_).substr(0, cut));
    holding_ = held != std::string::npos;
    if (holding_) cut = held;
    if (cut > 0) {
      replace_secrets(scanner_, options_, name_, std::string_view(pending_).substr(0, cut), cut,
                      out_.buffer(), stats_);
      pending_.erase(0, cut);
    }
    while (pending_.size() >= kRedactPiece) release_piece();
  }

  // A line longer than a piece: all but the last kRedactOverlap bytes, which the next piece sees again.
  void release_piece() {
    const std::size_t written = replace_secrets(scanner_, options_, name_, pending_,
                                                pending_.size() - kRedactOverlap, out_.buffer(), stats_);
    pending_.erase(0, written);
    holding_ = false;
  }

  // Where the line of an unfinished private key starts in `text` (complete lines), or npos: a
  // "-----BEGIN ...PRIVATE KEY-----" header with no "-----END " after it, followed only by lines that a
  // key's body can hold, less than kRedactHold bytes in all. A header quoted in an error message, a
  // certificate, or a block that a log line interrupts is not held.
  static std::size_t held_block(std::string_view text) {
    const std::size_t begin = text.rfind("-----BEGIN ");
    if (begin == std::string_view::npos) return std::string_view::npos;
    if (text.size() - begin > kRedactHold) return std::string_view::npos;
    if (text.find("-----END ", begin) != std::string_view::npos) return std::string_view::npos;
    const std::size_t header_end = text.find('\n', begin);
    const std::string_view header = text.substr(begin + 11, header_end - begin - 11);
    const std::size_t label_end = header.find("-----");
    if (label_end == std::string_view::npos || label_end > 64) return std::string_view::npos;
    if (header.substr(0, label_end).find("PRIVATE KEY") == std::string_view::npos) {
      return std::string_view::npos;
    }
    for (std::size_t at = header_end + 1; at < text.size();) {
      const std::size_t end = text.find('\n', at);
      if (!key_body_line(text.substr(at, end - at))) return std::string_view::npos;
      at = end + 1;
    }
    const std::size_t line = begin == 0 ? std::string_view::npos : text.rfind('\n', begin - 1);
    return line == std::string_view::npos ? 0 : line + 1;
  }

  // The held block's header line is redacted as text; its body lines (a part of a key) become one
  // replacement, and so do the body lines that arrive after it (mask_continued_body).
  void mask_held_block() {
    const std::size_t newline = pending_.rfind('\n');
    const std::size_t cut = newline == std::string::npos ? 0 : newline + 1;
    const std::size_t begin = cut == 0 ? std::string::npos : pending_.rfind("-----BEGIN ", cut - 1);
    if (begin == std::string::npos || begin >= cut) return;
    const std::size_t header_end = pending_.find('\n', begin) + 1;
    replace_secrets(scanner_, options_, name_, std::string_view(pending_).substr(0, header_end), header_end,
                    out_.buffer(), stats_);
    if (header_end < cut) mask_body(header_end, cut);
    pending_.erase(0, cut);
    masking_ = true;
  }

  // After a time-out: the complete lines at the start of pending_ that still continue the key's body.
  void mask_continued_body() {
    std::size_t at = 0;
    for (;;) {
      const std::size_t newline = pending_.find('\n', at);
      if (newline == std::string::npos) break;
      const std::string_view line = std::string_view(pending_).substr(at, newline - at);
      if (line.find("-----END ") != std::string_view::npos || !key_body_line(line)) {
        masking_ = false;
        break;
      }
      at = newline + 1;
    }
    if (at > 0) {
      mask_body(0, at);
      pending_.erase(0, at);
    }
  }

  // pending_[begin, end) (whole lines) becomes one replacement and a line end.
  void mask_body(std::size_t begin, std::size_t end) {
    const std::string_view body = std::string_view(pending_).substr(begin, end - 1 - begin);
    out_.buffer() += replacement(options_, "private-key", body);
    out_.buffer() += '\n';
    ++stats_.secrets;
  }

  Scanner& scanner_;
  const RedactOptions& options_;
  const std::string& name_;
  RedactStats& stats_;
  Output& out_;
  std::string pending_;
  bool holding_ = false;
  bool masking_ = false;  // a held key's body was masked on a time-out: its next body lines are too
};

// How long a live stream may hold an unfinished private key with nothing arriving.
constexpr int kHoldMilliseconds = 2000;

// Waits until `fd` has input or kHoldMilliseconds pass; false on the time-out.
bool wait_for_input(int fd) {
  pollfd p{fd, POLLIN, 0};
  for (;;) {
    const int n = ::poll(&p, 1, kHoldMilliseconds);
    if (n < 0 && errno == EINTR) continue;
    return n != 0;
  }
}

}  // namespace

void redact_stream(Scanner& scanner, const RedactOptions& options, int in, int out_fd,
                   const std::string& name, bool line_buffered, RedactStats& stats) {
  Output out(out_fd, name);
  TextRedactor text(scanner, options, name, stats, out);
  // Files are redacted in blocks of many lines (one detector pass each); live streams as lines arrive.
  const std::size_t block = line_buffered ? 1 : (1u << 20);
  std::optional<JsonBlanker> json;
  if (options.format != RedactFormat::Text) {
    // JSON Lines (named so, or any stream: each line that is JSON has its fields blanked) or a document.
    json.emplace(options.fields,
                 options.format == RedactFormat::Json ? JsonFraming::Document : JsonFraming::Lines);
  }
  std::optional<Utf16Decoder> utf16;
  bool decided = false;  // whether the input is UTF-16 is decided from its first bytes, as `scan` does
  std::string head, decoded;
  auto push = [&](std::string_view bytes) {
    if (utf16) {
      decoded.clear();
      utf16->feed(bytes, decoded);
      bytes = decoded;
    }
    if (json) {
      json->feed(bytes, text.pending());
    } else {
      text.pending().append(bytes);
    }
  };
  auto decide = [&] {
    // An archive's secrets are inside compressed or packed entries: rewriting its bytes would redact
    // nothing, or break it. Refused before a byte is written (--in-place leaves the file as it was).
    if (const archive::Container kind = archive::sniff(head); kind != archive::Container::None) {
      throw Error(name + ": a " + archive::container_name(kind) +
                  " archive: redact does not rewrite archives (nothing was written); unpack it, redact the "
                  "files, pack it again (`keygate scan` finds what is inside)");
    }
    const Utf16Start start = detect_utf16(std::string_view(head).substr(0, 8000));
    if (start.order != Utf16Order::None) {
      utf16.emplace(start.order);
      out.encode_utf16(start.order, head.substr(0, start.bom));
      head.erase(0, start.bom);
    }
    decided = true;
    push(head);
    head.clear();
  };

  char chunk[64 * 1024];
  for (bool eof = false; !eof;) {
    if (line_buffered && text.holding() && !wait_for_input(in)) {
      text.release(TextRedactor::Release::Timeout);
      out.flush();
      continue;
    }
    const ssize_t n = ::read(in, chunk, sizeof chunk);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Error(name + ": cannot read: " + std::strerror(errno));
    }
    eof = n == 0;
    const std::string_view got(chunk, static_cast<std::size_t>(n));
    if (!decided) {
      head.append(got);
      // A file decides on its first 8000 bytes; a live stream as soon as it can (a byte order mark, 16
      // bytes, or bytes without a NUL, which cannot be UTF-16 that detect_utf16 would see).
      const bool enough =
          head.size() >= 8000 ||
          (line_buffered && (head.size() >= 16 || std::memchr(head.data(), 0, head.size()) == nullptr ||
                             detect_utf16(head).bom > 0));
      if (enough || eof) decide();
    } else {
      push(got);
    }
    std::string tail;
    if (eof) {
      if (utf16) {
        std::string last;  // a high surrogate that waited for its pair
        tail = utf16->finish(last);
        utf16.reset();
        push(last);
      }
      if (json) json->finish();
      text.release(TextRedactor::Release::All);
    } else if (text.pending().size() >= block) {
      text.release(TextRedactor::Release::Ready);
    }
    if (line_buffered || out.buffer().size() >= (1u << 20) || eof) out.flush(eof, tail);
  }
  if (json) {
    stats.fields += json->fields_blanked();
    // A stream left to content counts lines that are not JSON only when it began as JSON Lines.
    if (options.format != RedactFormat::Auto || json->first_record_valid()) {
      stats.invalid_json_lines += json->invalid_records();
    }
  }
}

std::string redact_record(Scanner& scanner, const RedactOptions& options, std::string_view path,
                          std::string_view text, bool as_json, RedactStats& stats, bool* was_json) {
  std::string working;
  if (as_json) {
    JsonBlanker json(options.fields, JsonFraming::Document);
    json.feed(text, working);
    json.finish();
    stats.fields += json.fields_blanked();
    if (was_json != nullptr) *was_json = json.invalid_records() == 0;
  } else {
    working.assign(text);
  }
  std::string out;
  replace_secrets(scanner, options, path, working, working.size(), out, stats);
  return out;
}

bool redact_inputs(Scanner& scanner, const RedactOptions& options, const std::vector<std::string>& paths,
                   bool in_place, RedactStats& stats) {
  bool ok = true;
  if (paths.empty() || paths == std::vector<std::string>{"-"}) {
    struct stat st {};
    const bool live = ::fstat(STDIN_FILENO, &st) == 0 &&
                      (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode) || S_ISSOCK(st.st_mode));
    redact_stream(scanner, options, STDIN_FILENO, STDOUT_FILENO, "(stdin)", live, stats);
  }
  for (const std::string& path : paths) {
    if (path == "-") continue;
    RedactOptions for_file = options;
    if (for_file.format == RedactFormat::Auto) {
      const DatasetKind kind = dataset_kind(path);
      for_file.format = kind == DatasetKind::JsonLines      ? RedactFormat::Jsonl
                        : kind == DatasetKind::JsonDocument ? RedactFormat::Json
                                                            : RedactFormat::Auto;
    }
    try {
      if (in_place) {
        redact_file_in_place(scanner, for_file, path, stats);
      } else {
        const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0) throw Error(path + ": cannot open: " + std::strerror(errno));
        try {
          redact_stream(scanner, for_file, fd, STDOUT_FILENO, path, false, stats);
        } catch (...) {
          ::close(fd);
          throw;
        }
        ::close(fd);
      }
    } catch (const Error& e) {
      std::fprintf(stderr, "keygate: error: %s\n", e.what());
      ok = false;
    }
  }
  return ok;
}

}  // namespace keygate
