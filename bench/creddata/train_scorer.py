#!/usr/bin/env python3
"""Train the generic detector's scorer on the CredData development split and write its weights.

usage: bench/creddata/train_scorer.py KEYGATE [--dir DIR] [--out src/detect/score_weights.inc]
                                      [--l2 1.0] [--unlabelled-weight 0.3] [--target-precision 0.945]
                                      [--dump FILE] [--no-write]

1. Runs `KEYGATE scan --format json --min-confidence low data` in DIR/bench with KEYGATE_DUMP_FEATURES
   set: keygate writes every generic candidate's features (src/detect/score_features.hpp) and the JSON
   report gives the other rules' findings.
2. Joins each candidate with CredData's label on its line, judged as bench/creddata/score.py judges a
   finding (the first label of the line in meta order): T -> 1, F/X -> 0; a line nobody labelled -> 0
   with a smaller weight (such findings do not count in the score, but a user sees them).
3. Fits an L2-regularised logistic regression (Newton's method, deterministic) on the dev split only,
   and picks thresholds on dev only, from 5-fold cross-validated scores (folds by repository) so that
   they are not picked on the data the weights were fitted to:
     medium: the lowest logit at which the default report (other rules at medium or above plus the
             candidates scored medium or above) keeps precision >= --target-precision on dev, best F1;
     high:   the lowest logit at which the candidates above it are right >= 97% of the time on dev;
     low:    candidates below it are dropped; it keeps 99% of dev's true positives at `low`.
4. Prints precision / recall / F1 at the default level and at `low`, for dev and for val (val is never
   used for fitting or for thresholds), then writes the weights as C++ (score_weights.inc).
Python 3 standard library only; the same binary and data give the same weights.
"""
import argparse, json, math, os, subprocess, sys, zlib
from collections import defaultdict

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
GENERIC = ("generic-password", "generic-secret", "url-credentials")  # the rules the scorer judges
LEVEL = {"low": 0, "medium": 1, "high": 2}


def load_labels(bench):
    rows = [json.loads(l) for l in open(os.path.join(bench, "labels.jsonl"), encoding="utf-8")]
    rows.sort(key=lambda r: (r["path"], int(r["label_id"]) if str(r["label_id"]).isdigit() else 0))
    first = {}      # (path, line, end) -> first row
    multi = {}      # (path, line) -> first multi-line row starting there
    split_of = {}
    for r in rows:
        first.setdefault((r["path"], r["line_start"], r["line_end"]), r)
        if r["line_end"] > r["line_start"]:
            multi.setdefault((r["path"], r["line_start"]), r)
        split_of[r["path"].split("/", 1)[0]] = (r["repo"], r["split"])
    return rows, first, multi, split_of


def row_of(first, multi, path, line, end=None):
    end = line if end is None else end
    r = first.get((path, line, end))
    if r is None and end == line:
        r = multi.get((path, line))
    return r


def run_keygate(keygate, bench, dump):
    env = dict(os.environ, KEYGATE_DUMP_FEATURES=dump)
    cmd = [os.path.abspath(keygate) if os.sep in keygate else keygate, "scan", "--format", "json",
           "--min-confidence", "low", "data"]
    run = subprocess.run(cmd, cwd=bench, capture_output=True, env=env)
    if run.returncode not in (0, 1):
        sys.exit(f"train_scorer.py: {' '.join(cmd)} failed ({run.returncode}): {run.stderr.decode()[-2000:]}")
    return json.loads(run.stdout or b"[]")


