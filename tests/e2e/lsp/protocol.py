# Driven by tests/e2e/lsp_protocol_over_pipes.sh: `keygate lsp` over real pipes. The repository's
# .keygate.toml, .keygateignore and a baseline apply as in the hook, and fingerprints are those `keygate
# scan` reports; utf-8 positions are negotiated; malformed JSON is answered and the session goes on; bad
# framing, a truncated message and the end of input end the process cleanly with the protocol's exit codes;
# no message ever holds a whole key.
import base64
import json
import os
import random
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from client import Client, fake_key, frame  # noqa: E402

keygate, repo = sys.argv[1], sys.argv[2]
keys = [fake_key(200 + i) for i in range(4)]
outputs = []  # what each server wrote on stderr
clients = []


def check(ok, what):
    if not ok:
        sys.exit("FAIL: " + what)


def uri(name):
    return "file://" + repo + "/" + name


def open_doc(c, name, text, language="python", version=1):
    c.notify("textDocument/didOpen", {"textDocument": {"uri": uri(name), "languageId": language,
                                                       "version": version, "text": text}})


def finish(c, expected_code):
    clients.append(c)
    if not c.proc.stdin.closed:
        c.proc.stdin.close()
    c.proc.wait(timeout=10)
    err = c.proc.stderr.read()
    outputs.append(err.decode(errors="replace"))
    check(c.proc.returncode == expected_code, "exit code %s, expected %s (stderr: %s)" %
          (c.proc.returncode, expected_code, err.decode(errors="replace")))


# The hook's view of the same files: their fingerprints, from `keygate scan` at the repository's top; the
# report on src/old.py is the baseline.
for name in ["old.py", "new.py"]:
    with open(os.path.join(repo, "src", name), "w") as f:
        f.write('OLD = "%s"\n' % keys[0])
report = subprocess.run([keygate, "scan", "--format", "json", "src/old.py"], cwd=repo, capture_output=True)
with open(os.path.join(repo, "baseline.json"), "wb") as f:
    f.write(report.stdout)
report = subprocess.run([keygate, "scan", "--format", "json", "src/new.py"], cwd=repo, capture_output=True)
scan_fingerprint = json.loads(report.stdout)[0]["fingerprint"]

# 1. A session in utf-8 positions, with the baseline; every judgement as the hook's.
c = Client(keygate, cwd="/", args=["--baseline", "baseline.json"])
init = c.initialize(repo, capabilities={"general": {"positionEncodings": ["utf-8", "utf-16"]}})
check(init["result"]["capabilities"]["positionEncoding"] == "utf-8", "utf-8 negotiated")
open_doc(c, "src/app.py", 'x = "\u00e9"; KEY = "%s"\n' % keys[1])
_, diags = c.diagnostics(uri("src/app.py"))
check(len(diags) == 1, "one diagnostic: %s" % diags)
check(diags[0]["range"]["start"] == {"line": 0, "character": 17}, "a byte column: %s" % diags[0]["range"])
check(diags[0]["code"] == "together-api-key" and diags[0]["source"] == "keygate", "code and source")
# The same text under the baseline's path: the baseline accepts it.
open_doc(c, "src/old.py", 'OLD = "%s"\n' % keys[0])
_, diags = c.diagnostics(uri("src/old.py"))
check(diags == [], "the baseline's finding is accepted: %s" % diags)
# Without the baseline, the same finding has the fingerprint `keygate scan` gave it.
open_doc(c, "src/new.py", 'OLD = "%s"\n' % keys[0])
_, diags = c.diagnostics(uri("src/new.py"))
check(diags[0]["data"]["fingerprint"] == scan_fingerprint, "the fingerprint `keygate scan` reports")
# A path the config allows is not reported; a .keygateignore written and saved applies to open documents.
open_doc(c, "fixtures/sample.py", 'K = "%s"\n' % keys[2])
_, diags = c.diagnostics(uri("fixtures/sample.py"))
check(diags == [], "the config's path allowlist applies: %s" % diags)
open_doc(c, "src/later.py", 'K = "%s"\n' % keys[3])
_, diags = c.diagnostics(uri("src/later.py"))
check(len(diags) == 1, "a finding before it is ignored")
with open(os.path.join(repo, ".keygateignore"), "a") as f:
    f.write(diags[0]["data"]["fingerprint"] + "\n")
