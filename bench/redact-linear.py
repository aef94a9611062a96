#!/usr/bin/env python3
"""Time and peak memory of `keygate redact` on inputs of growing size (issue #23 item 10).

Three shapes, each at every size given (default 10, 100 and 1,000 MB):
  line   one line of words with no line end until the last byte
  jsonl  JSON Lines whose records are 8 MB each (a sensitive field and a long message per record)
  log    plain log lines of ~120 bytes
Each input holds a few fake keys made at run time. The output goes to /dev/null; the table gives wall time,
CPU time (user + system, which a busy machine does not inflate as it does wall time), MB per CPU second
and the peak RSS of the keygate process (/usr/bin/time): linear time shows as a flat MB/s column and bounded memory
as a flat RSS column.

  bench/redact-linear.py --keygate build/keygate [--sizes 10,100,1000] [--shapes line,jsonl,log]
                         [--baseline OLD_KEYGATE --baseline-max-mb 100]
"""
import argparse
import os
import random
import string
import subprocess
import sys
import tempfile
import time

MB = 1024 * 1024


def fake_key(rng):
    alphabet = string.ascii_letters + string.digits + "_-"
    return "tgp_" + "v1_" + "".join(rng.choice(alphabet) for _ in range(43))


def words(rng, n):
    vocabulary = ["".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(2, 9))) for _ in range(4000)]
    return " ".join(rng.choice(vocabulary) for _ in range(n))


def write_input(path, shape, size, rng):
    """Writes about `size` bytes of `shape` to `path`, from blocks repeated (generation must not dominate)."""
    text = words(random.Random(1), 30000)  # ~170 KB of words, the same at every size
    with open(path, "w") as f:
        written = 0
        if shape == "line":
            while written < size:
                piece = text + " TOGETHER_API_KEY=" + fake_key(rng) + " "
                f.write(piece)
                written += len(piece)
            f.write("\n")
        elif shape == "jsonl":
            record_size = 8 * MB
            n = 0
            while written < size:
                n += 1
                content = (text + " ") * max(1, min(record_size, size - written) // (len(text) + 1))
                record = '{"id": %d, "system_prompt": "%s", "messages": [{"role": "user", "content": "%s key %s"}]}\n' % (
                    n, text[:2000], content, fake_key(rng))
                f.write(record)
                written += len(record)
        else:
            lines = []
            for i in range(20000):
                tail = "TOGETHER_API_KEY=" + fake_key(rng) if i % 5000 == 0 else text[i % 1000: i % 1000 + 60]
                lines.append("2026-12-07T11:%02d:%02dZ INFO req=%d user=u%d path=/v1/chat took=%dms %s\n" % (
                    i % 60, i % 60, i, i % 97, i % 300, tail))
            block = "".join(lines)
            while written < size:
                f.write(block)
                written += len(block)


def run(keygate, path):
    """Wall seconds, CPU seconds (user + system) and peak RSS (MB) of `keygate redact path > /dev/null`.

    Measured by /usr/bin/time: a child forked from this Python process would report Python's RSS at the
    fork as its own peak (the kernel keeps the high-water mark across exec)."""
    with tempfile.NamedTemporaryFile("r") as report, open(os.devnull, "wb") as null:
        start = time.monotonic()
        status = subprocess.call(["/usr/bin/time", "-o", report.name, "-f", "%U %S %M", keygate, "redact", path],
                                 stdout=null, stderr=subprocess.DEVNULL)
        seconds = time.monotonic() - start
        user, system, rss_kb = report.read().split()[-3:]
    if status not in (0, 1):
        sys.exit("keygate redact %s: exit status %d" % (path, status))
    return seconds, float(user) + float(system), int(rss_kb) / 1024.0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--keygate", default="build/keygate")
    parser.add_argument("--sizes", default="10,100,1000", help="input sizes in MB")
    parser.add_argument("--shapes", default="line,jsonl,log")
    parser.add_argument("--baseline", help="another keygate binary to measure beside it (e.g. main's)")
    parser.add_argument("--baseline-max-mb", type=int, default=100, help="sizes above this skip the baseline")
    parser.add_argument("--dir", default=None, help="where the inputs are written (default: a temp dir)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print("| input | size | wall | CPU | MB/s (CPU) | peak RSS |" +
          (" baseline CPU | baseline RSS |" if args.baseline else ""))
    print("| --- | ---: | ---: | ---: | ---: | ---: |" + (" ---: | ---: |" if args.baseline else ""))
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        for shape in args.shapes.split(","):
            for size in sizes:
                path = os.path.join(tmp, "%s-%d.%s" % (shape, size, "jsonl" if shape == "jsonl" else "log"))
                write_input(path, shape, size * MB, random.Random(size))
                actual = os.path.getsize(path) / MB
                wall, cpu, rss = run(args.keygate, path)
                row = "| %s | %d MB | %.1f s | %.1f s | %.1f | %.0f MB |" % (
                    shape, size, wall, cpu, actual / max(cpu, 0.001), rss)
                if args.baseline:
                    if size <= args.baseline_max_mb:
                        _, b_cpu, b_rss = run(args.baseline, path)
                        row += " %.1f s | %.0f MB |" % (b_cpu, b_rss)
                    else:
                        row += " - | - |"
                print(row, flush=True)
                os.unlink(path)


if __name__ == "__main__":
    main()
