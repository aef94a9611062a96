// Fuzz target: the language server's message parser and handling (keygate lsp): any byte stream is cut
// into frames or refused as bad framing, each body is read as JSON or refused, and the server answers every
// message without a crash, a hang or an exception, keeping every document's offsets inside its text.
// Bodies that name files (file: URIs) or run a command are not handed to the server: a fuzzer must not
// read or write the machine's repositories.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "lsp/document.hpp"
#include "lsp/message.hpp"
#include "lsp/server.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace keygate::lsp;
  const std::string input(reinterpret_cast<const char*>(data), size);
  ServerOptions options;
  options.debounce = std::chrono::milliseconds(0);
  Server server(options, [](const std::string& json) {
    if (json.empty() || json.front() != '{') std::abort();
  });
  FrameReader reader;
  // Fed in uneven pieces, as a pipe delivers them.
  std::string body, error;
  for (std::size_t at = 0; at < input.size();) {
    const std::size_t n = std::min<std::size_t>(1 + (at * 7) % 97, input.size() - at);
    reader.feed(std::string_view(input).substr(at, n));
    at += n;
    for (;;) {
      const FrameReader::Status status = reader.next(&body, &error);
      if (status == FrameReader::Status::NeedMore) break;
      if (status == FrameReader::Status::Bad) {
        if (error.empty()) std::abort();
        server.framing_error(error);
        return 0;
      }
      JsonDoc doc;
      if (doc.parse(body, &error)) {
        (void)doc.string("/method");
        (void)doc.integer("/id");
        (void)doc.array_size("/params/contentChanges");
      }
      if (body.find("file:") != std::string::npos || body.find("Command") != std::string::npos) continue;
      server.handle(body, Clock::now());
      server.publish_due(Clock::now() + std::chrono::seconds(1));
      if (server.exit_code()) return 0;
    }
  }
  // The document layer on its own: positions anywhere map to offsets inside the text, and back.
  Document d(input);
  for (std::size_t i = 0; i + 1 < size && i < 64; i += 2) {
    const Position p{static_cast<std::int64_t>(data[i] % 8) - 1, static_cast<std::int64_t>(data[i + 1]) - 2};
    for (PositionEncoding e : {PositionEncoding::Utf16, PositionEncoding::Utf8}) {
      const std::size_t offset = d.offset_of(p, e);
      if (offset > d.text().size()) std::abort();
      (void)d.position_of(offset, e);
      d.replace(Range{p, Position{p.line + 1, 0}}, "x\n", e);
    }
  }
  return 0;
}
