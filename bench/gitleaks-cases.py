#!/usr/bin/env python3
"""Scores keygate on gitleaks' own per-rule samples (../shared/corpus/gitleaks-cases.jsonl), with a config.

usage: bench/gitleaks-cases.py [--keygate BIN] [--config FILE | --keygate-defaults] [--cases FILE] [--show N]

Every sample is written to its own directory (at its `path` when it has one) and all are scanned by one
`keygate scan --format json` run. A sample without a path is named `fragment`: gitleaks checks those from
standard input, with no path, and a name such as `sample.txt` would put them among the documentation files
where keygate lowers generic findings one level (below the default minimum). A "match" sample scores when
its rule reports it; a "no-match" sample scores when its rule stays silent (another rule may fire: see the
corpus README). Prints the score next to gitleaks v8.30.0's on the same file and the rules that lose points
(rule ids and sample numbers only: the samples are secret-shaped).

--keygate-defaults scans with keygate's own default rules instead (no --config) and scores recall: a match
sample counts as "found" when any keygate rule reports it, and as "right provider" when one of the keygate
rules that docs/RULES.md maps to its gitleaks rule reports it. No-match samples are listed when a mapped rule
fires on them (informational: they were written against gitleaks' regexes, not keygate's)."""
import argparse, collections, json, os, subprocess, sys, tempfile

here = os.path.dirname(os.path.abspath(__file__))
# ../shared beside the checkout: /work/shared for /work/main, one level further up for a worktree in /work/wt/.
shared = next((d for d in (os.path.join(here, "..", "..", "shared"), os.path.join(here, "..", "..", "..", "shared"))
               if os.path.isdir(d)), os.path.join(here, "..", "..", "shared"))
ap = argparse.ArgumentParser()
ap.add_argument("--keygate", default=os.path.join(here, "..", "build", "keygate"))
ap.add_argument("--config", default=os.path.join(shared, "corpus", "gitleaks.toml"))
ap.add_argument("--cases", default=os.path.join(shared, "corpus", "gitleaks-cases.jsonl"))
ap.add_argument("--show", type=int, default=30, help="list at most N failing samples")
ap.add_argument("--keygate-defaults", action="store_true", help="score keygate's default rules (see above)")
ap.add_argument("--rules-doc", default=os.path.join(here, "..", "docs", "RULES.md"))
a = ap.parse_args()


def coverage_map(path):
    """gitleaks/betterleaks rule id -> set of keygate rule ids, from the coverage table of docs/RULES.md."""
    out = {}
    for line in open(path, encoding="utf-8"):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and cells[0].startswith("`"):
            out[cells[0].strip("`")] = {c.strip().strip("`") for c in cells[2].split(",") if c.strip().startswith("`")}
    return out

cases = [json.loads(line) for line in open(a.cases, encoding="utf-8")]
with tempfile.TemporaryDirectory(prefix="keygate-cases-") as tmp:
    where = {}
    for i, c in enumerate(cases):
        rel = c.get("path") or "fragment"  # no extension: no path signal (see above)
        path = os.path.join(tmp, str(i), rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(c["text"] if c["text"] else "\n")
        where[os.path.join(str(i), rel)] = i
    config = [] if a.keygate_defaults else ["--config", a.config]
    run = subprocess.run([a.keygate, "scan"] + config + ["--format", "json", "--jobs", "2", "."],
                         cwd=tmp, capture_output=True, text=True)
    if run.returncode not in (0, 1):
        sys.exit(f"keygate failed ({run.returncode}): {run.stderr.strip()}")
    findings = json.loads(run.stdout)

fired = collections.defaultdict(set)
for f in findings:
    fired[where[f["file"]]].add(f["rule"])

if a.keygate_defaults:
    cover = coverage_map(a.rules_doc)
    per = collections.defaultdict(lambda: [0, 0, 0])  # gitleaks rule -> [samples, found, right provider]
    fp = []
    for i, c in enumerate(cases):
        mapped = cover.get(c["rule"], set())
        if c["expect"] == "match":
            per[c["rule"]][0] += 1
            per[c["rule"]][1] += bool(fired[i])
            per[c["rule"]][2] += bool(fired[i] & mapped)
        elif fired[i] & mapped:
            fp.append((i, c["rule"], sorted(fired[i] & mapped)))
    n = sum(v[0] for v in per.values())
    found = sum(v[1] for v in per.values())
    right = sum(v[2] for v in per.values())
    print(f"keygate default rules on gitleaks' {n} match samples ({len(per)} rules):")
    print(f"  found by some rule:        {found}/{n} ({100 * found / n:.1f}%)")
    print(f"  found by the mapped rule:  {right}/{n} ({100 * right / n:.1f}%)")
    print(f"  gitleaks rules with every sample found: {sum(1 for v in per.values() if v[1] == v[0])}/{len(per)}")
    print(f"  no-match samples reported by a mapped keygate rule: {len(fp)}/{sum(1 for c in cases if c['expect'] != 'match')}")
    print("\nrules missing samples (gitleaks rule: missed/samples; keygate rules it maps to):")
    for rule, v in sorted(per.items(), key=lambda kv: kv[1][1] - kv[1][0]):
        if v[1] < v[0]:
            print(f"  {rule}: {v[0] - v[1]}/{v[0]} missed; mapped to {', '.join(sorted(cover.get(rule, []))) or '-'}")
    for i, rule, got in fp[: a.show]:
        print(f"  no-match sample {i} ({rule}) reported by {', '.join(got)}")
    sys.exit(0)

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
