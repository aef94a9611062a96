#!/usr/bin/env python3
"""keygate's benchmarks: each figure is a ratio against a baseline measured side by side in the same run.

usage: bench/run.py [--corpus DIR] [--keygate BIN] [--against BIN] [--runs N] [--repo DIR] [staged] [staged-initial]
                    [commit] [history] [scan] [rules] [redact] [repo]

The corpus is built once (../shared/bench/make-history-corpus DIR --commits 6000 --plant 5) and reused.
  staged   keygate staged vs `git diff --cached --quiet`, one file staged in the 6,000-file repository
  staged-initial  keygate staged vs `git diff --cached -U0`: a fresh repository whose index holds the whole
           checkout (`git add -A`, loose objects), nothing committed: the first commit of a large tree
  commit   what keygate's installed hooks add to a real `git commit` of that one-file change (with them minus
           without them, core.hooksPath alternating) vs `git diff --cached --quiet`
  history  keygate history vs `git cat-file --batch-all-objects --batch --unordered`; peak RSS; the planted
           keys found with their introducing commits; anything else reported counts as a false positive
  scan     keygate scan of the checked-out tree vs `cat` of every file (warm cache); false positives
  rules    keygate scan with 2 rules vs the default rules vs gitleaks' 222 (the keyword prefilter)
  redact   keygate redact vs keygate scan - on the checked-out tree concatenated into one stream
  repo     keygate history vs cat-file on a real repository (--repo DIR, a bare clone: get git/git's with
           `git clone --mirror https://github.com/git/git.git`); the same objects for both (a partial
           clone's missing blobs are counted by keygate, absent for cat-file); peak RSS of both
--against BIN adds BIN's `scan .` (its own default rules) to scan and rules, its `staged` to staged and
staged-initial, and its installed hooks to commit, alternating with this build's.
Times are medians of --runs runs, alternating the commands being compared. On a machine shared with other
sessions, each session gets its share of the cores whatever its thread count: threads show their effect only
when the others are idle."""
import argparse, json, os, resource, shutil, statistics, subprocess, sys, tempfile, time

here = os.path.dirname(os.path.abspath(__file__))
ap = argparse.ArgumentParser()
ap.add_argument("what", nargs="*", default=["staged", "staged-initial", "commit", "history", "scan", "rules", "redact"])
ap.add_argument("--corpus", default=os.environ.get("KEYGATE_BENCH_CORPUS", "/tmp/keygate-bench-corpus"))
ap.add_argument("--keygate", default=os.path.join(here, "..", "build", "keygate"))
ap.add_argument("--runs", type=int, default=0, help="runs per command (default: depends on the benchmark)")
ap.add_argument("--repo", help="a real repository (bare clone) for `repo`")
ap.add_argument("--against", help="another keygate binary (e.g. a build of main) timed side by side in scan and rules")
a = ap.parse_args()
keygate = os.path.abspath(a.keygate)
repo = os.path.join(a.corpus, "repo")
# ../shared beside the checkout: /work/shared for /work/main, one level further up for a worktree in /work/wt/.
shared = next((d for d in (os.path.join(here, "..", "..", "shared"), os.path.join(here, "..", "..", "..", "shared"))
               if os.path.isdir(d)), os.path.join(here, "..", "..", "shared"))


def sh(cmd, **kw):
    return subprocess.run(cmd, shell=isinstance(cmd, str), check=True, capture_output=True, text=True, **kw).stdout


def ensure_corpus():
    if os.path.exists(os.path.join(a.corpus, "planted.json")):
        return
    maker = os.path.join(shared, "bench", "make-history-corpus")
    print(f"building the corpus in {a.corpus} (once)...", flush=True)
    shutil.rmtree(a.corpus, ignore_errors=True)
    subprocess.run([maker, a.corpus, "--commits", "6000", "--plant", "5"], check=True)


def timed(cmd, cwd, env=None, cpu=False):
    """Wall seconds of one run, and the child's peak RSS in MB (from a fresh wrapper, so it is its own); with
    cpu, also the CPU seconds (user + system) of the child and everything it waited for."""
    wrapper = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
               "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
               "t = time.perf_counter() - t; r = resource.getrusage(resource.RUSAGE_CHILDREN); "
               "print(t, r.ru_maxrss / 1024, r.ru_utime + r.ru_stime)")
    out = subprocess.run([sys.executable, "-c", wrapper] + cmd, cwd=cwd, env=env, capture_output=True, text=True,
                         check=True).stdout.split()
    return (float(out[0]), float(out[1])) + ((float(out[2]),) if cpu else ())


