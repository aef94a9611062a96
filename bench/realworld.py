#!/usr/bin/env python3
"""Recall and false positives of keygate on the real-world corpus (bench/realworld/generate.py), per category.

usage: bench/realworld.py [--keygate BIN] [--seed N] [--min-confidence LEVEL] [--dir DIR]
A secret counts as found when a finding on its file holds it (or it holds the finding's secret, for
rules that report part of a value). Any finding that holds no expected secret is a false positive."""
import argparse, json, os, subprocess, sys, tempfile
from collections import defaultdict

here = os.path.dirname(os.path.abspath(__file__))
ap = argparse.ArgumentParser()
ap.add_argument("--keygate", default=os.path.join(here, "..", "build", "keygate"))
ap.add_argument("--seed", type=int, default=10)
ap.add_argument("--min-confidence", default=None)
ap.add_argument("--dir", default=None, help="generate here (default: a temporary directory)")
ap.add_argument("--verbose", action="store_true", help="list the misses and the false positives")
a = ap.parse_args()

out = a.dir or tempfile.mkdtemp(prefix="keygate-realworld-")
subprocess.run([sys.executable, os.path.join(here, "realworld", "generate.py"), out, "--seed", str(a.seed)],
               check=True, capture_output=True)
manifest = json.load(open(os.path.join(out, "manifest.json")))
cmd = [os.path.abspath(a.keygate), "scan", "--format", "json", "--show-secrets", "."]
if a.min_confidence:
    cmd[2:2] = ["--min-confidence", a.min_confidence]
run = subprocess.run(cmd, cwd=out, capture_output=True, text=True)
if run.returncode not in (0, 1):
    sys.exit(f"keygate failed ({run.returncode}): {run.stderr}")
findings = defaultdict(list)
for f in json.loads(run.stdout or "[]"):
    findings[os.path.normpath(f["file"])].append(f)

stats = defaultdict(lambda: {"secrets": 0, "found": 0, "fp": 0})
misses, fps = [], []
for entry in manifest:
    s = stats[entry["category"]]
    got = findings.pop(os.path.normpath(entry["file"]), [])
    matched = set()
    for secret in entry["secrets"]:
        s["secrets"] += 1
        hits = [i for i, f in enumerate(got) if f["secret"] and (f["secret"] in secret or secret in f["secret"])]
        if hits:
            s["found"] += 1
            matched.update(hits)
        else:
            misses.append((entry["file"], secret))
    for i, f in enumerate(got):
        if i not in matched:
            s["fp"] += 1
            fps.append((entry["file"], f["rule"], f["secret"]))

print(f"{'category':<12} {'secrets':>7} {'found':>6} {'recall':>7} {'false pos.':>10}")
total = {"secrets": 0, "found": 0, "fp": 0}
for cat, s in stats.items():
    for k in total:
        total[k] += s[k]
    recall = f"{100 * s['found'] / s['secrets']:.0f}%" if s["secrets"] else "-"
    print(f"{cat:<12} {s['secrets']:>7} {s['found']:>6} {recall:>7} {s['fp']:>10}")
print(f"{'total':<12} {total['secrets']:>7} {total['found']:>6} {100 * total['found'] / total['secrets']:>6.0f}% {total['fp']:>10}")
if a.verbose:
    for file, secret in misses:
        print(f"miss  {file}")
    for file, rule, secret in fps:
        print(f"fp    {file}  {rule}  {secret[:4]}…")
