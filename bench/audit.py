#!/usr/bin/env python3
"""`keygate audit` on many real repositories (issue #27): time against the sum of
`git cat-file --batch-all-objects --batch --unordered` over the same repositories, peak RSS, four shards side
by side against one shard alone on a quarter of the machine, and peak RSS with many small repositories.

usage: bench/audit.py [--keygate BIN] [--mirrors DIR] [--count 22] [--rounds 2] [--small 2000] [--skip-shards]
                      [--git-alone]

The repositories are git/git and redis/redis (DIR/git+git/repo, DIR/redis+redis/repo: bare mirrors, as the
fetch tool leaves them) and the first others under DIR whose objects take 8 to 60 MB, up to --count in all.
Figures (every pass prints its wall and CPU seconds and the machine's load average while it ran: on a
shared machine the CPU figures are the ones to compare, and a pass under a higher load is slower in wall time):
  cat-file   each repository read whole by git, one after another: the cost of reading every object once
  audit      `keygate audit` over all of them, every core (a fresh output directory: nothing up to date);
             cat-file and audit alternate, --rounds times; the medians and each round's ratios are printed
  rerun      the same audit again: every repository up to date (the resume path: refs compared, nothing read)
  shards     four `--shard I/4` processes side by side, each with a quarter of the cores (at least one
             thread), against each of them run alone with the same setting, in the same window: wall and
             CPU of each; a shard's quarter share is its CPU alone spread over a quarter of the cores
  small      --small tiny repositories (one commit each) audited at once: peak RSS must not grow with their
             number (compare with the audit of git/git alone)
Peak RSS is the largest of the processes measured (ru_maxrss of each child, waited for alone)."""
import argparse, os, shutil, statistics, subprocess, sys, tempfile, threading, time

here = os.path.dirname(os.path.abspath(__file__))
ap = argparse.ArgumentParser()
ap.add_argument("--keygate", default=os.path.join(here, "..", "build", "keygate"))
ap.add_argument("--mirrors", default="/work/.mirror")
ap.add_argument("--count", type=int, default=22)
ap.add_argument("--small", type=int, default=2000)
ap.add_argument("--rounds", type=int, default=2, help="cat-file and audit passes, alternating")
ap.add_argument("--skip-shards", action="store_true")
ap.add_argument("--git-alone", action="store_true", help="also audit git/git alone")
ap.add_argument("--small-only", action="store_true", help="only the many-small-repositories figure")
ap.add_argument("--catfile", help="WALL,CPU,RSS of the cat-file pass measured earlier: not measured again")
a = ap.parse_args()
keygate = os.path.abspath(a.keygate)
cores = os.cpu_count() or 1
env = dict(os.environ, KEYGATE_AUDIT_KEY="00" * 32)
last_cpu = 0.0  # CPU seconds of the last child run() waited for: on a shared machine, what to compare


def objects_mb(repo):
    total = 0
    for root, _, files in os.walk(os.path.join(repo, "objects")):
        total += sum(os.path.getsize(os.path.join(root, f)) for f in files)
    return total / 1e6


class Load:
    """The 1-minute load average sampled every second while a pass runs: its mean and maximum."""

    def __enter__(self):
        self.samples, self.stop = [os.getloadavg()[0]], threading.Event()
        self.thread = threading.Thread(target=self.sample, daemon=True)
        self.thread.start()
        return self

    def sample(self):
        while not self.stop.wait(1.0):
            self.samples.append(os.getloadavg()[0])

    def __exit__(self, *_):
        self.stop.set()
        self.thread.join()

    def __str__(self):
        return f"load {statistics.mean(self.samples):.1f} (max {max(self.samples):.1f})"


incomplete_runs = []  # audits that exited 2: a repository failed or is incomplete (the results say which)


def run(argv, **kw):
    """Wall seconds and peak RSS (MB) of one child; its CPU seconds are added to cpu[argv[0]]."""
    start = time.monotonic()
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, **kw)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.monotonic() - start
    code = os.waitstatus_to_exitcode(status)
    if code == 2 and argv[0] == keygate:
        incomplete_runs.append(argv)
    elif code not in (0, 1):
        sys.exit(f"{' '.join(argv)}: exit {code}")
    global last_cpu
    last_cpu = usage.ru_utime + usage.ru_stime
    return wall, usage.ru_maxrss / 1024


