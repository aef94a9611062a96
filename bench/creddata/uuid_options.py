#!/usr/bin/env python3
"""Measure three ways of reporting UUIDs on the CredData development benchmark, and what each costs a user.

usage: bench/creddata/uuid_options.py KEYGATE [--dir DIR] [--repo GIT_DIR] [--corpus TREE] [--level medium|low]

CredData's reviewers label ~95% of the UUIDs in its files T (`id`, `_postman_id`, `collectionId`,
`x-github-request-id`, C#'s `new Guid("...")`, Windows known-folder ids), so a third of its T labels are
UUIDs. The options:
  a  today's rule: a UUID is a candidate only under a credential name (`api_key`, `*_token`, `secret`),
     and the scorer must be sure of it (generic.cpp's widenable).
  b  also a UUID assigned to any name (`name = `, `name: `, `"name": `, `=>`, `:=`) except a name that
     says it is an identifier or a reference to a non-secret object (`id`, `*Id`, `uuid`, `guid`,
     `folder`, `request`, `resource`, `clsid`, `tenant`, `type`, ...).
  c  every UUID.
b and c are written here as extra rules (keygate's --config, the default rules kept out and the default
report added), so no detector change is needed to measure them. For each option: precision / recall / F1
on dev and val (bench/creddata/score.py --findings), the UUID category's row, and, with --repo and
--corpus, how many findings it adds on a real repository's history (`keygate history`, every ref) and on a
checked-out tree (`keygate scan`): reports a user would see, since neither holds a UUID that is a secret.
Writes nothing in the repository; the configs and reports go to a temporary directory.
"""
import argparse, json, os, subprocess, sys, tempfile
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"

# Option b: a name, an assignment operator, an optional quote/brace/constructor, the UUID (group 2).
NAMED = r"""[extend]
useDefault = false
[[rules]]
id = 'uuid-named'
description = 'UUID assigned to a name that is not an identifier name'
regex = '''([A-Za-z_$@][\w.$-]*)["'\]]?\s*(?:=>|:=|[:=])\s*(?:new Guid\(|[bu@])?["'`]?\{?(%s)\b'''
secretGroup = 2
confidence = '%s'
[[rules.allowlists]]
regexTarget = 'match'
regexes = [
  '''(?i)(?:folder|request|resource|collection|clsid|namespace|parent|owner|item|node|project|tenant|class|type|guid|uid|sid|ref|example|value|response|name|path|url)\w{0,20}["'\]]?\s*(?:=>|:=|[:=])''',
  '''(?:^|[^A-Za-z])(?:[iI][dD][sS]?|[uU][uU][iI][dD]|[gG][uU][iI][dD]|[iI]dentifier|IDENTIFIER)["'\]]?\s*(?:=>|:=|[:=])''',
  '''[a-z0-9](?:Id|ID|Ids|IDs|Uuid|UUID|Guid|GUID|Identifier)["'\]]?\s*(?:=>|:=|[:=])''',
]
"""

# Option c: every UUID.
EVERY = r"""[extend]
useDefault = false
[[rules]]
id = 'uuid-any'
description = 'UUID'
regex = '''\b(%s)\b'''
secretGroup = 1
confidence = '%s'
"""


def run_json(cmd, cwd=None):
    out = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if out.returncode not in (0, 1):
        sys.exit("failed (%d): %s\n%s" % (out.returncode, " ".join(cmd), out.stderr[-2000:]))
    return json.loads(out.stdout or "[]")


def score(keygate, findings, tag, bench_dir):
    cmd = [sys.executable, os.path.join(HERE, "score.py"), keygate, "--findings", findings, "--tag", tag]
    if bench_dir:
        cmd += ["--dir", bench_dir]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.splitlines()
    rows, part = {}, None
    for line in out:
        w = line.split()
        if w and w[0] in ("dev", "val") and len(w) == 10:
            rows[w[0]] = tuple(float(x) for x in w[7:10])
        if line.startswith("per category ("):
            part = line.split("(")[1].split(")")[0]
        if w and w[0] == "UUID" and part in ("dev", "val"):
            rows["uuid-" + part] = (int(w[1]), int(w[2]), int(w[5]))  # T, TP, FP
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("keygate")
    ap.add_argument("--dir", default=None, help="CredData cache (default $KEYGATE_CREDDATA_DIR or /work/creddata-cache)")
    ap.add_argument("--repo", help="a repository (git dir) whose history is scanned with each option")
    ap.add_argument("--corpus", help="a checked-out tree scanned with each option")
    ap.add_argument("--level", choices=("medium", "low"), default="medium",
                    help="the level the default report is taken at, and the level b and c report at")
    a = ap.parse_args()
    keygate = os.path.abspath(a.keygate)
    cache = a.dir or os.environ.get("KEYGATE_CREDDATA_DIR") or "/work/creddata-cache"
    bench = os.path.join(cache, "bench")
    tmp = tempfile.mkdtemp(prefix="keygate-uuid-")
    configs = {"b": NAMED % (UUID, a.level), "c": EVERY % (UUID, a.level)}
    for k, text in configs.items():
        with open(os.path.join(tmp, k + ".toml"), "w") as f:
            f.write(text)
    level = ["--min-confidence", a.level]
    base = run_json([keygate, "scan", "--format", "json"] + level + ["data"], cwd=bench)
    print("option  level   dev P   dev R  dev F1   val P   val R  val F1   UUID dev TP/FP   UUID val TP/FP"
          "   added: history findings (files)   tree findings")
    for k in ("a", "b", "c"):
        extra = [] if k == "a" else run_json(
            [keygate, "scan", "--format", "json", "--config", os.path.join(tmp, k + ".toml")] + level + ["data"],
            cwd=bench)
        path = os.path.join(tmp, "findings-%s.json" % k)
        with open(path, "w") as f:
            json.dump(base + extra, f)
        r = score(keygate, path, "uuid-%s-%s" % (k, a.level), a.dir)
        hist = tree = "-"
        if k != "a" and a.repo:
            h = run_json([keygate, "history", "--repo", a.repo, "--format", "json", "--no-progress",
                          "--config", os.path.join(tmp, k + ".toml")] + level)
            top = Counter(os.path.basename(x["file"]) for x in h).most_common(3)
            hist = "%d (%d) %s" % (len(h), len({x["file"] for x in h}), ", ".join("%s %d" % t for t in top))
        if k != "a" and a.corpus:
            tree = str(len(run_json([keygate, "scan", "--format", "json", "--config",
                                     os.path.join(tmp, k + ".toml")] + level + [a.corpus])))
        print("%-7s %-6s %s   %s   %4d/%-4d   %4d/%-4d   %s   %s" % (
            k, a.level, "  ".join("%6.3f" % x for x in r["dev"]), "  ".join("%6.3f" % x for x in r["val"]),
            r["uuid-dev"][1], r["uuid-dev"][2], r["uuid-val"][1], r["uuid-val"][2], hist, tree))


if __name__ == "__main__":
    main()
