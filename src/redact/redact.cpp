// This file implements `keygate redact` (see redact.hpp): read, detect with the same rules as `scan`,
// replace each secret's bytes, write. JSON records also lose the values of their sensitive fields.
#include "redact/redact.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "core/error.hpp"
#include "core/finding.hpp"
#include "filter/dataset.hpp"
#include "util/json_walk.hpp"

namespace keygate {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

// What a secret becomes. The text never holds a quote, a backslash or a control character, so that a
// secret inside a JSON string leaves a valid JSON string.
std::string replacement(const RedactOptions& options, const Finding& f) {
  std::string out;
  if (options.mask.empty()) {
    out = redact(f.secret);
  } else {
    out = options.mask;
    for (std::size_t at; (at = out.find("{rule}")) != std::string::npos;) out.replace(at, 6, f.rule_id);
  }
  for (char& c : out) {
    if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) c = '*';
  }
  return out;
}

// JSON: the values of sensitive members replaced by "[REDACTED]". Returns false when `text` is not JSON.
bool blank_sensitive_fields(const RedactOptions& options, std::string_view text, std::string& out,
                            RedactStats& stats) {
  struct Span {
    std::size_t begin, end;
  };
  std::vector<Span> spans;
  const bool valid = walk_json(text, [&](const JsonValue& v) {
    if (v.depth == 0 || v.key.empty()) return;
    const std::string name = lower(v.key);
    if (std::find(options.fields.begin(), options.fields.end(), name) != options.fields.end()) {
      spans.push_back({v.begin, v.end});
    }
  });
  if (!valid) return false;
  // Members arrive before their containers: keep only the outermost spans, in text order.
  std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
  });
  out.clear();
  std::size_t at = 0;
  for (const Span& s : spans) {
    if (s.begin < at) continue;  // inside a span already blanked
    out.append(text.substr(at, s.begin - at));
    out += "\"[REDACTED]\"";
    at = s.end;
    ++stats.fields;
  }
  out.append(text.substr(at));
  return true;
}

// Runs the detector over `text` and writes it to `out` with every secret that starts before `limit`
// replaced. Returns how much of `text` was written: at least `limit`, more when a secret crosses it.
std::size_t replace_secrets(Scanner& scanner, const RedactOptions& options, std::string_view path,
                            std::string_view text, std::size_t limit, std::string& out, RedactStats& stats) {
  Fragment fragment;
  fragment.text = text;
  fragment.origin.kind = path.empty() ? SourceKind::Stream : SourceKind::File;
  fragment.origin.path = std::string(path);
  std::vector<Finding> findings = scanner.detect(fragment);
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
    // The secret's bytes are where the finding says; a finding in decoded text covers its encoded span.
    std::size_t end = begin + f.secret.size();
    if (text.substr(begin, f.secret.size()) != f.secret)
      end = begin + std::min(f.secret.size(), text.size() - begin);
    spans.push_back({begin, std::min(end, text.size()), &f});
  }
  std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) { return a.begin < b.begin; });
  std::size_t at = 0;
  for (const Span& s : spans) {
    if (s.begin < at) continue;  // overlaps one already replaced
    out.append(text.substr(at, s.begin - at));
    out += replacement(options, *s.finding);
    at = s.end;
    ++stats.secrets;
  }
  const std::size_t written = std::max(at, limit);
  if (at < written) out.append(text.substr(at, written - at));
  return written;
}

class Output {
 public:
  Output(int fd, const std::string& name) : fd_(fd), name_(name) {}
  std::string& buffer() { return buffer_; }
  void flush() {
    std::size_t done = 0;
    while (done < buffer_.size()) {
      const ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
      if (n < 0) {
        if (errno == EINTR) continue;
        throw Error(name_ + ": cannot write: " + std::strerror(errno));
      }
      done += static_cast<std::size_t>(n);
    }
    buffer_.clear();
  }

 private:
  int fd_;
  std::string name_;
  std::string buffer_;
};

// Where an unfinished PEM block starts in `text` (a private key arriving line by line must be seen
// whole), or npos.
std::size_t open_pem_block(std::string_view text) {
  const std::size_t begin = text.rfind("-----BEGIN ");
  if (begin == std::string_view::npos) return std::string_view::npos;
  if (text.find("-----END ", begin) != std::string_view::npos) return std::string_view::npos;
  return begin;
}

}  // namespace

std::string redact_record(Scanner& scanner, const RedactOptions& options, std::string_view path,
                          std::string_view text, bool as_json, RedactStats& stats, bool* was_json) {
  std::string blanked;
  std::string_view working = text;
  if (as_json) {
    const bool ok = blank_sensitive_fields(options, text, blanked, stats);
    if (was_json != nullptr) *was_json = ok;
    if (ok) working = blanked;
  }
  std::string out;
  replace_secrets(scanner, options, path, working, working.size(), out, stats);
  return out;
}

