// Tests for lsp/server.cpp, at the protocol level in process: the lifecycle and its errors, diagnostics
// judged under the document's repository (its .keygateignore, config and inline allows), published only
// for the changed document once its changes pause, positions in UTF-16 or negotiated UTF-8, and the code
// actions. tests/e2e/lsp_*.sh drive the real binary over pipes, and Neovim's client.
#include <catch2/catch.hpp>

#include "lsp/message.hpp"
#include "lsp/server.hpp"
#include "report/report.hpp"
#include "support/repo.hpp"
#include "util/json_walk.hpp"

using namespace keygate::lsp;
using keygate::json_string;
using keygate::test::fake_together_key;
using keygate::test::TestRepo;

namespace {

// A server and what it sent, each message parsed.
struct Session {
  std::vector<std::string> sent;
  Server server{ServerOptions{}, [this](const std::string& json) { sent.push_back(json); }};
  Clock::time_point now = Clock::now();
  int next_id = 1;

  // Sends `body` and returns what the server answered to it, judging nothing.
  std::vector<JsonDoc> send(const std::string& body) {
    const std::size_t before = sent.size();
    server.handle(body, now);
    return parsed(before);
  }
  std::vector<JsonDoc> parsed(std::size_t from) {
    std::vector<JsonDoc> out;
    for (std::size_t i = from; i < sent.size(); ++i) {
      JsonDoc d;
      std::string error;
      REQUIRE(d.parse(sent[i], &error));
      out.push_back(std::move(d));
    }
    return out;
  }
  JsonDoc request(const std::string& method, const std::string& params) {
    const std::vector<JsonDoc> answers = send(R"({"jsonrpc":"2.0","id":)" + std::to_string(next_id++) +
                                              R"(,"method":")" + method + R"(","params":)" + params + "}");
    REQUIRE(answers.size() == 1);
    return answers[0];
  }
  void notify(const std::string& method, const std::string& params) {
    INFO(method << " answered " << (sent.empty() ? "" : sent.back()));
    CHECK(send(R"({"jsonrpc":"2.0","method":")" + method + R"(","params":)" + params + "}").empty());
  }
  // Lets the debounce time pass; returns the diagnostics published.
  std::vector<JsonDoc> settle() {
    now += std::chrono::seconds(1);
    const std::size_t before = sent.size();
    server.publish_due(now);
    return parsed(before);
  }
  void open(const std::string& uri, const std::string& language, const std::string& text) {
    notify("textDocument/didOpen", R"({"textDocument":{"uri":)" + json_string(uri) + R"(,"languageId":")" +
                                       language + R"(","version":1,"text":)" + json_string(text) + "}}");
  }
};

std::string initialize_params(const std::string& root, const std::string& capabilities = "{}") {
  return R"({"processId":null,"rootUri":)" + json_string("file://" + root) + R"(,"capabilities":)" +
         capabilities + "}";
}

}  // namespace

TEST_CASE("lsp lifecycle: initialize first, shutdown then exit 0; exit alone 1; errors answer bad messages") {
  Session s;
  CHECK(s.request("textDocument/codeAction", "{}").integer("/error/code") == -32002);
  const JsonDoc init = s.request("initialize", initialize_params("/nonexistent"));
  CHECK(init.string("/result/capabilities/positionEncoding") == "utf-16");
  CHECK(init.integer("/result/capabilities/textDocumentSync/change") == 2);
  CHECK(init.string("/result/serverInfo/name") == "keygate");
  CHECK(s.request("initialize", "{}").integer("/error/code") == -32600);
  CHECK(s.request("textDocument/hover", "{}").integer("/error/code") == -32601);
  s.notify("initialized", "{}");
  s.notify("$/cancelRequest", R"({"id":1})");

  std::vector<JsonDoc> bad = s.send("{\"id\":5,");  // not JSON
  REQUIRE(bad.size() == 1);
  CHECK(bad[0].integer("/error/code") == -32700);
  CHECK(bad[0].raw("/id") == "null");
  bad = s.send(R"({"id":6})");  // no method
  REQUIRE(bad.size() == 1);
  CHECK(bad[0].integer("/error/code") == -32600);
  CHECK(bad[0].integer("/id") == 6);
  bad = s.send(R"({"id":{"x":1},"method":"shutdown"})");  // an id that is neither number nor string
  REQUIRE(bad.size() == 1);
  CHECK(bad[0].raw("/id") == "null");
  CHECK(s.send(R"([1,2])").size() == 1);

  CHECK(s.request("shutdown", "null").raw("/result") == "null");
  CHECK(s.request("textDocument/codeAction", "{}").integer("/error/code") == -32600);
  s.notify("exit", "null");
  CHECK(s.server.exit_code() == 0);

  Session t;
  t.request("initialize", initialize_params("/nonexistent"));
  t.notify("exit", "null");
  CHECK(t.server.exit_code() == 1);
}