c.notify("textDocument/didOpen", {"textDocument": {"uri": uri(".keygateignore"), "languageId": "ignore",
                                                   "version": 1, "text": ""}})
c.notify("textDocument/didSave", {"textDocument": {"uri": uri(".keygateignore")}})
_, diags = c.diagnostics(uri("src/later.py"))
check(diags == [], "saving .keygateignore judges the project's documents again: %s" % diags)
# A finding over several lines (a private key block, random bytes): no keygate:allow comment inside it,
# the .keygateignore action only.
rng = random.Random(29)
body = base64.b64encode(rng.randbytes(600)).decode()
marker = "RSA " + "PRIVATE KEY-----"
pem = "-----BEGIN " + marker + "\n" + "\n".join(body[i:i + 64] for i in range(0, len(body), 64)) + \
    "\n-----END " + marker + "\n"
open_doc(c, "deploy/server.pem", pem, language="plaintext")
_, diags = c.diagnostics(uri("deploy/server.pem"))
check(len(diags) == 1 and diags[0]["range"]["end"]["line"] > diags[0]["range"]["start"]["line"],
      "the block's diagnostic spans its lines: %s" % diags)
actions = c.request("textDocument/codeAction", {"textDocument": {"uri": uri("deploy/server.pem")},
                                                "range": diags[0]["range"], "context": {"diagnostics": diags}})
check([a["title"] for a in actions["result"]] == [
    "keygate: accept this finding (add its fingerprint to .keygateignore)"], "actions: %s" % actions)
# Malformed JSON is answered with a parse error, and the session goes on.
c.send_raw(b"Content-Length: 9\r\n\r\n{\"id\":1,]")
_, m = c.wait(lambda m: "error" in m)
check(m["error"]["code"] == -32700 and m["id"] is None, "a parse error: %s" % m)
c.send_raw(frame({"jsonrpc": "2.0", "id": "s", "method": "no/such", "params": {}}))
_, m = c.wait(lambda m: m.get("id") == "s")
check(m["error"]["code"] == -32601, "method not found")
# An untitled buffer is judged too.
c.notify("textDocument/didOpen", {"textDocument": {"uri": "untitled:Untitled-1", "languageId": "plaintext",
                                                   "version": 1, "text": keys[1]}})
_, diags = c.diagnostics("untitled:Untitled-1")
check(len(diags) == 1, "an untitled buffer's key: %s" % diags)
c.request("shutdown", None)
c.notify("exit", None)
finish(c, 0)

# 2. The end of input without shutdown: exit 1. A truncated message: exit 1, no crash.
for data in [b"", frame({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {}})[:30],
             b"Content-Length: 5\r\n\r\n{}"]:
    c = Client(keygate, cwd=repo)
    c.proc.stdin.write(data)
    c.proc.stdin.close()
    finish(c, 1)

# 3. Bad framing: a JSON-RPC error, then a clean exit 1.
for data in [b"Content-Length: nine\r\n\r\n{}", b"Content-Length: 999999999999\r\n\r\n",
             b"\x00\xff garbage\r\n\r\n", b"{\"jsonrpc\":\"2.0\"}\r\n\r\n"]:
    c = Client(keygate, cwd=repo)
    c.send_raw(data)
    _, m = c.wait(lambda m: "error" in m)
    check(m["error"]["code"] == -32700, "a framing error is a parse error")
    c.proc.stdin.close()
    finish(c, 1)

# Never a whole key, in anything the server wrote.
for c in clients:
    for body in c.bodies:
        for k in keys:
            check(k.encode() not in body, "a message holds a whole key")
for text in outputs:
    for k in keys:
        check(k not in text, "stderr holds a whole key")
print("ok")
