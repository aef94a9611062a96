#!/usr/bin/env python3
"""Score a keygate binary on the CredData development benchmark (built by bench/creddata/build.py).

usage: bench/creddata/score.py [KEYGATE] [--dir DIR] [--match line|start] [--tag NAME] [--json FILE]
                               [--findings FILE] [-- EXTRA KEYGATE ARGS, e.g. --min-confidence low]

Runs `KEYGATE scan --format json EXTRA data` in DIR/bench (DIR: $KEYGATE_CREDDATA_DIR, else
/work/creddata-cache), once for the whole tree, and prints precision, recall and F1 for the dev part, the
validation part and the total, overall and per CredData Category, with TP/FP/FN. Writes
DIR/results/<tag>.json: every missed T label, every true and false positive, every finding on an unlabelled line
(path, line, category, truth, rule, confidence; never a value) for developers to study.

How CredData's own benchmark scores (benchmark/scanner/scanner.py of Samsung/CredData:
check_line_from_meta and analyze_result), and what is reproduced here:
  1. Every label is a row (file, LineStart, LineEnd, ValueStart, ValueEnd, GroundTruth, Category).
     Positives are the T rows; F and X rows are negatives ("all not TRUE marked up cases are FALSE").
  2. A reported finding is looked up by the exact key (file, line_start, line_end). No label under that
     key: the finding is "lost" (NOT_IN_DB). Lost findings are printed for review but are counted neither
     as TP nor as FP: they do not lower precision. (CredData labelled every line any tool reported when it
     was made; a lost finding is a line nobody labelled.) We count and list them separately.
  3. The rows under the key are tried in meta order (label Id). A row with no value positions matches any
     finding; a row with positions matches a finding whose value_start equals ValueStart (and value_end
     equals ValueEnd) when the scanner gives them; a scanner that gives none (value_start = -1, as for
     gitleaks, shhgit, trufflehog) matches the first row. The first matching row is the one judged.
  4. A row is judged once: a second finding that lands on an already judged row is CHECKED and counted
     nowhere, so several findings on one line (or one item) count once. T -> one TP, F/X -> one FP.
  5. FN = T rows - TP. Precision = TP/(TP+FP), recall = TP/(TP+FN), F1 their harmonic mean.
  6. Per Category: "A:B" means the value matches rules A and B; the row counts in each of its categories.
     Findings in files named LICENSE / COPYING are skipped (build.py copies none).
Deliberate differences, because keygate is not CredSweeper:
  a. Category matching. The current CredData code credits a finding only when the scanner's rule name is
     one of the row's categories (CredSweeper's rule names *are* the categories); for any other tool every
     finding falls through to "lost". CredData's published table for gitleaks & co. was made without it
     (category-agnostic, as its earlier code did). keygate's rules are not CredData's categories, so
     scoring is category-agnostic: any rule on a labelled item counts.
  b. The overall totals count rows, not (row, category) pairs (the current code adds a row once per
     category to its overall positives but a TP once, which inflates FN for multi-category rows).
  c. Value positions. keygate's JSON gives the secret's 1-based byte column but no end. --match line
     (default) passes no positions, exactly as CredData scores a line-level tool. --match start passes the
     column, converted to CredData's 0-based character index, as value_start (value_end unknown): a finding
     then matches only a label whose value starts exactly there, else it is lost.
  d. Multi-line labels (PEM keys, "AWS Multi"...): a finding matches by (line, end_line) as above; when that
     key has no label and the finding is on one line, a multi-line label starting on that line is used
     (keygate may report a key at its first line only).
"""
import argparse, json, os, signal, subprocess, sys, time

sys.dont_write_bytecode = True  # score.py imports build.py
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))


