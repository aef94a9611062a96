// This file implements the language server's protocol handling (see lsp/server.hpp).
#include "lsp/server.hpp"

#include <fmt/core.h>

#include <algorithm>

#include "core/error.hpp"
#include "filter/suppress.hpp"
#include "lsp/actions.hpp"
#include "report/report.hpp"
#include "util/ascii.hpp"
#include "util/utf8.hpp"

#ifndef KEYGATE_VERSION
#define KEYGATE_VERSION "0.0.0"
#endif

namespace keygate::lsp {
namespace {

// JSON-RPC and LSP error codes.
constexpr int kParseError = -32700;
constexpr int kInvalidRequest = -32600;
constexpr int kMethodNotFound = -32601;
constexpr int kInvalidParams = -32602;
constexpr int kInternalError = -32603;
constexpr int kServerNotInitialized = -32002;

// LSP DiagnosticSeverity by confidence: a sure key is an error, a likely one a warning, a guess a hint.
int severity(Confidence c) { return c == Confidence::High ? 1 : c == Confidence::Medium ? 2 : 3; }

std::string position_json(Position p) {
  return fmt::format("{{\"line\":{},\"character\":{}}}", p.line, p.character);
}

std::string range_json(const Range& r) {
  return "{\"start\":" + position_json(r.start) + ",\"end\":" + position_json(r.end) + "}";
}

std::optional<Position> read_position(const JsonDoc& m, const std::string& pointer) {
  const std::optional<std::int64_t> line = m.integer(pointer + "/line");
  const std::optional<std::int64_t> character = m.integer(pointer + "/character");
  if (!line || !character) return std::nullopt;
  return Position{*line, *character};
}

std::optional<Range> read_range(const JsonDoc& m, const std::string& pointer) {
  const std::optional<Position> start = read_position(m, pointer + "/start");
  const std::optional<Position> end = read_position(m, pointer + "/end");
  if (!start || !end) return std::nullopt;
  return Range{*start, *end};
}

bool before(Position a, Position b) {
  return a.line < b.line || (a.line == b.line && a.character < b.character);
}

// A text edit in a WorkspaceEdit's `changes`.
std::string workspace_edit(const std::string& uri, const Range& range, const std::string& text) {
  return "{\"changes\":{" + json_string(uri) + ":[{\"range\":" + range_json(range) +
         ",\"newText\":" + json_string(text) + "}]}}";
}

// The file name at the end of `path`.
std::string_view base_name(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

}  // namespace

std::optional<std::string> path_of_uri(std::string_view uri) {
  constexpr std::string_view scheme = "file://";
  if (uri.size() < scheme.size() || lowered(uri.substr(0, scheme.size())) != scheme) return std::nullopt;
  uri.remove_prefix(scheme.size());
  // file://host/path: only the local host (empty or "localhost") is a file here.
  const std::size_t slash = uri.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const std::string_view host = uri.substr(0, slash);
  if (!host.empty() && host != "localhost") return std::nullopt;
  uri.remove_prefix(slash);
  std::string path;
  for (std::size_t i = 0; i < uri.size(); ++i) {
    if (uri[i] == '%' && i + 2 < uri.size() + 0 && hex_digit_value(uri[i + 1]) >= 0 &&
        hex_digit_value(uri[i + 2]) >= 0) {
      path += static_cast<char>(hex_digit_value(uri[i + 1]) * 16 + hex_digit_value(uri[i + 2]));
      i += 2;
    } else if (uri[i] == '?' || uri[i] == '#') {
      break;
    } else {
      path += uri[i];
    }
  }
  if (path.find('\0') != std::string::npos) return std::nullopt;
  return path;
}

Server::Server(ServerOptions options, std::function<void(const std::string& json)> send)
    : options_(std::move(options)), send_(std::move(send)) {}

void Server::reply(std::string_view id, const std::string& result) {
  send_("{\"jsonrpc\":\"2.0\",\"id\":" + std::string(id) + ",\"result\":" + result + "}");
}

void Server::reply_error(std::string_view id, int code, const std::string& message) {
  send_("{\"jsonrpc\":\"2.0\",\"id\":" + std::string(id.empty() ? "null" : id) +
        ",\"error\":{\"code\":" + std::to_string(code) + ",\"message\":" + json_string(message) + "}}");
}

void Server::framing_error(const std::string& why) {
  reply_error("null", kParseError, "bad framing: " + why);
}

void Server::handle(std::string_view body, Clock::time_point now) {
  JsonDoc message;
  std::string error;
  if (!message.parse(std::string(body), &error)) {
    reply_error("null", kParseError, "not JSON: " + error);
    return;
  }
  // A request's id is a number or a string; anything else cannot be answered by it.
  std::string_view id = message.raw("/id");
  if (!id.empty() && id.front() != '"' && !message.integer("/id")) id = {};
  const std::optional<std::string> method = message.string("/method");
  if (!method || message.raw("").front() != '{') {
    // A response to a request of ours (workspace/applyEdit is not sent, so none is awaited) or garbage.
    if (message.has("/result") || message.has("/error")) return;
    reply_error(id, kInvalidRequest, "not a JSON-RPC request or notification (no \"method\")");
    return;
  }
  try {
    if (message.has("/id")) {
      if (id.empty()) {
        reply_error("null", kInvalidRequest, "the id is neither a number nor a string");
        return;
      }
      request(message, id, *method, now);
    } else {
      notification(message, *method, now);
    }
  } catch (const Error& e) {
    // What the project files or the file system said about one message; the session goes on.
    if (!id.empty())
      reply_error(id, kInvalidParams, e.what());
    else
      fmt::print(stderr, "keygate lsp: {}: {}\n", *method, e.what());
  } catch (const std::exception& e) {
    // Out of memory for one huge document, say: that message fails, the session goes on.
    if (!id.empty())
      reply_error(id, kInternalError, e.what());
    else
      fmt::print(stderr, "keygate lsp: {}: internal error: {}\n", *method, e.what());
  }
}

void Server::request(const JsonDoc& m, std::string_view id, const std::string& method,
                     Clock::time_point now) {
  if (method == "initialize") {
    if (initialized_) return reply_error(id, kInvalidRequest, "initialize was already received");
    reply(id, initialize(m));
    return;
  }
  if (!initialized_) return reply_error(id, kServerNotInitialized, "initialize first");
  if (shut_down_) return reply_error(id, kInvalidRequest, "the server is shut down; only exit is expected");
  if (method == "shutdown") {
    shut_down_ = true;
    reply(id, "null");
  } else if (method == "textDocument/codeAction") {
    reply(id, code_actions(m));
  } else if (method == "workspace/executeCommand") {
    std::string error;
    const std::string result = execute_command(m, now, &error);
    if (!error.empty()) return reply_error(id, kInvalidParams, error);
    reply(id, result);
  } else {
    reply_error(id, kMethodNotFound, "keygate does not handle " + method);
  }
}

void Server::notification(const JsonDoc& m, const std::string& method, Clock::time_point now) {
  if (method == "exit") {
    exit_code_ = shut_down_ ? 0 : 1;
    return;
  }
  if (!initialized_ || shut_down_) return;  // notifications are dropped then, as the protocol says
  const std::optional<std::string> uri = m.string("/params/textDocument/uri");
  if (method == "textDocument/didOpen") {
    did_open(m, now);
  } else if (method == "textDocument/didChange") {
    did_change(m, now);
  } else if (method == "textDocument/didClose" && uri) {
    if (documents_.erase(*uri) > 0)
      send_("{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/publishDiagnostics\",\"params\":{\"uri\":" +
            json_string(*uri) + ",\"diagnostics\":[]}}");
  } else if (method == "textDocument/didSave" && uri) {
    const auto it = documents_.find(*uri);
    if (it == documents_.end()) return;
    // Saving a project file changes the judgement of every document of the project.
    const std::string_view name = base_name(it->second.place.path);
    if (name == ".keygate.toml" || name == ".keygateignore" ||
        (!options_.judge.baseline.empty() && it->second.place.path == options_.judge.baseline))
      project_changed(it->second.place.root, now);
  } else if (method == "workspace/didChangeWatchedFiles") {
    for (auto& [u, open] : documents_) open.due = now;  // cheap: the projects reload only what changed
  }
  // initialized, $/cancelRequest, $/setTrace, workspace/didChangeConfiguration...: nothing to do.
}

std::string Server::initialize(const JsonDoc& m) {
  // utf-8 when the client offers it (LSP 3.17 general.positionEncodings, or clangd's offsetEncoding that
  // older clients send): no conversion at all. Otherwise the protocol's default, UTF-16.
  bool offered_utf8 = false;
  for (const char* list :
       {"/params/capabilities/general/positionEncodings", "/params/capabilities/offsetEncoding"}) {
    for (std::size_t i = 0, n = m.array_size(list); i < n; ++i)
      offered_utf8 |= m.string(std::string(list) + "/" + std::to_string(i)) == "utf-8";
  }
  encoding_ = offered_utf8 ? PositionEncoding::Utf8 : PositionEncoding::Utf16;
  for (const char* root : {"/params/workspaceFolders/0/uri", "/params/rootUri"}) {
    if (const std::optional<std::string> uri = m.string(root)) {
      if (std::optional<std::string> path = path_of_uri(*uri)) {
        workspace_root_ = *path;
        break;
      }
    }
  }
  if (workspace_root_.empty()) workspace_root_ = m.string("/params/rootPath").value_or("");
  // The client's settings, over the command line's.
  JudgeSettings judge = options_.judge;
  if (const std::optional<std::string> level = m.string("/params/initializationOptions/minConfidence")) {
    Confidence c;
    if (parse_confidence(*level, &c)) judge.min_confidence = c;
  }
  if (const std::optional<std::string> baseline = m.string("/params/initializationOptions/baseline"))
    judge.baseline = *baseline;
  if (const std::optional<std::int64_t> ms = m.integer("/params/initializationOptions/debounceMs"))
    options_.debounce = std::chrono::milliseconds(std::clamp<std::int64_t>(*ms, 0, 10000));
  options_.judge = judge;
  projects_ = std::make_unique<Projects>(judge);
  initialized_ = true;
  const char* encoding = encoding_ == PositionEncoding::Utf8 ? "utf-8" : "utf-16";
  return fmt::format(
      "{{\"capabilities\":{{\"positionEncoding\":\"{0}\",\"textDocumentSync\":{{\"openClose\":true,"
      "\"change\":2,\"save\":{{\"includeText\":false}}}},\"codeActionProvider\":{{\"codeActionKinds\":["
      "\"quickfix\"]}},\"executeCommandProvider\":{{\"commands\":[\"{1}\"]}}}},\"offsetEncoding\":\"{0}\","
      "\"serverInfo\":{{\"name\":\"keygate\",\"version\":\"{2}\"}}}}",
      encoding, kIgnoreCommand, KEYGATE_VERSION);
}

void Server::did_open(const JsonDoc& m, Clock::time_point now) {
  const std::optional<std::string> uri = m.string("/params/textDocument/uri");
  const std::optional<std::string> text = m.string("/params/textDocument/text");
  if (!uri || !text) return;
  Open& open = documents_[*uri];
  open = Open{};
  open.uri = *uri;
  open.version = m.integer("/params/textDocument/version").value_or(0);
  open.document.set_text(*text);
  if (const std::optional<std::string> path = path_of_uri(*uri)) {
    open.place = place_of(*path, workspace_root_);
    open.is_file = true;
  } else {
    // An unsaved buffer: judged under the workspace's project, by the name its URI ends with.
    open.place.root =
        workspace_root_.empty() || workspace_root_.back() == '/' ? workspace_root_ : workspace_root_ + "/";
    open.place.path = std::string(base_name(*uri));
  }
  open.language = language_of(m.string("/params/textDocument/languageId").value_or(""), open.place.path);
  open.due = now + options_.debounce;
}

void Server::did_change(const JsonDoc& m, Clock::time_point now) {
  const std::optional<std::string> uri = m.string("/params/textDocument/uri");
  if (!uri) return;
  const auto it = documents_.find(*uri);
  if (it == documents_.end()) return;  // a change to a document never opened: nothing to apply it to
  Open& open = it->second;
  for (std::size_t i = 0, n = m.array_size("/params/contentChanges"); i < n; ++i) {
    const std::string change = "/params/contentChanges/" + std::to_string(i);
    const std::optional<std::string> text = m.string(change + "/text");
    if (!text) continue;
    if (const std::optional<Range> range = read_range(m, change + "/range")) {
      open.document.replace(*range, *text, encoding_);
    } else {
      open.document.set_text(*text);
    }
  }
  open.version = m.integer("/params/textDocument/version").value_or(open.version);
  open.due = now + options_.debounce;
}

std::optional<Clock::time_point> Server::next_due() const {
  std::optional<Clock::time_point> due;
  for (const auto& [uri, open] : documents_) {
    if (open.due && (!due || *open.due < *due)) due = open.due;
  }
  return due;
}

void Server::publish_due(Clock::time_point now) {
  for (auto& [uri, open] : documents_) {
    if (open.due && *open.due <= now) judge(open);
  }
}

void Server::project_changed(const std::string& root, Clock::time_point now) {
  for (auto& [uri, open] : documents_) {
    if (open.place.root == root) open.due = now;
  }
}

Range Server::range_of(const Open& open, const Finding& f) const {
  const Document& d = open.document;
  const std::size_t line =
      std::min<std::size_t>(static_cast<std::size_t>(std::max(f.line, 1) - 1), d.line_count() - 1);
  const std::size_t begin =
      std::min(d.line_start(line) + static_cast<std::size_t>(std::max(f.column, 1) - 1), d.text().size());
  const std::size_t length = f.encoded_length > 0 ? f.encoded_length : f.secret.size();
  const std::size_t end = std::min(begin + length, d.text().size());
  return Range{d.position_of(begin, encoding_), d.position_of(end, encoding_)};
}

std::string Server::diagnostic(const Open& open, const Finding& f) const {
  std::string message = f.description.empty() ? f.rule_id : f.description;
  message += ": " + redacted(f.secret);
  if (!f.decoded.empty()) message += " (decoded: " + f.decoded + ")";
  message += fmt::format(" [{}, {} confidence]", f.rule_id, confidence_name(f.confidence));
  return "{\"range\":" + range_json(range_of(open, f)) +
         ",\"severity\":" + std::to_string(severity(f.confidence)) + ",\"code\":" + json_string(f.rule_id) +
         ",\"source\":\"keygate\",\"message\":" + json_string(message) +
         ",\"data\":{\"fingerprint\":" + json_string(f.fingerprint) + "}}";
}

void Server::judge(Open& open) {
  open.due.reset();
  Verdict verdict;
  try {
    verdict = projects_->judge(open.place, open.document.text());
  } catch (const std::exception& e) {
    verdict.problem = std::string("not scanned: ") + e.what();
  }
  open.findings = verdict.findings;
  std::string diagnostics;
  if (!verdict.problem.empty()) {
    // Never a silent clean bill: a document that could not be judged says so on its first line.
    diagnostics = "{\"range\":" + range_json(Range{}) +
                  ",\"severity\":1,\"code\":\"keygate\",\"source\":\"keygate\",\"message\":" +
                  json_string(verdict.problem) + "}";
  }
  for (const Finding& f : open.findings) {
    if (!diagnostics.empty()) diagnostics += ',';
    diagnostics += diagnostic(open, f);
  }
  send_("{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/publishDiagnostics\",\"params\":{\"uri\":" +
        json_string(open.uri) + ",\"version\":" + std::to_string(open.version) + ",\"diagnostics\":[" +
        diagnostics + "]}}");
}

std::string Server::code_actions(const JsonDoc& m) {
  const std::optional<std::string> uri = m.string("/params/textDocument/uri");
  const std::optional<Range> asked = read_range(m, "/params/range");
  if (!uri || !asked) return "[]";
  const auto it = documents_.find(*uri);
  if (it == documents_.end()) return "[]";
  Open& open = it->second;
  // Judged now if changes wait: the actions must match the text the client shows.
  if (open.due) judge(open);
  const Document& d = open.document;
  std::string actions;
  const auto add = [&](const std::string& action) {
    if (!actions.empty()) actions += ',';
    actions += action;
  };
  for (const Finding& f : open.findings) {
    const Range at = range_of(open, f);
    // The findings the asked range touches (a cursor: an empty range inside or at the edge of one).
    if (before(asked->end, at.start) || before(at.end, asked->start)) continue;
    const std::string diag = "[" + diagnostic(open, f) + "]";
    const std::size_t begin = d.offset_of(at.start, encoding_);
    const std::size_t end = d.offset_of(at.end, encoding_);
    std::string variable;
    if (const std::optional<ByteEdit> e = environment_edit(d.text(), begin, end, open.language, &variable)) {
      const Range r{d.position_of(e->begin, encoding_), d.position_of(e->end, encoding_)};
      add("{\"title\":" + json_string("keygate: read " + variable + " from the environment: " + e->text) +
          ",\"kind\":\"quickfix\",\"isPreferred\":true,\"diagnostics\":" + diag +
          ",\"edit\":" + workspace_edit(open.uri, r, e->text) + "}");
    }
    // A comment on a finding of several lines (a private key block) would land inside the secret's text.
    const std::size_t line = d.line_of(begin);
    if (const std::optional<ByteEdit> e =
            at.start.line != at.end.line
                ? std::nullopt
                : allow_comment_edit(d.text(), d.line_start(line), d.line_end(line), open.language)) {
      const Position p = d.position_of(e->begin, encoding_);
      add("{\"title\":\"keygate: allow this line (keygate:allow comment)\",\"kind\":\"quickfix\","
          "\"diagnostics\":" +
          diag + ",\"edit\":" + workspace_edit(open.uri, Range{p, p}, e->text) + "}");
    }
    if (open.is_file) {
      add("{\"title\":\"keygate: accept this finding (add its fingerprint to .keygateignore)\",\"kind\":"
          "\"quickfix\",\"diagnostics\":" +
          diag +
          ",\"command\":{\"title\":\"Add to .keygateignore\","
          "\"command\":" +
          json_string(kIgnoreCommand) + ",\"arguments\":[" + json_string(open.uri) + "," +
          json_string(f.fingerprint) + "]}}");
    }
  }
  return "[" + actions + "]";
}

std::string Server::execute_command(const JsonDoc& m, Clock::time_point now, std::string* error) {
  if (m.string("/params/command") != kIgnoreCommand) {
    *error = "unknown command (keygate has " + std::string(kIgnoreCommand) + ")";
    return "";
  }
  const std::optional<std::string> uri = m.string("/params/arguments/0");
  const std::optional<std::string> fingerprint = m.string("/params/arguments/1");
  const auto it = uri ? documents_.find(*uri) : documents_.end();
  if (!fingerprint || it == documents_.end() || !it->second.is_file) {
    *error = "expected the arguments [URI of an open file, fingerprint]";
    return "";
  }
  const Open& open = it->second;
  const auto f = std::find_if(open.findings.begin(), open.findings.end(),
                              [&](const Finding& x) { return x.fingerprint == *fingerprint; });
  if (f == open.findings.end()) {
    *error = "no finding of that fingerprint in the document (it changed since)";
    return "";
  }
  add_to_ignore_file(open.place.root + ".keygateignore", {*f});  // atomic; throws Error naming the file
  project_changed(open.place.root, now);
  return "null";
}

}  // namespace keygate::lsp