def read_dump(dump):
    names, cands = None, []
    with open(dump, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("#features\t"):
                names = line.split("\t")[1:]
                continue
            parts = line.split("\t")
            if len(parts) < 5:
                continue
            path, ln, rule = parts[0], int(parts[1]), parts[2]
            feats = []
            for kv in parts[4].split():
                k, v = kv.split(":")
                feats.append((int(k), float(v)))
            cands.append({"path": os.path.normpath(path), "line": ln, "rule": rule, "x": tuple(feats)})
    if names is None:
        sys.exit("train_scorer.py: the dump names no features (is KEYGATE_DUMP_FEATURES supported?)")
    return names, cands


def solve(a, b):
    """Solves a x = b (a symmetric positive definite) by Gaussian elimination with partial pivoting."""
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[p] = m[p], m[c]
        piv = m[c][c]
        if abs(piv) < 1e-12:
            continue
        for r in range(c + 1, n):
            f = m[r][c] / piv
            if f:
                mr, mc = m[r], m[c]
                for k in range(c, n + 1):
                    mr[k] -= f * mc[k]
    x = [0.0] * n
    for c in range(n - 1, -1, -1):
        s = m[c][n] - sum(m[c][k] * x[k] for k in range(c + 1, n))
        x[c] = s / m[c][c] if abs(m[c][c]) > 1e-12 else 0.0
    return x


def fit(data, nfeat, l2, iters=25):
    """L2 logistic regression by Newton's method. data: [(x sparse, y, weight)]. Index nfeat is the bias."""
    n = nfeat + 1
    w = [0.0] * n
    for _ in range(iters):
        grad = [0.0] * n
        hess = [[0.0] * n for _ in range(n)]
        for x, y, sw in data:
            xs = list(x) + [(nfeat, 1.0)]
            z = sum(w[i] * v for i, v in xs)
            p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
            g = sw * (p - y)
            h = sw * p * (1 - p)
            for i, v in xs:
                grad[i] += g * v
                hi = hess[i]
                for j, u in xs:
                    hi[j] += h * v * u
        for i in range(nfeat):  # the bias is not penalised
            grad[i] += l2 * w[i]
            hess[i][i] += l2
        hess[nfeat][nfeat] += 1e-6
        step = solve(hess, grad)
        w = [wi - si for wi, si in zip(w, step)]
        if max(abs(s) for s in step) < 1e-6:
            break
    return w


def logit(w, x, nfeat):
    return w[nfeat] + sum(w[i] * v for i, v in x)


def evaluate(rows, first, multi, split, others, cands, scores, t_med, t_low, level):
    """Line-level P/R/F1 on `split` as score.py counts it: others = {(path, line, end): best level} of the
    non-generic rules; a candidate is reported at `level` if its score clears the level's threshold."""
    judged = set()
    need = LEVEL[level]
    for (path, line, end), lv in others.items():
        if lv >= need:
            r = row_of(first, multi, path, line, end)
            if r is not None and r["split"] == split:
                judged.add(id(r))
    for c, s in zip(cands, scores):
        if s < t_low or (need >= 1 and s < t_med):
            continue
        r = c["row"]
        if r is not None and r["split"] == split:
            judged.add(id(r))
    tp = fp = t = 0
    for r in rows:
        if r["split"] != split:
            continue
        if r["truth"] == "T":
            t += 1
        if id(r) in judged:
            if r["truth"] == "T":
                tp += 1
            else:
                fp += 1
    p = tp / (tp + fp) if tp + fp else 0.0
    rc = tp / t if t else 0.0
    f1 = 2 * p * rc / (p + rc) if p + rc else 0.0
    return p, rc, f1, tp, fp, t - tp


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("keygate")
    ap.add_argument("--dir", default=os.environ.get("KEYGATE_CREDDATA_DIR") or "/work/creddata-cache")
    ap.add_argument("--out", default=os.path.join(HERE, "..", "..", "src", "detect", "score_weights.inc"))
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--unlabelled-weight", type=float, default=0.3)
    ap.add_argument("--target-precision", type=float, default=0.945)
    ap.add_argument("--dump", default=None, help="reuse this feature dump and report instead of running keygate")
    ap.add_argument("--no-write", action="store_true")
    a = ap.parse_args()
    bench = os.path.join(a.dir, "bench")
    rows, first, multi, split_of = load_labels(bench)

    dump = a.dump or os.path.join(a.dir, "results", "features.tsv")
    if a.dump:
        report = json.load(open(dump + ".json"))
    else:
        report = run_keygate(a.keygate, bench, dump)
        json.dump(report, open(dump + ".json", "w"))
    names, cands = read_dump(dump)
    nfeat = len(names)

    others = {}
    for f in report:
        if f.get("rule") in GENERIC:
            continue
        path = os.path.normpath(f.get("file") or "")
        if not path.startswith("data/"):
            continue
        line = int(f.get("line") or 0)
        key = (path[5:], line, int(f.get("end_line") or line))
        others[key] = max(others.get(key, -1), LEVEL.get(f.get("confidence"), 2))

    # one row per (line, candidate); duplicates (a chunk overlap) once
    seen, kept = set(), []
    for c in cands:
        if not c["path"].startswith("data/"):
            continue
        c["path"] = c["path"][5:]
        key = (c["path"], c["line"], c["rule"], c["x"])
        if key in seen:
            continue
        seen.add(key)
        c["row"] = row_of(first, multi, c["path"], c["line"])
        repo_id = c["path"].split("/", 1)[0]
        c["repo"], c["split"] = split_of.get(repo_id, (repo_id, "dev"))
        c["y"] = 1.0 if c["row"] is not None and c["row"]["truth"] == "T" else 0.0
        c["w"] = 1.0 if c["row"] is not None else a.unlabelled_weight
        kept.append(c)
    cands = kept
    dev = [c for c in cands if c["split"] == "dev"]
    print(f"{len(cands)} candidates ({len(dev)} dev), {nfeat} features; dev positives "
          f"{sum(c['y'] for c in dev):.0f}", file=sys.stderr)

    # cross-validated dev scores (5 folds by repository) for the thresholds
    fold = lambda c: zlib.crc32(c["repo"].encode()) % 5
    cv = {}
    for k in range(5):
        train = [(c["x"], c["y"], c["w"]) for c in dev if fold(c) != k]
        w = fit(train, nfeat, a.l2)
        for c in dev:
            if fold(c) == k:
                cv[id(c)] = logit(w, c["x"], nfeat)
    w = fit([(c["x"], c["y"], c["w"]) for c in dev], nfeat, a.l2)
    final = [logit(w, c["x"], nfeat) for c in cands]
    cv_scores = [cv.get(id(c), s) for c, s in zip(cands, final)]

    grid = sorted({round(s, 2) for s in cv_scores if s > -6})
    # low: drop only what costs < 1% of dev's generic true positives at low
    dev_pos = sorted(s for c, s in zip(cands, cv_scores) if c["split"] == "dev" and c["y"] == 1)
    t_low = dev_pos[int(0.01 * len(dev_pos))] - 1e-6 if dev_pos else -1e9
    best = None
    for t in grid:
        p, r, f1, *_ = evaluate(rows, first, multi, "dev", others, cands, cv_scores, t, t_low, "medium")
        if p >= a.target_precision and (best is None or f1 > best[1]):
            best = (t, f1)
    t_med = best[0] if best else 10.0
    t_high = t_med
    for t in grid:
        if t < t_med:
            continue
        sel = [c for c, s in zip(cands, cv_scores) if c["split"] == "dev" and s >= t and c["row"] is not None]
        if sel and sum(c["y"] for c in sel) / len(sel) >= 0.97:
            t_high = t
            break
    else:
        t_high = max(grid) + 1

    print(f"thresholds (logit): low {t_low:.3f}, medium {t_med:.3f}, high {t_high:.3f}")
    for level in ("medium", "low"):
        for split in ("dev", "val"):
            sc = cv_scores if split == "dev" else final
            p, r, f1, tp, fp, fn = evaluate(rows, first, multi, split, others, cands, sc, t_med, t_low, level)
            how = "cross-validated" if split == "dev" else "held out"
            print(f"{level:>6} {split}: P {p:.3f} R {r:.3f} F1 {f1:.3f}  TP {tp} FP {fp} FN {fn}  ({how})")
    order = sorted(range(nfeat), key=lambda i: -abs(w[i]))
    print("largest weights: " + ", ".join(f"{names[i]} {w[i]:+.2f}" for i in order[:12]), file=sys.stderr)
    if a.no_write:
        return
    with open(a.out, "w") as out:
        out.write("// Generated by bench/creddata/train_scorer.py (logistic regression, L2 %g, unlabelled weight %g,\n"
                  "// target precision %g) on the CredData dev split. Do not edit: retrain.\n"
                  % (a.l2, a.unlabelled_weight, a.target_precision))
        out.write(f"constexpr double kScoreBias = {w[nfeat]:.6f};\n")
        out.write("constexpr double kScoreWeights[kScoreFeatures] = {\n")
        for i in range(nfeat):
            out.write(f"    {w[i]:.6f},  // {names[i]}\n")
        out.write("};\n")
        out.write(f"constexpr double kScoreLow = {t_low:.6f}, kScoreMedium = {t_med:.6f}, kScoreHigh = {t_high:.6f};\n")
    print(f"wrote {os.path.normpath(a.out)}", file=sys.stderr)


if __name__ == "__main__":
    main()
