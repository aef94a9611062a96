#!/usr/bin/env python3
"""Latency of `keygate lsp` (issue #29): how long after a change to a 5,000-line file its diagnostics
arrive, against `keygate scan -` of the same text in the same run (the baseline: what a save hook or an
editor plugin that runs the command line would pay).

usage: bench/lsp.py [--keygate BIN] [--lines 5000] [--changes 200] [--debounce MS]

A Python file of --lines lines of ordinary code (no secret) is opened in a fresh git repository. Each of
--changes edits is one incremental didChange, 5 ms after the last answer: every other edit types a fake
key into a line in the middle, the next one removes it, so the diagnostics alternate between one and none
and each is checked. The latency is from writing the change to reading its publishDiagnostics (both stamped
by the client). The table gives the median, 90th percentile and maximum in ms, for the server as shipped
(no timer: it judges once the input holds no more messages) and with a debounce timer of --debounce ms,
and the same figures for 20 runs of `keygate scan -` on the same text."""
import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "tests", "e2e", "lsp"))
from client import Client, fake_key  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--keygate", default=os.path.join(here, "..", "build", "keygate"))
ap.add_argument("--lines", type=int, default=5000)
ap.add_argument("--changes", type=int, default=200)
ap.add_argument("--debounce", type=int, default=4, help="ms, for the second row (the first is the default)")
a = ap.parse_args()

rng = random.Random(29)
WORDS = ["user", "count", "total", "name", "value", "items", "result", "config", "path", "index", "data",
         "request", "response", "limit", "offset", "cache", "buffer", "session", "token_count", "retries"]


def code_line(i):
    w1, w2, w3 = rng.choice(WORDS), rng.choice(WORDS), rng.choice(WORDS)
    shape = i % 6
    if shape == 0:
        return "def %s_%d(%s, %s=None):" % (w1, i, w2, w3)
    if shape == 1:
        return "    %s = %s.get(\"%s\", %d)" % (w1, w2, w3, rng.randrange(1000))
    if shape == 2:
        return "    if %s > %d and not %s:" % (w1, rng.randrange(100), w2)
    if shape == 3:
        return "        %s.append(%s[%d] * %s)  # %s of the %s" % (w1, w2, rng.randrange(10), w3, w1, w2)
    if shape == 4:
        return "    log.info(\"%s %%s %s\", %s)" % (w1, w2, w3)
    return "    return %s" % w1


def percentile(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


text = "".join(code_line(i) + "\n" for i in range(a.lines))
repo = tempfile.mkdtemp(prefix="keygate-bench-lsp-")
subprocess.run(["git", "init", "-q", repo], check=True)
path = os.path.join(repo, "service.py")
uri = "file://" + path
middle = a.lines // 2

# The baseline: the command line on the same text, a fresh process each time.
scan = []
for _ in range(20):
    start = time.perf_counter()
    r = subprocess.run([a.keygate, "scan", "-"], input=text.encode(), cwd=repo, capture_output=True)
    scan.append((time.perf_counter() - start) * 1000)
    if r.returncode != 0:
        sys.exit("keygate scan - found something in the clean text, or failed: %s" % r.stdout.decode())


def session(debounce):
    c = Client(a.keygate, cwd=repo)
    c.initialize(repo, options=None if debounce is None else {"debounceMs": debounce})
    c.notify("textDocument/didOpen",
             {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}})
    _, first = c.diagnostics(uri)
    if first:
        sys.exit("findings in the clean text: %s" % first)
    latencies = []
    for n in range(a.changes):
        version = n + 2
        key_line = 'API_KEY = "%s"\n' % fake_key(n)
        if n % 2 == 0:  # type a line with a key
            change = {"range": {"start": {"line": middle, "character": 0}, "end": {"line": middle, "character": 0}},
                      "text": key_line}
        else:  # delete it again
            change = {"range": {"start": {"line": middle, "character": 0},
                                "end": {"line": middle + 1, "character": 0}}, "text": ""}
        time.sleep(0.005)  # keystrokes are not back to back
        sent = time.perf_counter()
        c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                            "contentChanges": [change]})
        arrived, diags = c.diagnostics(uri, version=version)
        latencies.append((arrived - sent) * 1000)
        expected = 1 if n % 2 == 0 else 0
        if len(diags) != expected or (diags and diags[0]["range"]["start"]["line"] != middle):
            sys.exit("change %d: expected %d diagnostic(s) on line %d, got %s" % (n, expected, middle, diags))
    if c.close() != 0:
        sys.exit("the server did not exit 0")
    return latencies


rows = [("keygate lsp as shipped (changes waiting on the input coalesced, no timer)", session(None)),
        ("keygate lsp with a %d ms debounce (initializationOptions.debounceMs)" % a.debounce, session(a.debounce))]
print("%d-line Python file (%d KB), %d changes each; keygate %s" %
      (a.lines, len(text) // 1024, a.changes,
       subprocess.run([a.keygate, "version"], capture_output=True, text=True).stdout.strip()))
print()
print("| change -> diagnostics | median ms | p90 ms | max ms |")
print("|---|---:|---:|---:|")
for name, values in rows:
    print("| %s | %.1f | %.1f | %.1f |" % (name, statistics.median(values), percentile(values, 90), max(values)))
print("| baseline: `keygate scan -` of the same text (a process each) | %.1f | %.1f | %.1f |" %
      (statistics.median(scan), percentile(scan, 90), max(scan)))
subprocess.run(["rm", "-rf", repo])
