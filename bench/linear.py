#!/usr/bin/env python3
"""Linear time and bounded memory of `keygate scan` (issue #23 item 10): time and peak RSS on inputs of
10, 100 and 1,000 MB of five shapes, each written to a temporary directory and scanned as one file.

usage: bench/linear.py [--keygate BIN] [--sizes 10,100,1000] [--shapes token,tokens,lines,base64,pairs] [--dir DIR]

  token    one line that is one token (a random base62 string with a credential name in front)
  tokens   one line of many tokens: credential names (`api_key_length=<random> password=$VAR`), no finding
  lines    many short lines of code naming keys (`api_key_length = len(<random>)  # ...`), no finding
  base64   base64 of random words, wrapped at 76 columns, no two megabytes alike (decodable junk)
  pairs    one line of `{"key":"password","type":"text"},` pairs, no value: no finding

Each input is scanned once with --jobs 1 (a fresh child each, so peak RSS is that run's own). The table
gives wall and CPU seconds (CPU time is what to compare on a shared machine), MB per CPU second and peak RSS
in MB; time should grow with the size (constant MB per second), peak RSS not."""
import argparse, base64, os, random, resource, shutil, subprocess, sys, tempfile, time

here = os.path.dirname(os.path.abspath(__file__))
ap = argparse.ArgumentParser()
ap.add_argument("--keygate", default=os.path.join(here, "..", "build", "keygate"))
ap.add_argument("--sizes", default="10,100,1000", help="MB, comma-separated")
ap.add_argument("--shapes", default="token,tokens,lines,base64,pairs")
ap.add_argument("--dir", help="where the inputs are written (default: a temporary directory, removed)")
ap.add_argument("--args", default="", help="extra arguments to `keygate scan`, space-separated")
a = ap.parse_args()

ALNUM = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
rng = random.Random(23)


def random_block(n):
    """n bytes of base62, made once and repeated with a shift so that writing 1 GB stays fast."""
    return bytes(ALNUM[b % 62] for b in rng.randbytes(n))


def write(path, shape, size):
    block = random_block(1 << 20)
    with open(path, "wb") as f:
        written = 0

        def put(b):
            nonlocal written
            f.write(b)
            written += len(b)

        if shape == "token":
            put(b"secret_token=")
            i = 0
            while written < size:
                put(block[i % 977:] + block[: i % 977])
                i += 1
            put(b"\n")
        elif shape == "tokens":
            # Credential names (a window at each), no finding: findings are kept for the report (about
            # 1 KB each), and this measures the scan, not the report.
            parts = []
            for i in range(0, len(block) - 40, 40):
                parts.append(b"api_key_length=" + block[i : i + 30] + b" password=$PASSWORD_" + block[i + 30 : i + 36])
            chunk = b" ".join(parts) + b" "
            while written < size:
                put(chunk)
            put(b"\n")
        elif shape == "lines":
            name = b"api_" + b"key"
            lines = b"".join(
                b"    " + name + b"_length = len(" + block[i : i + 20] + b")  # checked: " + block[i + 20 : i + 40] + b"\n"
                for i in range(0, len(block) - 40, 40)
            )
            while written < size:
                put(lines)
        elif shape == "pairs":
            # One minified line of Postman-style name/value pairs whose value is never a literal: each
            # pair's `value` is looked for beside its name only (issue #24), not to the line's end.
            chunk = b'{"key":"password","type":"text"},' * 1024
            put(b"[")
            while written < size:
                put(chunk)
            put(b"]\n")
        elif shape == "base64":
            text = b" ".join(block[i : i + 8] for i in range(0, len(block) - 8, 9)) + b"\n"
            i = 0
            while written < size:  # each megabyte different (a counter in front), as base64(1) writes it
                put(base64.encodebytes(b"%d " % i + text))
                i += 1
        else:
            sys.exit(f"unknown shape {shape}")


def run(path):
    cmd = [os.path.abspath(a.keygate), "scan", "--jobs", "1", "--format", "json", *a.args.split(), path]
    # A fresh python child per run: RUSAGE_CHILDREN of that child is keygate's own peak.
    probe = (
        "import resource, subprocess, sys, time\n"
        "t = time.monotonic()\n"
        "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n"
        "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(r.returncode, time.monotonic() - t, u.ru_utime + u.ru_stime, u.ru_maxrss // 1024)\n"
        "sys.stderr.write(r.stderr.decode(errors='replace')[-300:])\n"
    )
    out = subprocess.run([sys.executable, "-c", probe, *cmd], capture_output=True, text=True)
    rc, secs, cpu, mb = out.stdout.split()
    return int(rc), float(secs), float(cpu), int(mb), out.stderr.strip()


root = a.dir or tempfile.mkdtemp(prefix="keygate-linear-")
os.makedirs(root, exist_ok=True)
try:
    print("| input | MB | exit | wall s | CPU s | MB per CPU s | peak RSS MB |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for shape in a.shapes.split(","):
        for mb in (int(s) for s in a.sizes.split(",")):
            path = os.path.join(root, f"{shape}-{mb}.txt")
            write(path, shape, mb << 20)
            rc, secs, cpu, peak, err = run(path)
            os.remove(path)
            print(f"| {shape} | {mb} | {rc} | {secs:.1f} | {cpu:.1f} | {mb / cpu:.1f} | {peak} |", flush=True)
            if err:
                print(f"  stderr: {err.splitlines()[-1]}", file=sys.stderr)
finally:
    if not a.dir:
        shutil.rmtree(root, ignore_errors=True)