void redact_stream(Scanner& scanner, const RedactOptions& options, int in, int out_fd,
                   const std::string& name, bool line_buffered, RedactStats& stats) {
  Output out(out_fd, name);
  std::string pending;
  // Files are redacted in blocks of many lines (one detector pass each); pipes as lines arrive.
  const std::size_t block = line_buffered ? 1 : (1u << 20);
  RedactFormat format = options.format;
  std::string blanked;

  // Redacts complete lines (JSON Lines: each line is a record).
  auto lines = [&](std::string_view text) {
    if (format == RedactFormat::Auto) {
      // The stream's first non-blank line decides: a JSON value makes it JSON Lines.
      const std::size_t first = text.find_first_not_of(" \t\r\n");
      if (first == std::string_view::npos) {
        out.buffer().append(text);
        return;
      }
      std::string_view line = text.substr(first, text.find('\n', first) - first);
      while (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      format = (line[0] == '{' || line[0] == '[') && walk_json(line, nullptr) ? RedactFormat::Jsonl
                                                                              : RedactFormat::Text;
    }
    if (format != RedactFormat::Jsonl) {
      replace_secrets(scanner, options, name, text, text.size(), out.buffer(), stats);
      return;
    }
    for (std::size_t at = 0; at < text.size();) {
      std::size_t nl = text.find('\n', at);
      nl = nl == std::string_view::npos ? text.size() : nl + 1;
      std::string_view line = text.substr(at, nl - at);
      std::size_t body_end = line.size();
      while (body_end > 0 && (line[body_end - 1] == '\n' || line[body_end - 1] == '\r')) --body_end;
      const std::string_view body = line.substr(0, body_end);
      if (body.find_first_not_of(" \t") == std::string_view::npos) {
        out.buffer().append(line);
      } else if (blank_sensitive_fields(options, body, blanked, stats)) {
        replace_secrets(scanner, options, name, blanked, blanked.size(), out.buffer(), stats);
        out.buffer().append(line.substr(body_end));
      } else {
        ++stats.invalid_json_lines;
        replace_secrets(scanner, options, name, line, line.size(), out.buffer(), stats);
      }
      at = nl;
    }
  };

  char chunk[64 * 1024];
  bool eof = false;
  if (format == RedactFormat::Json) {
    // One JSON document: its structure is known only once it is read whole.
    for (ssize_t n; (n = ::read(in, chunk, sizeof chunk)) != 0;) {
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw Error(name + ": cannot read: " + std::strerror(errno));
      pending.append(chunk, static_cast<std::size_t>(n));
    }
    bool was_json = true;
    std::string text = redact_record(scanner, options, name, pending, true, stats, &was_json);
    if (!was_json) ++stats.invalid_json_lines;
    out.buffer() = std::move(text);
    out.flush();
    return;
  }
  while (!eof) {
    const ssize_t n = ::read(in, chunk, sizeof chunk);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Error(name + ": cannot read: " + std::strerror(errno));
    }
    if (n == 0) {
      eof = true;
    } else {
      pending.append(chunk, static_cast<std::size_t>(n));
      if (pending.size() < block) continue;
    }
    const std::size_t last_newline = pending.rfind('\n');
    if (eof) {
      lines(pending);
      pending.clear();
    } else if (last_newline != std::string::npos) {
      std::size_t cut = last_newline + 1;
      const std::size_t pem = format == RedactFormat::Jsonl
                                  ? std::string::npos
                                  : open_pem_block(std::string_view(pending).substr(0, cut));
      if (pem != std::string::npos && cut - pem < kRedactOverlap) {
        const std::size_t line_start = pem == 0 ? std::string::npos : pending.rfind('\n', pem - 1);
        cut = line_start == std::string::npos ? 0 : line_start + 1;
      }
      if (cut > 0) {
        lines(std::string_view(pending).substr(0, cut));
        pending.erase(0, cut);
      }
    }
    // A line longer than a piece (not JSON Lines, whose records must be whole): redact all but the last
    // kRedactOverlap bytes, which the next piece sees again.
    if (pending.size() >= kRedactPiece && format != RedactFormat::Jsonl) {
      const std::size_t written = replace_secrets(scanner, options, name, pending,
                                                  pending.size() - kRedactOverlap, out.buffer(), stats);
      pending.erase(0, written);
    }
    if (line_buffered || out.buffer().size() >= (1u << 20) || eof) out.flush();
  }
  out.flush();
}

void redact_file_in_place(Scanner& scanner, const RedactOptions& options, const std::string& path,
                          RedactStats& stats) {
  const int in = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) throw Error(path + ": cannot open: " + std::strerror(errno));
  struct stat st {};
  if (::fstat(in, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(in);
    throw Error(path + ": not a regular file: only files can be redacted in place");
  }
  std::string temp = path + ".keygate-XXXXXX";
  const int out = ::mkstemp(temp.data());
  if (out < 0) {
    const int err = errno;
    ::close(in);
    throw Error(path + ": cannot create a temporary file beside it: " + std::strerror(err));
  }
  auto fail = [&](const std::string& what, int err) {
    ::close(in);
    ::close(out);
    ::unlink(temp.c_str());
    throw Error(path + ": " + what + (err != 0 ? std::string(": ") + std::strerror(err) : std::string()));
  };
  try {
    redact_stream(scanner, options, in, out, path, false, stats);
  } catch (const Error& e) {
    ::close(in);
    ::close(out);
    ::unlink(temp.c_str());
    throw;
  }
  if (::fchmod(out, st.st_mode & 07777) != 0) fail("cannot keep the file's mode", errno);
  if (::fchown(out, st.st_uid, st.st_gid) != 0 && (st.st_uid != ::geteuid() || st.st_gid != ::getegid())) {
    fail("cannot keep the file's owner (run as its owner or as root)", errno);
  }
  if (::fsync(out) != 0) fail("cannot write", errno);
  ::close(in);
  if (::close(out) != 0) {
    ::unlink(temp.c_str());
    throw Error(path + ": cannot write: " + std::strerror(errno));
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(temp.c_str());
    throw Error(path + ": cannot replace it: " + std::strerror(err));
  }
  // The rename itself must survive a crash: sync the directory that holds it.
  const std::size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash + 1);
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
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
        const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
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
