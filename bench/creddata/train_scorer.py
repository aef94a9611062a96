#!/usr/bin/env python3
"""Train the generic detector's scorer on the CredData development split and write its weights.

usage: bench/creddata/train_scorer.py KEYGATE [--dir DIR] [--out src/detect/score_weights.inc]
                                      [--rounds 200] [--depth 3] [--rate 0.05] [--l2 1.0] [--min-hessian 2]
                                      [--low-keep 0.995]
                                      [--unlabelled-weight 0.3] [--target-precision 0.945]
                                      [--dump FILE] [--no-write]

1. Runs `KEYGATE scan --format json --min-confidence low data` in DIR/bench with KEYGATE_DUMP_FEATURES
   set: keygate writes every generic candidate's features (src/detect/score_features.hpp) and the JSON
   report gives the other rules' findings.
2. Joins each candidate with CredData's label on its line, judged as bench/creddata/score.py judges a
   finding (the first label of the line in meta order): T -> 1, F/X -> 0; a line nobody labelled -> 0
   with a smaller weight (such findings do not count in the score, but a user sees them).
3. Fits two models on the dev split only and averages their logits: an L2-regularised logistic
   regression (Newton's method) and gradient-boosted regression trees on the logistic loss (depth 3,
   Newton leaf values, a small learning rate). Trees see what a weighted sum of the same features cannot:
   that a lower-case word is a placeholder under `password:` in a README but a password in a .env, that a
   short value is weak only when it is also a word; the linear half keeps the score steady on code unlike
   anything in the training data (measured on val: the mean kept the trees' recall with better
   precision than either). Deterministic. Then it picks thresholds on dev only, from 5-fold
   cross-validated scores (folds by repository) so that they are not picked on the data the weights were
   fitted to:
     medium: the lowest logit at which the default report (other rules at medium or above plus the
             candidates scored medium or above) keeps precision >= --target-precision on dev, best F1;
     high:   the lowest logit at which the candidates above it are right >= 97% of the time on dev;
     low:    candidates below it are dropped; it keeps --low-keep (99.5%) of dev's true positives at
             `low` (trees are sure of their lows: at 99% they dropped weak real passwords such as
             `ENV MYSQL_ROOT_PASSWORD rootpw77`, a rule's example).
4. Prints precision / recall / F1 at the default level and at `low`, for dev and for val (val is never
   used for fitting or for thresholds), then writes both as C++ (score_weights.inc): 134 weights and
   about 200 trees of at most 15 nodes, one comparison per level: a candidate costs well under a microsecond.
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


def fit_linear(data, nfeat, l2, iters=25):
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


def linear_logit(w, x):
    return w[-1] + sum(w[i] * v for i, v in x)


def thresholds_of(cands, nfeat, most=16):
    """The split points each feature offers: the midpoints between its distinct values (0 included), at most
    `most` of them, spread over the sorted values. A 0/1 feature offers 0.5."""
    values = [{0.0} for _ in range(nfeat)]
    for c in cands:
        for i, v in c["x"]:
            values[i].add(v)
    out = []
    for vs in values:
        vs = sorted(vs)
        step = max(1, (len(vs) - 1) // most + (1 if (len(vs) - 1) % most else 0))
        out.append([(vs[k] + vs[k + 1]) / 2 for k in range(0, len(vs) - 1, step)])
    return out


def bin_of(t, v):
    b = 0
    while b < len(t) and v > t[b]:
        b += 1
    return b


def fit_trees(data, split_points, rounds, depth, rate, l2=1.0, min_hessian=2.0):
    """Gradient-boosted regression trees on the logistic loss (Newton steps: a leaf's value is -G/(H+l2)
    times the learning rate). data: [(x sparse dict, y, weight)]. Deterministic: samples and features are
    visited in a fixed order and the first best split wins. Returns (base log-odds, trees); a tree is a list
    of nodes [feature, threshold, left, right, value] (feature -1: a leaf), node 0 its root; a split
    node's value is what a leaf there would have been, which --explain uses to share the score out."""
    pos = sum(y * w for _, y, w in data)
    tot = sum(w for _, _, w in data)
    base = math.log(pos / (tot - pos))
    n = len(data)
    score = [base] * n
    trees = []
    for _ in range(rounds):
        g, h = [0.0] * n, [0.0] * n
        for k, (_, y, w) in enumerate(data):
            p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, score[k]))))
            g[k], h[k] = w * (p - y), max(w * p * (1 - p), 1e-9)
        nodes = []

        def grow(idx, level):
            G, H = sum(g[k] for k in idx), sum(h[k] for k in idx)
            me = len(nodes)
            nodes.append([-1, 0.0, 0, 0, -G / (H + l2) * rate])
            if level == depth or H < 2 * min_hessian:
                return me
            parent = G * G / (H + l2)
            sums = {}  # feature -> per-bin [g, h] of the samples where it is not 0
            for k in idx:
                for i, v in data[k][0].items():
                    t = split_points[i]
                    if t:
                        acc = sums.setdefault(i, [[0.0, 0.0] for _ in range(len(t) + 1)])
                        b = bin_of(t, v)
                        acc[b][0] += g[k]
                        acc[b][1] += h[k]
            best = None
            for i in sorted(sums):
                t, acc = split_points[i], sums[i]
                zero = acc[bin_of(t, 0.0)]
                zero[0] += G - sum(a[0] for a in acc)
                zero[1] += H - sum(a[1] for a in acc)
                lg = lh = 0.0
                for b in range(len(t)):
                    lg, lh = lg + acc[b][0], lh + acc[b][1]
                    if lh < min_hessian or H - lh < min_hessian:
                        continue
                    gain = lg * lg / (lh + l2) + (G - lg) ** 2 / (H - lh + l2) - parent
                    if best is None or gain > best[0] + 1e-12:
                        best = (gain, i, t[b])
            if best is None or best[0] <= 1e-3:
                return me
            _, i, t = best
            left = [k for k in idx if data[k][0].get(i, 0.0) <= t]
            right = [k for k in idx if data[k][0].get(i, 0.0) > t]
            nodes[me][0], nodes[me][1] = i, t
            nodes[me][2] = grow(left, level + 1)
            nodes[me][3] = grow(right, level + 1)
            return me

        grow(list(range(n)), 0)
        trees.append(nodes)
        for k in range(n):
            score[k] += leaf_value(nodes, data[k][0])
    return base, trees


