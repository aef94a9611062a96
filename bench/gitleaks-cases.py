#!/usr/bin/env python3
"""Scores keygate on gitleaks' own per-rule samples (../shared/corpus/gitleaks-cases.jsonl), with a config.

usage: bench/gitleaks-cases.py [--keygate BIN] [--config FILE] [--cases FILE] [--show N]

Every sample is written to its own directory (at its `path` when it has one) and all are scanned by one
`keygate scan --format json` run. A "match" sample scores when its rule reports it; a "no-match" sample
scores when its rule stays silent (another rule may fire: see the corpus README). Prints the score next to
gitleaks v8.30.0's on the same file and the rules that lose points (rule ids and sample numbers only: the
samples are secret-shaped)."""
import argparse, collections, json, os, subprocess, sys, tempfile

here = os.path.dirname(os.path.abspath(__file__))
ap = argparse.ArgumentParser()
ap.add_argument("--keygate", default=os.path.join(here, "..", "build", "keygate"))
ap.add_argument("--config", default=os.path.join(here, "..", "..", "shared", "corpus", "gitleaks.toml"))
ap.add_argument("--cases", default=os.path.join(here, "..", "..", "shared", "corpus", "gitleaks-cases.jsonl"))
ap.add_argument("--show", type=int, default=30, help="list at most N failing samples")
a = ap.parse_args()

cases = [json.loads(line) for line in open(a.cases, encoding="utf-8")]
with tempfile.TemporaryDirectory(prefix="keygate-cases-") as tmp:
    where = {}
    for i, c in enumerate(cases):
        rel = c.get("path") or "sample.txt"
        path = os.path.join(tmp, str(i), rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(c["text"] if c["text"] else "\n")
        where[os.path.join(str(i), rel)] = i
    run = subprocess.run([a.keygate, "scan", "--config", a.config, "--format", "json", "--jobs", "2", "."],
                         cwd=tmp, capture_output=True, text=True)
    if run.returncode not in (0, 1):
        sys.exit(f"keygate failed ({run.returncode}): {run.stderr.strip()}")
    findings = json.loads(run.stdout)

fired = collections.defaultdict(set)
for f in findings:
    fired[where[f["file"]]].add(f["rule"])

score = {"match": [0, 0], "no-match": [0, 0]}
lost = collections.Counter()
failures = []
for i, c in enumerate(cases):
    ok = (c["rule"] in fired[i]) if c["expect"] == "match" else (c["rule"] not in fired[i])
    score[c["expect"]][1] += 1
    if ok:
        score[c["expect"]][0] += 1
    else:
        lost[(c["rule"], c["expect"])] += 1
        failures.append((i, c["rule"], c["expect"], sorted(fired[i])))

m, n = score["match"], score["no-match"]
print(f"match samples:    {m[0]}/{m[1]} reported by their rule ({100 * m[0] / m[1]:.1f}%)   gitleaks v8.30.0: 5968/5992")
print(f"no-match samples: {n[0]}/{n[1]} left alone by their rule ({100 * n[0] / n[1]:.1f}%)   gitleaks v8.30.0: 344/374")
if lost:
    print("\nrules losing points:")
    for (rule, expect), k in lost.most_common():
        print(f"  {k:4d}  {rule} ({expect})")
for i, rule, expect, got in failures[: a.show]:
    print(f"  sample {i}: {rule} expected {expect}; fired: {', '.join(got) or 'nothing'}")