def run_together(argvs):
    """Wall seconds until the last of several children ends, the largest peak RSS, and each one's CPU."""
    start = time.monotonic()
    procs = [subprocess.Popen(v, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env) for v in argvs]
    peak, cpu = 0, []
    for p in procs:
        _, status, usage = os.wait4(p.pid, 0)
        if os.waitstatus_to_exitcode(status) not in (0, 1, 2):
            sys.exit(f"shard exit {os.waitstatus_to_exitcode(status)}")
        peak = max(peak, usage.ru_maxrss / 1024)
        cpu.append(usage.ru_utime + usage.ru_stime)
    return time.monotonic() - start, peak, cpu


def small_repositories(work):
    """Peak RSS of an audit of --small tiny repositories."""
    small = os.path.join(work, "small")
    os.makedirs(small)
    stream = "".join(f"blob\nmark :1\ndata 12\nhello world\ncommit refs/heads/main\nmark :2\n"
                     f"committer A <a@x.invalid> 1700000000 +0000\ndata 2\nc\nM 100644 :1 README\n\n"
                     for _ in range(1))
    with open(os.path.join(work, "small.list"), "w") as f:
        for i in range(a.small):
            r = os.path.join(small, f"r{i:05d}.git")
            subprocess.run(["git", "init", "-q", "--bare", r], check=True)
            subprocess.run(["git", "--git-dir=" + r, "fast-import", "--quiet"], input=stream.encode(), check=True)
            f.write(r + "\n")
    wall, rss = run([keygate, "audit", "--no-progress", "--out", os.path.join(work, "small-out"), "--list",
                     os.path.join(work, "small.list")])
    print(f"{a.small} small repositories: {wall:.1f} s, peak RSS {rss:.0f} MB")


if a.small_only:
    work = tempfile.mkdtemp(prefix="keygate-audit-bench-")
    small_repositories(work)
    shutil.rmtree(work)
    sys.exit(0)

repos = [os.path.join(a.mirrors, n, "repo") for n in ("git+git", "redis+redis")]
for name in sorted(os.listdir(a.mirrors)):
    if len(repos) >= a.count:
        break
    path = os.path.join(a.mirrors, name, "repo")
    if path not in repos and os.path.isfile(os.path.join(path, "HEAD")) and 8 <= objects_mb(path) <= 60:
        repos.append(path)
missing = [r for r in repos if not os.path.isfile(os.path.join(r, "HEAD"))]
if missing:
    sys.exit(f"missing: {missing} (fetch them first)")
work = tempfile.mkdtemp(prefix="keygate-audit-bench-")
listing = os.path.join(work, "list")
with open(listing, "w") as f:
    f.write("".join(r + "\n" for r in repos))
total_mb = sum(objects_mb(r) for r in repos)
print(f"{len(repos)} repositories, {total_mb:.0f} MB of objects, {cores} cores")

def catfile_pass():
    """Wall, CPU and peak RSS of cat-file over every repository, one after another."""
    wall = cpu = rss = 0.0
    for r in repos:
        w, m = run(["git", "--git-dir=" + r, "cat-file", "--batch-all-objects", "--batch", "--unordered"])
        wall, cpu, rss = wall + w, cpu + last_cpu, max(rss, m)
    return wall, cpu, rss