def leaf_value(nodes, x):
    n = 0
    while nodes[n][0] >= 0:
        n = nodes[n][2] if x.get(nodes[n][0], 0.0) <= nodes[n][1] else nodes[n][3]
    return nodes[n][4]


def trees_logit(model, x):
    base, trees = model
    return base + sum(leaf_value(t, x) for t in trees)


def logit(model, c):
    """The scorer's log-odds: the mean of the linear model's and the trees' (two kinds of model err in
    different places; their mean is steadier on code unlike the training data than either alone)."""
    linear, trees = model
    return 0.5 * linear_logit(linear, c["x"]) + 0.5 * trees_logit(trees, c["xd"])


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
    ap.add_argument("--rounds", type=int, default=200)
    ap.add_argument("--depth", type=int, default=3)
    ap.add_argument("--rate", type=float, default=0.05)
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--min-hessian", type=float, default=2.0)
    ap.add_argument("--low-keep", type=float, default=0.995)
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
        c["xd"] = dict(c["x"])
        kept.append(c)
    cands = kept
    dev = [c for c in cands if c["split"] == "dev"]
    print(f"{len(cands)} candidates ({len(dev)} dev), {nfeat} features; dev positives "
          f"{sum(c['y'] for c in dev):.0f}", file=sys.stderr)

    # cross-validated dev scores (5 folds by repository) for the thresholds
    split_points = thresholds_of(cands, nfeat)
    train = lambda part: (fit_linear([(c["x"], c["y"], c["w"]) for c in part], nfeat, a.l2),
                          fit_trees([(c["xd"], c["y"], c["w"]) for c in part], split_points, a.rounds, a.depth,
                                    a.rate, a.l2, a.min_hessian))
    fold = lambda c: zlib.crc32(c["repo"].encode()) % 5
    cv = {}
    for k in range(5):
        model = train([c for c in dev if fold(c) != k])
        for c in dev:
            if fold(c) == k:
                cv[id(c)] = logit(model, c)
    model = train(dev)
    final = [logit(model, c) for c in cands]
    cv_scores = [cv.get(id(c), s) for c, s in zip(cands, final)]

    grid = sorted({round(s, 2) for s in cv_scores if s > -6})
    # low: drop only what costs < 1% of dev's generic true positives at low
    dev_pos = sorted(s for c, s in zip(cands, cv_scores) if c["split"] == "dev" and c["y"] == 1)
    t_low = dev_pos[int((1 - a.low_keep) * len(dev_pos))] - 1e-6 if dev_pos else -1e9
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
    splits = defaultdict(int)
    for tree in model[1][1]:
        for node in tree:
            if node[0] >= 0:
                splits[node[0]] += 1
    order = sorted(splits, key=lambda i: (-splits[i], i))
    print("most used features: " + ", ".join(f"{names[i]} {splits[i]}" for i in order[:12]), file=sys.stderr)
    if a.no_write:
        return
    linear, (base, trees) = model
    with open(a.out, "w") as out:
        out.write("// Generated by bench/creddata/train_scorer.py (a logistic model and boosted trees, their logits averaged;\n"
                  "// trees: %d rounds, depth %d, rate %g; L2 %g,\n"
                  "// min hessian %g, unlabelled weight %g, target precision %g, low keeps %g) on the CredData dev\n"
                  "// split. Do not edit: retrain.\n"
                  % (a.rounds, a.depth, a.rate, a.l2, a.min_hessian, a.unlabelled_weight, a.target_precision,
                     a.low_keep))
        out.write(f"constexpr double kLinearBias = {linear[nfeat]:.6f};\n")
        out.write("constexpr double kLinearWeights[kScoreFeatures] = {\n")
        for i in range(nfeat):
            out.write(f"    {linear[i]:.6f},  // {names[i]}\n")
        out.write("};\n")
        out.write(f"constexpr double kTreeBase = {base:.6f};\n")
        out.write("// {feature, threshold, left, right, value}: feature -1 is a leaf; left when f[feature] <= threshold.\n")
        out.write("constexpr ScoreNode kTreeNodes[] = {\n")
        roots, at = [], 0
        for tree in trees:
            roots.append(at)
            for f, t, l, r, v in tree:
                out.write(f"    {{{f}, {t:.9g}, {l + at if f >= 0 else 0}, {r + at if f >= 0 else 0}, {v:.6f}}},\n")
            at += len(tree)
        out.write("};\n")
        out.write("constexpr std::uint32_t kTreeRoots[] = {" + ", ".join(map(str, roots)) + "};\n")
        out.write(f"constexpr double kScoreLow = {t_low:.6f}, kScoreMedium = {t_med:.6f}, kScoreHigh = {t_high:.6f};\n")
    print(f"wrote {os.path.normpath(a.out)}", file=sys.stderr)


if __name__ == "__main__":
    main()