def compare(label, commands, runs, cwd, env=None):
    """Runs each command `runs` times, alternating; returns {name: (median seconds, peak MB)}."""
    samples = {name: [] for name, _ in commands}
    rss = {name: 0.0 for name, _ in commands}
    for name, cmd in commands:  # warm-up: page cache, corpus
        timed(cmd, cwd, env)
    for _ in range(runs):
        for name, cmd in commands:
            t, m = timed(cmd, cwd, env)
            samples[name].append(t)
            rss[name] = max(rss[name], m)
    result = {name: (statistics.median(v), rss[name]) for name, v in samples.items()}
    base_name = commands[0][0]
    base = result[base_name][0]
    print(f"\n## {label}  (median of {runs} runs)")
    for name, (t, m) in result.items():
        ratio = "baseline" if name == base_name else f"{t / base:.2f}x"
        print(f"  {name:<58} {t * 1000:9.1f} ms  {ratio:>9}   peak RSS {m:6.1f} MB")
    return result


def decoding_cost(result, name):
    """Decoding at its default depth against the same command with --max-decode-depth 0, side by side."""
    on, off = result[name], result[name + " --max-decode-depth 0"]
    print(f"  decoding cost: {on[0] / off[0]:.2f}x the time (target <= 1.3x), peak RSS {on[1]:.0f} MB vs "
          f"{off[1]:.0f} MB ({(on[1] / off[1] - 1) * 100:+.0f}%, target within 10%)")