def cache_dir():
    return os.environ.get("KEYGATE_CREDDATA_DIR") or "/work/creddata-cache"


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def main():
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `| head` is fine
    argv = sys.argv[1:]
    extra = []
    if "--" in argv:
        i = argv.index("--")
        argv, extra = argv[:i], argv[i + 1:]
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("keygate", nargs="?", default="keygate", help="keygate binary (default: keygate on PATH)")
    ap.add_argument("--dir", default=None, help="cache dir (default $KEYGATE_CREDDATA_DIR or /work/creddata-cache)")
    ap.add_argument("--match", choices=("line", "start"), default="line")
    ap.add_argument("--tag", default=None, help="name of the results file (default from the extra args)")
    ap.add_argument("--findings", default=None, help="score this keygate JSON report instead of running keygate")
    ap.add_argument("--categories", type=int, default=0, help="per-category rows to print (0: all with T labels)")
    ap.add_argument("--split", choices=("dev", "val", "all"), default=None,
                    help="print per-category tables for this part only (default: dev, val and total)")
    a, unknown = ap.parse_known_args(argv)
    extra = unknown + extra
    root = os.path.abspath(a.dir or cache_dir())
    bench = os.path.join(root, "bench")
    if not os.path.isfile(os.path.join(bench, "labels.jsonl")):
        sys.exit(f"score.py: no benchmark in {bench}; run bench/creddata/build.py first")

    # labels, in meta order
    meta = defaultdict(list)          # (path, ls, le) -> rows
    multi_start = defaultdict(list)   # (path, ls) -> multi-line rows
    rows = []
    for line in open(os.path.join(bench, "labels.jsonl"), encoding="utf-8"):
        r = json.loads(line)
        r["cats"] = r["category"].split(":")
        rows.append(r)
    rows.sort(key=lambda r: (r["path"], int(r["label_id"]) if str(r["label_id"]).isdigit() else 0))
    for r in rows:
        meta[(r["path"], r["line_start"], r["line_end"])].append(r)
        if r["line_end"] > r["line_start"]:
            multi_start[(r["path"], r["line_start"])].append(r)
    # the held-out repositories must not be in the benchmark (build.py drops them; check again)
    sys.path.insert(0, HERE)
    import build
    heldout = build.read_heldout(build.find_heldout(None))
    leaked = sorted({r["repo"] for r in rows if r["repo"].lower() in heldout})
    if leaked:
        sys.exit(f"score.py: held-out repositories in the benchmark, rebuild it: {', '.join(leaked)}")
    repo_of_id = {}
    for r in rows:
        repo_of_id[r["path"].split("/", 1)[0]] = (r["repo"], r["split"])

    # run keygate
    t0 = time.time()
    if a.findings:
        report = json.load(open(a.findings))
        cmd = None
    else:
        kg = a.keygate
        if os.sep in kg:
            kg = os.path.abspath(kg)
        cmd = [kg, "scan", "--format", "json", *extra, "data"]
        run = subprocess.run(cmd, cwd=bench, capture_output=True)
        if run.returncode not in (0, 1):
            sys.exit(f"score.py: {' '.join(cmd)} failed ({run.returncode}): {run.stderr.decode(errors='replace')[-2000:]}")
        report = json.loads(run.stdout or b"[]")
    elapsed = time.time() - t0

    lines_cache = {}

    def char_index(path, line_no, col):
        """keygate's 1-based byte column -> CredData's 0-based character index on that line."""
        if path not in lines_cache:
            with open(os.path.join(bench, "data", path), "rb") as f:
                lines_cache[path] = f.read().split(b"\n")
        ls = lines_cache[path]
        if not (1 <= line_no <= len(ls)) or col is None or col < 1:
            return -1
        return len(ls[line_no - 1][:col - 1].decode("utf-8", "replace"))

    judged = {}        # id(row) -> (finding info)
    hits_on_line = defaultdict(list)  # (path, line) -> [(rule, confidence)]
    lost = []
    seen = set()
    counts = Counter()
    for f in report:
        path = os.path.normpath(f.get("file") or "")
        if not path.startswith("data" + os.sep):
            counts["findings_outside_data"] += 1
            continue
        path = path[len("data/"):]
        base = os.path.basename(path).upper()
        if base.startswith("LICENSE") or base.startswith("COPYING"):
            continue
        line = int(f.get("line") or 0)
        end = int(f.get("end_line") or line)
        rule, conf = f.get("rule", ""), f.get("confidence", "")
        hits_on_line[(path, line)].append((rule, conf))
        key = (path, line, end, f.get("column"), rule)
        if key in seen:
            continue
        seen.add(key)
        counts["findings"] += 1
        vs = char_index(path, line, f.get("column")) if a.match == "start" else -1
        cands = meta.get((path, line, end))
        if not cands and end == line:
            cands = multi_start.get((path, line))
        info = {"path": path, "line": line, "end_line": end, "rule": rule, "confidence": conf,
                "decoded": f.get("decoded")}
        if not cands:
            counts["lost"] += 1
            lost.append(info)
            continue
        for row in cands:
            if row["value_start"] < 0 and row["value_end"] < 0:
                pass
            elif vs >= 0 and row["value_start"] != vs:
                continue
            if id(row) in judged:
                counts["checked"] += 1
                break
            judged[id(row)] = info
            break
        else:
            counts["lost"] += 1
            lost.append(info)

    parts = {"dev": lambda r: r["split"] == "dev", "val": lambda r: r["split"] == "val", "all": lambda r: True}
    results = {}
    for part, sel in parts.items():
        tot = Counter()
        cat = defaultdict(Counter)
        for r in rows:
            if not sel(r):
                continue
            hit = id(r) in judged
            if r["truth"] == "T":
                tot["T"] += 1
                tot["TP" if hit else "FN"] += 1
                for c in r["cats"]:
                    cat[c]["T"] += 1
                    cat[c]["TP" if hit else "FN"] += 1
            else:
                tot["N"] += 1
                if hit:
                    tot["FP"] += 1
                for c in r["cats"]:
                    cat[c]["N"] += 1
                    if hit:
                        cat[c]["FP"] += 1
        tot["lost"] = sum(1 for x in lost if sel({"split": repo_of_id.get(x["path"].split("/", 1)[0], ("", "?"))[1]}))
        results[part] = (tot, cat)

    label = " ".join(extra) or "defaults"
    print(f"keygate: {' '.join(cmd) if cmd else a.findings}   ({elapsed:.1f} s, {counts['findings']} findings, "
          f"match={a.match}, args: {label})")
    print(f"{'part':5} {'T':>5} {'neg':>6} {'TP':>5} {'FP':>5} {'FN':>5} {'lost':>5} {'precision':>9} {'recall':>7} {'F1':>6}")
    for part in ("dev", "val", "all"):
        tot, _ = results[part]
        p, r, f1 = prf(tot["TP"], tot["FP"], tot["FN"])
        print(f"{part:5} {tot['T']:5d} {tot['N']:6d} {tot['TP']:5d} {tot['FP']:5d} {tot['FN']:5d} {tot['lost']:5d} "
              f"{p:9.3f} {r:7.3f} {f1:6.3f}")
    for part in ([a.split] if a.split else ("dev", "val", "all")):
        _, cat = results[part]
        print(f"\nper category ({part}): T labels, TP, FN, negatives, FP")
        print(f"{'category':34} {'T':>5} {'TP':>5} {'FN':>5} {'neg':>6} {'FP':>5} {'prec':>6} {'recall':>6} {'F1':>6}")
        items = sorted(cat.items(), key=lambda kv: (-kv[1]["T"], -kv[1]["FP"], kv[0]))
        shown = 0
        for c, v in items:
            if not v["T"] and not v["FP"]:
                continue
            if a.categories and shown >= a.categories:
                break
            shown += 1
            p, r, f1 = prf(v["TP"], v["FP"], v["FN"])
            print(f"{c[:34]:34} {v['T']:5d} {v['TP']:5d} {v['FN']:5d} {v['N']:6d} {v['FP']:5d} "
                  f"{p:6.3f} {r:6.3f} {f1:6.3f}")

    # details for developers (no values)
    tag = a.tag or ("defaults" if not extra else "_".join(x.lstrip("-") for x in extra).replace("/", "_"))
    outdir = os.path.join(root, "results")
    os.makedirs(outdir, exist_ok=True)
    detail = {"command": cmd, "match": a.match, "counts": dict(counts),
              "summary": {p: dict(results[p][0]) for p in results},
              "misses": [], "false_positives": [], "true_positives": [], "lost": lost}
    for r in rows:
        base = {"repo": r["repo"], "split": r["split"], "path": r["path"], "line": r["line_start"],
                "line_end": r["line_end"], "value_start": r["value_start"], "value_end": r["value_end"],
                "category": r["category"], "truth": r["truth"], "label_id": r["label_id"]}
        if r["truth"] == "T" and id(r) not in judged:
            base["rules_on_line"] = hits_on_line.get((r["path"], r["line_start"]), [])
            detail["misses"].append(base)
        elif id(r) in judged:
            base["rule"] = judged[id(r)]["rule"]
            base["confidence"] = judged[id(r)]["confidence"]
            detail["true_positives" if r["truth"] == "T" else "false_positives"].append(base)
    out = os.path.join(outdir, tag + ".json")
    with open(out, "w") as f:
        json.dump(detail, f, indent=1)
    print(f"\nmisses, false positives and unlabelled findings: {out}")


if __name__ == "__main__":
    main()