TEST_CASE("lsp diagnostics: the secret's range in UTF-16 units, severity, rule and a redacted message") {
  TestRepo repo;
  const std::string key = fake_together_key(11);
  Session s;
  s.request("initialize", initialize_params(repo.dir()));
  const std::string uri = "file://" + repo.dir() + "/src/app.py";
  // An emoji (2 UTF-16 units, 4 bytes) and an é (1 unit, 2 bytes) before the key.
  s.open(uri, "python", "print(1)\nk = \"\xf0\x9f\x98\x80\xc3\xa9\" + \"" + key + "\"\n");
  CHECK(s.sent.size() == 1);  // debounced: nothing but initialize's answer until the changes pause
  const std::vector<JsonDoc> published = s.settle();
  REQUIRE(published.size() == 1);
  const JsonDoc& p = published[0];
  CHECK(p.string("/method") == "textDocument/publishDiagnostics");
  CHECK(p.string("/params/uri") == uri);
  REQUIRE(p.array_size("/params/diagnostics") == 1);
  CHECK(p.integer("/params/diagnostics/0/range/start/line") == 1);
  CHECK(p.integer("/params/diagnostics/0/range/start/character") == 13);  // k = "😀é" + "
  CHECK(p.integer("/params/diagnostics/0/range/end/character") == 13 + static_cast<long>(key.size()));
  CHECK(p.integer("/params/diagnostics/0/severity") == 1);
  CHECK(p.string("/params/diagnostics/0/code") == "together-api-key");
  CHECK(p.string("/params/diagnostics/0/source") == "keygate");
  const std::string message = *p.string("/params/diagnostics/0/message");
  CHECK(message.find("together-api-key") != std::string::npos);
  CHECK(message.find("high confidence") != std::string::npos);
  CHECK(message.find(key.substr(key.size() - 4)) != std::string::npos);         // its redacted form
  for (const std::string& m : s.sent) CHECK(m.find(key) == std::string::npos);  // never the whole key
  CHECK(p.string("/params/diagnostics/0/data/fingerprint")->rfind("together-api-key:src/app.py:", 0) == 0);
}

TEST_CASE("lsp diagnostics: positions in bytes when the client offers utf-8") {
  TestRepo repo;
  Session s;
  const JsonDoc init = s.request(
      "initialize", initialize_params(repo.dir(), R"({"general":{"positionEncodings":["utf-8","utf-16"]}})"));
  CHECK(init.string("/result/capabilities/positionEncoding") == "utf-8");
  const std::string uri = "file://" + repo.dir() + "/a.txt";
  s.open(uri, "plaintext", "\xf0\x9f\x98\x80 x\n");
  s.settle();
  // An incremental change in byte columns: after the emoji (4 bytes) and " ".
  s.notify(
      "textDocument/didChange",
      R"({"textDocument":{"uri":)" + json_string(uri) +
          R"(,"version":2},"contentChanges":[{"range":{"start":{"line":0,"character":5},"end":{"line":0,"character":6}},"text":)" +
          json_string(fake_together_key(3)) + "}]}");
  const std::vector<JsonDoc> published = s.settle();
  REQUIRE(published.size() == 1);
  CHECK(published[0].integer("/params/version") == 2);
  CHECK(published[0].integer("/params/diagnostics/0/range/start/character") == 5);
}