def bench_staged(runs):
    sh(["git", "-C", repo, "reset", "-q", "--hard"])
    sh(["git", "-C", repo, "write-tree"])  # the cache-tree as a commit leaves it
    files = sh(["git", "-C", repo, "ls-files"]).split("\n")
    target = files[len(files) // 2]
    with open(os.path.join(repo, target), "a") as f:
        f.write("/* one more line */\n")
    sh(["git", "-C", repo, "add", target])
    try:
        compare("staged: one file staged in a %d-file repository" % len(files), [
            ("git diff --cached --quiet", ["git", "diff", "--cached", "--quiet"]),
            ("keygate staged", [keygate, "staged"]),
            ("keygate staged --max-decode-depth 0", [keygate, "staged", "--max-decode-depth", "0"]),
        ] + ([("--against: keygate staged", [os.path.abspath(a.against), "staged"])] if a.against else []), runs, repo)
        env = dict(os.environ, KEYGATE_TRACE="1")
        trace = subprocess.run([keygate, "staged"], cwd=repo, env=env, capture_output=True, text=True).stderr
        print("  where keygate's time goes (one run, KEYGATE_TRACE=1):")
        for line in trace.splitlines():
            if "trace:" in line:
                print("   ", line.split("trace:", 1)[1].strip())
    finally:
        sh(["git", "-C", repo, "reset", "-q", "--hard"])


def stage_one_file():
    """Stages the one-line change bench_staged makes, the cache-tree as a commit leaves it; returns the
    number of files."""
    sh(["git", "-C", repo, "reset", "-q", "--hard"])
    sh(["git", "-C", repo, "write-tree"])
    files = sh(["git", "-C", repo, "ls-files"]).split("\n")
    target = files[len(files) // 2]
    with open(os.path.join(repo, target), "a") as f:
        f.write("/* one more line */\n")
    sh(["git", "-C", repo, "add", target])
    return len(files)


def bench_commit(runs):
    """A real `git commit -q -m MSG` of one staged file, then `git reset --soft HEAD~1` (not timed), with
    core.hooksPath pointing at an empty directory, at keygate's pre-commit alone, and at every hook
    `keygate install` writes; each run alternates the three and `git diff --cached --quiet`. Wall time and
    CPU time (git's and its hooks'); CPU time is steadier on a busy machine."""
    n = stage_one_file()
    with tempfile.TemporaryDirectory() as tmp:
        dirs = {}
        setups = [("none", None, []), ("pre-commit", keygate, ["--hook", "pre-commit"]), ("installed", keygate, [])]
        if a.against:
            setups.append(("--against: installed", os.path.abspath(a.against), []))
        for name, binary, hooks in setups:
            scratch = os.path.join(tmp, "repo-%d" % len(dirs))
            dirs[name] = os.path.join(tmp, "hooks-%d" % len(dirs))
            os.mkdir(dirs[name])
            sh(["git", "init", "-q", scratch])
            sh(["git", "-C", scratch, "config", "core.hooksPath", dirs[name]])
            if binary:
                sh([binary, "install", "--repo", scratch] + hooks)
        installed = sorted(os.listdir(dirs["installed"]))

        def commit(name):
            cmd = ["git", "-c", "core.hooksPath=" + dirs[name], "commit", "-q", "-m", "one more line"]
            wall, _, cpu = timed(cmd, repo, cpu=True)
            sh(["git", "reset", "-q", "--soft", "HEAD~1"], cwd=repo)
            return wall, cpu

        diff = "git diff --cached --quiet"
        samples = {diff: [], **{name: [] for name in dirs}}
        try:
            for name in dirs:  # warm-up
                commit(name)
            for _ in range(runs):
                samples[diff].append(timed(diff.split(), repo, cpu=True)[::2])
                for name in dirs:
                    samples[name].append(commit(name))
        finally:
            sh(["git", "-C", repo, "reset", "-q", "--hard"])
        wall = {k: statistics.median(w for w, _ in v) for k, v in samples.items()}
        cpu = {k: statistics.median(c for _, c in v) for k, v in samples.items()}
        print(f"\n## commit: `git commit` of one staged file in a {n}-file repository  (median of {runs} runs)")
        print(f"  {'':<58} {'wall':>9}  {'ratio':>6}   {'CPU':>8}  {'ratio':>6}")
        print(f"  {diff:<58} {wall[diff] * 1000:6.1f} ms  {'base':>6}   {cpu[diff] * 1000:5.1f} ms  {'base':>6}")
        print(f"  {'git commit, no hooks':<58} {wall['none'] * 1000:6.1f} ms  {'':>6}   {cpu['none'] * 1000:5.1f} ms")
        labels = [("pre-commit", "keygate's pre-commit"),
                  ("installed", "keygate's installed hooks (" + ", ".join(installed) + ")")]
        if a.against:
            labels.append(("--against: installed", "--against's installed hooks"))
        for name, label in labels:
            print(f"  {'git commit, ' + label:<58} {wall[name] * 1000:6.1f} ms  {'':>6}   "
                  f"{cpu[name] * 1000:5.1f} ms")
            w, c = wall[name] - wall["none"], cpu[name] - cpu["none"]
            print(f"    {'added by the hooks':<56} {w * 1000:6.1f} ms  {w / wall[diff]:5.2f}x   "
                  f"{c * 1000:5.1f} ms  {c / cpu[diff]:5.2f}x")
        print("  (target: the installed hooks add at most 2.5x `git diff --cached --quiet`)")


def bench_staged_initial(runs):
    fresh = os.path.join(a.corpus, "staged-initial")
    if not os.path.exists(os.path.join(fresh, ".git", "index")):
        sh(["git", "-C", repo, "reset", "-q", "--hard"])
        shutil.rmtree(fresh, ignore_errors=True)
        os.makedirs(fresh)
        sh(["git", "init", "-q", fresh])
        sh(["git", "--work-tree", repo, "add", "-A"], cwd=fresh)
    files = len(sh(["git", "ls-files"], cwd=fresh).splitlines())
    ids = "".join(line.split()[1] + "\n" for line in sh(["git", "ls-files", "-s"], cwd=fresh).splitlines())
    sizes = subprocess.run(["git", "cat-file", "--batch-check=%(objectsize)"], cwd=fresh, input=ids, check=True,
                           capture_output=True, text=True).stdout.split()
    size = sum(int(n) for n in sizes) >> 20
    compare(f"staged-initial: {files} files ({size} MB) staged, nothing committed", [
        ("git diff --cached -U0", ["git", "diff", "--cached", "-U0"]),
        ("keygate staged", [keygate, "staged"]),
        ("keygate staged --jobs 1", [keygate, "staged", "--jobs", "1"]),
    ] + ([("--against: keygate staged", [os.path.abspath(a.against), "staged"])] if a.against else []), runs, fresh)


def bench_history(runs):
    planted = json.load(open(os.path.join(a.corpus, "planted.json")))
    r = compare("history: every commit of the repository", [
        ("git cat-file --batch-all-objects --batch --unordered",
         ["sh", "-c", "git cat-file --batch-all-objects --batch --unordered > /dev/null"]),
        ("keygate history", [keygate, "history", "--no-progress"]),
        ("keygate history --max-decode-depth 0", [keygate, "history", "--no-progress", "--max-decode-depth", "0"]),
    ], runs, repo)
    decoding_cost(r, "keygate history")
    found = json.loads(subprocess.run([keygate, "history", "--no-progress", "--format", "json"], cwd=repo,
                                      capture_output=True, text=True).stdout)
    hits, extra = 0, []
    for f in found:
        match = [p for p in planted if p["commit"] == f.get("commit") and p["path"] == f["file"]
                 and p["line"] == f["line"] and f["secret"].endswith(p["key"][-4:])]
        if match:
            hits += 1
        else:
            extra.append(f)
    print(f"  planted keys found with their introducing commit, path and line: {hits}/{len(planted)}")
    print(f"  other findings (false positives): {len(extra)}")
    for f in extra[:10]:
        print(f"    {f['file']}:{f['line']} {f['rule']}")
    print(f"  keygate peak RSS: {r['keygate history'][1]:.0f} MB")


def bench_scan(runs):
    sh(["git", "-C", repo, "reset", "-q", "--hard"])
    size = sh(f"du -sm --exclude=.git {repo}").split()[0]
    r = compare(f"scan: the checked-out tree ({size} MB, warm cache)", [
        ("cat of every file", ["sh", "-c", "find . -path ./.git -prune -o -type f -print0 | xargs -0 cat > /dev/null"]),
        ("keygate scan .", [keygate, "scan", "."]),
        ("keygate scan . --max-decode-depth 0", [keygate, "scan", ".", "--max-decode-depth", "0"]),
    ] + ([("--against: keygate scan .", [os.path.abspath(a.against), "scan", "."])] if a.against else []), runs, repo)
    decoding_cost(r, "keygate scan .")
    found = json.loads(subprocess.run([keygate, "scan", "--format", "json", "."], cwd=repo, capture_output=True,
                                      text=True).stdout)
    other = [f for f in found if f["rule"] != "together-api-key"]
    print(f"  findings: {len(found)} ({len(found) - len(other)} planted Together keys still in the tree, "
          f"{len(other)} false positives)")


def bench_rules(runs):
    with tempfile.TemporaryDirectory() as tmp:
        two = os.path.join(tmp, "two.toml")
        with open(two, "w") as f:
            f.write("[[rules]]\nid = 'together-api-key'\nregex = '''tgp_v1_[A-Za-z0-9_-]{43}'''\nkeywords = ['tgp_v1_']\n"
                    "[[rules]]\nid = 'github-pat'\nregex = '''ghp_[A-Za-z0-9]{36}'''\nkeywords = ['ghp_']\n")
        gitleaks = os.path.join(shared, "corpus", "gitleaks.toml")
        n = sh([keygate, "rules"]).strip().splitlines()[-1]
        commands = [("2 rules", [keygate, "scan", "--config", two, "."]),
                    (f"keygate defaults ({n})", [keygate, "scan", "."])]
        if a.against:
            commands.append(("--against: its defaults", [os.path.abspath(a.against), "scan", "."]))
        if os.path.exists(gitleaks):
            commands.append(("gitleaks.toml unchanged (222 rules)", [keygate, "scan", "--config", gitleaks, "."]))
        compare("rules: cost of the rule count, scan of the tree", commands, runs, repo)


def bench_redact(runs):
    sh(["git", "-C", repo, "reset", "-q", "--hard"])
    stream = os.path.join(a.corpus, "tree-stream.txt")
    if not os.path.exists(stream):
        sh(f"cd {repo} && git ls-files -z | xargs -0 cat > {stream}")
    size = os.path.getsize(stream) >> 20
    r = compare(f"redact: the tree as one {size} MB stream", [
        ("keygate scan -", ["sh", "-c", f"{keygate} scan - < {stream} > /dev/null"]),
        ("keygate redact", ["sh", "-c", f"{keygate} redact < {stream} > /dev/null"]),
    ], runs, repo)
    print(f"  keygate redact peak RSS: {r['keygate redact'][1]:.0f} MB (scan -: {r['keygate scan -'][1]:.0f} MB)")


def bench_repo(runs):
    if not a.repo:
        sys.exit("repo: give --repo DIR (e.g. git clone --mirror https://github.com/git/git.git)")
    r = compare(f"history of a real repository ({os.path.basename(os.path.normpath(a.repo))})", [
        ("git cat-file --batch-all-objects --batch --unordered",
         ["sh", "-c", "git cat-file --batch-all-objects --batch --unordered > /dev/null"]),
        ("keygate history", [keygate, "history", "--no-progress", "--format", "json"]),
    ], runs, a.repo)
    base = r["git cat-file --batch-all-objects --batch --unordered"]
    print(f"  peak RSS: keygate {r['keygate history'][1]:.0f} MB, cat-file {base[1]:.0f} MB")


if any(w != "repo" for w in a.what):
    ensure_corpus()
for what in a.what:
    {"staged": lambda: bench_staged(a.runs or 40), "staged-initial": lambda: bench_staged_initial(a.runs or 15),
     "commit": lambda: bench_commit(a.runs or 40),
     "history": lambda: bench_history(a.runs or 3),
     "scan": lambda: bench_scan(a.runs or 5), "rules": lambda: bench_rules(a.runs or 5),
     "redact": lambda: bench_redact(a.runs or 5), "repo": lambda: bench_repo(a.runs or 3)}[what]()
