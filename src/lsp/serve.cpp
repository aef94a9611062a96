// This file implements `keygate lsp`'s process loop (lsp/server.hpp's serve) and its runner: framed
// messages are read from standard input as they come, handled in order, and a changed document is judged
// once no message waits on the input and its debounce time (none by default) has passed; every answer goes
// to standard output, which carries nothing else.
#include <fmt/core.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "cli/runners.hpp"
#include "core/error.hpp"
#include "lsp/server.hpp"

namespace keygate {
namespace lsp {
namespace {

// A document whose changes keep coming is still judged this long after it was due.
constexpr std::chrono::milliseconds kMaxDelay{200};

void write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw Error(std::string("lsp: cannot write to the client: ") + std::strerror(errno));
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

}  // namespace

int serve(int in_fd, int out_fd, ServerOptions options) {
  Server server(std::move(options), [&](const std::string& json) { write_all(out_fd, frame(json)); });
  FrameReader reader;
  std::string buffer(64 * 1024, '\0');
  std::string body, error;
  try {
    for (;;) {
      // Wait for input, or until the next changed document is due.
      int timeout = -1;
      const Clock::time_point now = Clock::now();
      const std::optional<Clock::time_point> due = server.next_due();
      if (due) {
        timeout = *due <= now
                      ? 0
                      : static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(*due - now).count());
      }
      pollfd in{in_fd, POLLIN, 0};
      const int ready = ::poll(&in, 1, timeout);
      if (ready < 0 && errno != EINTR) throw Error(std::string("lsp: poll: ") + std::strerror(errno));
      if (ready > 0) {
        const ssize_t n = ::read(in_fd, buffer.data(), buffer.size());
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (n <= 0) {
          // The client went away: an unfinished message is dropped, and without shutdown that is exit 1.
          if (reader.holds_partial()) fmt::print(stderr, "keygate lsp: the input ended inside a message\n");
          return server.shut_down() ? 0 : 1;
        }
        reader.feed(std::string_view(buffer.data(), static_cast<std::size_t>(n)));
        for (;;) {
          const FrameReader::Status status = reader.next(&body, &error);
          if (status == FrameReader::Status::NeedMore) break;
          if (status == FrameReader::Status::Bad) {
            server.framing_error(error);
            fmt::print(stderr, "keygate lsp: bad framing: {}; the session ends\n", error);
            return 1;
          }
          server.handle(body, Clock::now());
          if (const std::optional<int> code = server.exit_code()) return *code;
        }
        // More input may follow at once (a burst of keystrokes): judge when it pauses, or when a document
        // has waited too long.
        const std::optional<Clock::time_point> next = server.next_due();
        if (!next || Clock::now() < *next + kMaxDelay) continue;
      }
      server.publish_due(Clock::now());
    }
  } catch (const Error& e) {
    fmt::print(stderr, "keygate {}\n", e.what());
    return 1;
  }
}

}  // namespace lsp

int run_lsp(const Options& options) {
  lsp::ServerOptions server;
  server.judge.config_file = options.config_file;
  server.judge.baseline = options.baseline;
  server.judge.min_confidence = options.min_confidence;
  server.judge.packs = options.packs;
  return lsp::serve(STDIN_FILENO, STDOUT_FILENO, server);
}

}  // namespace keygate