rounds = []  # (cat-file wall, CPU; audit wall, CPU)
audit_rss = catfile_rss = 0.0
for n in range(a.rounds):
    if a.catfile:
        cf_wall, cf_cpu, catfile_rss = map(float, a.catfile.split(","))
        cf_load = "load not measured (--catfile)"
    else:
        with Load() as load:
            cf_wall, cf_cpu, rss = catfile_pass()
        cf_load, catfile_rss = str(load), max(catfile_rss, rss)
    out = os.path.join(work, f"all{n}")
    with Load() as load:
        au_wall, rss = run([keygate, "audit", "--no-progress", "--out", out, "--list", listing])
    au_cpu, audit_rss = last_cpu, max(audit_rss, rss)
    rounds.append((cf_wall, cf_cpu, au_wall, au_cpu))
    print(f"round {n + 1}: cat-file {cf_wall:.1f} s wall, {cf_cpu:.1f} s CPU, {cf_load}; "
          f"audit {au_wall:.1f} s wall, {au_cpu:.1f} s CPU, {load}; "
          f"ratio wall {au_wall / cf_wall:.2f}x, CPU {au_cpu / cf_cpu:.2f}x "
          f"(CPU over {cores} cores: {au_cpu / cores / cf_cpu:.2f}x)", flush=True)
    if n + 1 < a.rounds:
        shutil.rmtree(out)
catfile, catfile_cpu = (statistics.median(r[i] for r in rounds) for i in (0, 1))
audit, audit_cpu = (statistics.median(r[i] for r in rounds) for i in (2, 3))
print(f"cat-file (sum of {len(repos)}, median): {catfile:.1f} s wall, {catfile_cpu:.1f} s CPU, "
      f"peak RSS {catfile_rss:.0f} MB")
print(f"audit (median): {audit:.1f} s wall ({audit / catfile:.2f}x cat-file's), {audit_cpu:.1f} s CPU "
      f"({audit_cpu / catfile_cpu:.2f}x; / {cores} cores: {audit_cpu / cores / catfile_cpu:.2f}x), "
      f"peak RSS {audit_rss:.0f} MB", flush=True)
last = os.path.join(work, f"all{a.rounds - 1}")
rerun, _ = run([keygate, "audit", "--no-progress", "--out", last, "--list", listing])
print(f"rerun: {rerun:.2f} s (complete results up to date; incomplete ones are read again)")
incomplete = [line for name in os.listdir(last) if name.endswith(".json")
              for line in open(os.path.join(last, name)) if '"status": "incomplete"' in line]
print(f"{len(incomplete)} repositories incomplete (exit 2), e.g. a snapshot's missing large blobs:")
for line in incomplete:
    print("  " + line.strip()[:220])

if a.git_alone:
    with Load() as load:
        git_alone, git_rss = run([keygate, "audit", "--no-progress", "--out", os.path.join(work, "git"), repos[0]])
    print(f"git/git alone: {git_alone:.1f} s wall, {last_cpu:.1f} s CPU, peak RSS {git_rss:.0f} MB, {load}")
if a.small > 0:
    small_repositories(work)
if not a.skip_shards:
    quarter = str(max(1, cores // 4))
    shard = lambda i, out: [keygate, "audit", "--no-progress", "--jobs", quarter, "--shard", f"{i}/4", "--out",
                            os.path.join(work, out), "--list", listing]
    with Load() as load:
        side, side_rss, side_cpu = run_together([shard(i, f"side{i}") for i in range(4)])
    print(f"4 shards side by side: {side:.1f} s wall, CPU " + ", ".join(f"{c:.1f}" for c in side_cpu)
          + f" s (sum {sum(side_cpu):.1f}), peak RSS {side_rss:.0f} MB, {load}", flush=True)
    alone = []
    for i in range(4):
        with Load() as load:
            wall, _ = run(shard(i, f"alone{i}"))
        alone.append((wall, last_cpu))
        print(f"shard {i}/4 alone: {wall:.1f} s wall, {last_cpu:.1f} s CPU, {load}", flush=True)
    # A quarter of the machine: a shard's CPU alone, spread over a quarter of the cores.
    share = [cpu / (cores / 4) for _, cpu in alone]
    print(f"side by side / slowest alone (wall): {side / max(w for w, _ in alone):.2f}x; "
          f"side by side / largest quarter share (CPU alone x 4 / {cores} cores = "
          + ", ".join(f"{q:.1f}" for q in share) + f" s): {side / max(share):.2f}x; "
          f"CPU side by side / alone: {sum(side_cpu) / sum(c for _, c in alone):.2f}x")

shutil.rmtree(work)
