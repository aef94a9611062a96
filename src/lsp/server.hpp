// This file declares the language server (keygate lsp): the LSP 3.17 lifecycle (initialize, initialized,
// shutdown, exit), the open documents kept in sync (full and incremental changes, UTF-16 positions unless
// the client offers utf-8), diagnostics published for each changed document once the changes waiting on the
// input are applied (judged by lsp/project.hpp), and the code actions on a finding (lsp/actions.hpp). It sits
// beside the other commands: the editor is one more source of text for the one pipeline.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.hpp"
#include "lsp/document.hpp"
#include "lsp/message.hpp"
#include "lsp/project.hpp"

namespace keygate::lsp {

using Clock = std::chrono::steady_clock;

// How long a document's changes must pause before it is judged, unless the client's
// initializationOptions.debounceMs says otherwise. By default no time at all: a document is judged once
// every message already waiting on the input is handled, so a burst of changes (and every change that
// arrived while the last judgement ran) is judged once, and nothing waits on a timer. Judging a 5,000-line
// file takes about a millisecond; on a loaded machine, a server that sleeps is woken late (bench/lsp.py).
inline constexpr std::chrono::milliseconds kDefaultDebounce{0};

struct ServerOptions {
  JudgeSettings judge;
  std::chrono::milliseconds debounce = kDefaultDebounce;
};

// The command the "add to .keygateignore" code action runs: arguments [document URI, fingerprint].
inline constexpr std::string_view kIgnoreCommand = "keygate.ignore";

class Server {
 public:
  // `send` writes one JSON-RPC message (unframed) to the client; it may throw to end the session.
  Server(ServerOptions options, std::function<void(const std::string& json)> send);

  // Handles one message body. A body that is not a JSON-RPC message is answered with an error (id null
  // when its id cannot be read); nothing a client sends makes it throw.
  void handle(std::string_view body, Clock::time_point now);
  // The earliest time a changed document is due to be judged, or nullopt when none waits.
  std::optional<Clock::time_point> next_due() const;
  // Judges every document due by `now` and publishes its diagnostics.
  void publish_due(Clock::time_point now);
  // Set once `exit` arrived: the exit code (0 after `shutdown`, 1 without, as the protocol says).
  std::optional<int> exit_code() const { return exit_code_; }
  // True once `shutdown` was answered.
  bool shut_down() const { return shut_down_; }

  // Answers a message whose framing could not be read (the stream is lost after it).
  void framing_error(const std::string& why);

 private:
  struct Open {
    std::string uri;
    std::string language;  // actions.hpp's language_of
    std::int64_t version = 0;
    Document document;
    DocumentPlace place;
    bool is_file = false;                  // a file: URI (untitled buffers have no project of their own)
    std::optional<Clock::time_point> due;  // when it is to be judged next
    std::vector<Finding> findings;         // of its last judgement, for code actions
  };

  void request(const JsonDoc& message, std::string_view id, const std::string& method, Clock::time_point now);
  void notification(const JsonDoc& message, const std::string& method, Clock::time_point now);
  std::string initialize(const JsonDoc& message);
  void did_open(const JsonDoc& message, Clock::time_point now);
  void did_change(const JsonDoc& message, Clock::time_point now);
  std::string code_actions(const JsonDoc& message);
  std::string execute_command(const JsonDoc& message, Clock::time_point now, std::string* error);
  void judge(Open& open);
  std::string diagnostic(const Open& open, const Finding& finding) const;
  Range range_of(const Open& open, const Finding& finding) const;
  void reply(std::string_view id, const std::string& result);
  void reply_error(std::string_view id, int code, const std::string& message);
  // Every open document in the project at `root` is due now (its config, ignore file or baseline changed).
  void project_changed(const std::string& root, Clock::time_point now);

  ServerOptions options_;
  std::function<void(const std::string&)> send_;
  std::unique_ptr<Projects> projects_;  // made by initialize, with the client's settings
  PositionEncoding encoding_ = PositionEncoding::Utf16;
  std::string workspace_root_;  // the client's root folder, for files outside any repository
  bool initialized_ = false;
  bool shut_down_ = false;
  std::optional<int> exit_code_;
  std::map<std::string, Open> documents_;  // by URI
};

// The local path of a file: URI ("file:///a%20b/c" -> "/a b/c"), or nullopt for any other URI.
std::optional<std::string> path_of_uri(std::string_view uri);

// Runs a server reading framed messages from `in_fd` and writing to `out_fd` until `exit`, the end of the
// input or a framing error; returns the exit code (0 after shutdown and exit, else 1).
int serve(int in_fd, int out_fd, ServerOptions options);

}  // namespace keygate::lsp