TEST_CASE("lsp diagnostics: only the changed document is judged again, once per pause") {
  TestRepo repo;
  Session s;
  s.request("initialize", initialize_params(repo.dir()));
  const std::string a = "file://" + repo.dir() + "/a.py", b = "file://" + repo.dir() + "/b.py";
  s.open(a, "python", "x = 1\n");
  s.open(b, "python", "y = 2\n");
  CHECK(s.settle().size() == 2);
  for (int i = 0; i < 5; ++i) {  // five keystrokes in a burst
    s.notify(
        "textDocument/didChange",
        R"({"textDocument":{"uri":)" + json_string(a) + R"(,"version":)" + std::to_string(i + 2) +
            R"(},"contentChanges":[{"range":{"start":{"line":1,"character":0},"end":{"line":1,"character":0}},"text":"z"}]})");
  }
  const std::vector<JsonDoc> published = s.settle();
  REQUIRE(published.size() == 1);
  CHECK(published[0].string("/params/uri") == a);
  CHECK(published[0].integer("/params/version") == 6);
  CHECK(s.settle().empty());
  // Closing a document clears its diagnostics.
  const std::vector<JsonDoc> cleared =
      s.send(R"({"jsonrpc":"2.0","method":"textDocument/didClose","params":{"textDocument":{"uri":)" +
             json_string(b) + "}}}");
  REQUIRE(cleared.size() == 1);
  CHECK(cleared[0].string("/params/uri") == b);
  CHECK(cleared[0].raw("/params/diagnostics") == "[]");
}

TEST_CASE("lsp diagnostics: the repository's .keygateignore, config and inline allows apply as in the hook") {
  TestRepo repo;
  const std::string key = fake_together_key(21), other = fake_together_key(22);
  Session s;
  s.request("initialize", initialize_params(repo.dir()));
  const std::string uri = "file://" + repo.dir() + "/conf.py";
  s.open(uri, "python", "a = \"" + key + "\"\nb = \"" + other + "\"  # keygate:allow\n");
  std::vector<JsonDoc> published = s.settle();
  REQUIRE(published.size() == 1);
  REQUIRE(published[0].array_size("/params/diagnostics") == 1);  // the allowed line is not reported
  const std::string fingerprint = *published[0].string("/params/diagnostics/0/data/fingerprint");

  // The code actions on the finding, and the command that accepts it into .keygateignore.
  const JsonDoc actions = s.request(
      "textDocument/codeAction",
      R"({"textDocument":{"uri":)" + json_string(uri) +
          R"(},"range":{"start":{"line":0,"character":6},"end":{"line":0,"character":6}},"context":{"diagnostics":[]}})");
  REQUIRE(actions.array_size("/result") == 3);
  CHECK(actions.string("/result/0/edit/changes/" + keygate::json_pointer_token(uri) + "/0/newText") ==
        "os.environ[\"A\"]");
  CHECK(actions.string("/result/1/edit/changes/" + keygate::json_pointer_token(uri) + "/0/newText") ==
        "  # keygate:allow");
  CHECK(actions.string("/result/2/command/command") == "keygate.ignore");
  const JsonDoc done =
      s.request("workspace/executeCommand", R"({"command":"keygate.ignore","arguments":[)" +
                                                json_string(uri) + "," + json_string(fingerprint) + "]}");
  CHECK(done.raw("/result") == "null");
  CHECK(keygate::test::read_file(repo.dir() + "/.keygateignore").find(fingerprint) != std::string::npos);
  published = s.settle();  // every document of the project is judged again
  REQUIRE(published.size() == 1);
  CHECK(published[0].array_size("/params/diagnostics") == 0);
  CHECK(s.request("workspace/executeCommand", R"({"command":"keygate.ignore","arguments":[]})")
            .integer("/error/code") == -32602);

  // A config the project cannot use: the document says it was not scanned, never that it is clean.
  repo.write(".keygate.toml", "[[rules]]\nid = \"x\"\nregex = '''(unclosed'''\n");
  s.notify("textDocument/didSave",
           R"({"textDocument":{"uri":)" + json_string("file://" + repo.dir() + "/x.py") + "}}");
  s.notify("textDocument/didChange", R"({"textDocument":{"uri":)" + json_string(uri) +
                                         R"(,"version":3},"contentChanges":[{"text":"c = 1\n"}]})");
  published = s.settle();
  REQUIRE(published.size() == 1);
  REQUIRE(published[0].array_size("/params/diagnostics") == 1);
  CHECK(published[0].string("/params/diagnostics/0/message")->find("not scanned") != std::string::npos);
}

TEST_CASE("lsp uris: file URIs are decoded, others are not files") {
  CHECK(path_of_uri("file:///a%20b/c%C3%A9.py") == "/a b/c\xc3\xa9.py");
  CHECK(path_of_uri("file://localhost/x") == "/x");
  CHECK_FALSE(path_of_uri("file://server/share/x"));
  CHECK_FALSE(path_of_uri("untitled:Untitled-1"));
  CHECK_FALSE(path_of_uri("file:///a%00b"));
}
