#!/usr/bin/env python3
"""The HTML viewer at size (issue #28): audit result files for 1,000 repositories holding 100,000 findings
(places) are merged by `keygate report merge --format html`; the page is opened in headless Chromium
(tests/browser/cdp.py, the browser tests' client) and timed: until the page is ready and has drawn its
first frame, then each filter. Goals: open and interactive within 2 s, each filter within 100 ms, the
file under ~300 bytes per finding. Synthetic data (seeded): fake, redacted keys only.

    bench/html.py [--keygate build/keygate] [--repositories 1000] [--findings 100000] [--runs 3]
    bench/html.py --repositories 40 --findings 600 --runs 1 --screenshot docs/img/html-viewer-audit.png
"""
import argparse
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "browser"))
from cdp import Browser, open_report, assert_quiet  # noqa: E402

RULES = ["together-api-key", "aws-access-key-id", "aws-secret-access-key", "github-pat", "gitlab-pat",
         "slack-bot-token", "stripe-secret-key", "openai-api-key", "anthropic-api-key", "google-api-key",
         "private-key", "generic-password", "generic-api-key", "npm-token", "pypi-token", "sendgrid-api-key",
         "twilio-api-key", "azure-storage-key", "datadog-api-key", "huggingface-token"]
WORDS = ["src", "lib", "app", "config", "deploy", "scripts", "tests", "docs", "internal", "services", "api",
         "web", "cmd", "pkg", "tools", "infra", "charts", "settings", "env", "secrets", "utils", "core"]
EXTS = [".py", ".js", ".ts", ".go", ".yaml", ".json", ".env", ".toml", ".rb", ".java", ".tf", ".sh"]


def make_results(folder, repositories, findings, seed=28):
    """One keygate-incidents/1 result file per repository in `folder`; returns the number of places."""
    rng = random.Random(seed)
    key_id = "0123456789abcdef"
    authors = [f"Dev {n} <dev{n}@example.invalid>" for n in range(3000)]
    per_repo = {}
    incident_count = int(findings / 2.5)
    incidents = []
    for n in range(incident_count):
        rule = rng.choice(RULES)
        tail = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789") for _ in range(4))
        incidents.append({
            "id": hashlib.sha256(f"bench-{seed}-{n}".encode()).hexdigest(),
            "rule": rule, "description": rule.replace("-", " ").capitalize(),
            "confidence": rng.choices(["high", "medium", "low"], [6, 3, 1])[0],
            "verification": rng.choices(["live", "dead", "unknown: timeout", ""], [1, 3, 1, 5])[0],
            "identity": {}, "redacted": rule.split("-")[0][:4] + "_\u2026" + tail,
            "advice": f"Revoke the key in the {rule.split('-')[0]} console, then rotate it where it is used.",
            "triage": "", "places": []})
    home = [rng.randrange(repositories) for _ in incidents]
    commits = {r: [hashlib.sha1(f"{r}-{c}".encode()).hexdigest() for c in range(40)] for r in range(repositories)}
    for n in range(findings):
        i = n if n < len(incidents) else rng.randrange(len(incidents))
        incident = incidents[i]
        repo = home[i] if rng.random() < 0.8 else rng.randrange(repositories)
        depth = rng.randint(1, 4)
        path = "/".join(rng.choice(WORDS) for _ in range(depth)) + f"/file{rng.randrange(60)}" + rng.choice(EXTS)
        when = 1420070400 + rng.randrange(11 * 365 * 86400)
        date = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(when))
        place = {"repository": f"org{repo % 17}/service-{repo:04d}", "commit": rng.choice(commits[repo]),
                 "path": path, "line": rng.randint(1, 400), "column": rng.randint(1, 40), "date": date,
                 "author": rng.choice(authors),
                 "context": f'    {rng.choice(["API_KEY", "token", "secret", "password"])} = "{incident["redacted"]}"  # {rng.choice(WORDS)}',
                 "fingerprint": f"{incident['rule']}:{path}:{hashlib.sha1(f'{n}'.encode()).hexdigest()[:16]}"}
        per_repo.setdefault(repo, {}).setdefault(i, []).append(place)
    os.makedirs(folder, exist_ok=True)
    for repo in range(repositories):
        name = f"org{repo % 17}/service-{repo:04d}"
        rows = []
        for i, places in sorted(per_repo.get(repo, {}).items(), key=lambda kv: incidents[kv[0]]["id"]):
            places.sort(key=lambda p: (p["repository"], p["commit"], p["path"], p["line"], p["column"]))
            dates = sorted(p["date"] for p in places)
            row = dict(incidents[i], places=places)
            row["first_seen"], row["last_seen"] = dates[0].replace("+00:00", "Z"), dates[-1].replace("+00:00", "Z")
            rows.append(row)
        status = "failed" if repo % 250 == 7 else "ok"
        doc = {"schema": "keygate-incidents/1", "tool": "keygate bench", "generated": "2026-12-07T14:00:00Z",
               "key_id": key_id,
               "repositories": [{"name": name, "status": status, "error": "clone failed: bench" if status != "ok" else "",
                                 "commits": 40, "bytes": 123456, "refs": "0" * 64}],
               "incidents": rows}
        with open(os.path.join(folder, f"repo-{repo:04d}.json"), "w", encoding="utf-8") as out:
            json.dump(doc, out, ensure_ascii=False)
    return findings


def filter_ms(browser, script):
    """Milliseconds the page takes to apply a filter and draw the result (measured inside the page)."""
    return browser.js(f"""(() => {{ const t = performance.now(); {script};
        document.body.getBoundingClientRect(); return performance.now() - t; }})()""")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keygate", default=os.path.join(HERE, "..", "build", "keygate"))
    parser.add_argument("--repositories", type=int, default=1000)
    parser.add_argument("--findings", type=int, default=100000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--screenshot", help="save a screenshot of the page (after the first run) as this PNG")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="keygate-bench-html-")
    try:
        t = time.time()
        make_results(os.path.join(work, "results"), args.repositories, args.findings)
        made = time.time() - t
        t = time.time()
        page = os.path.join(work, "report.html")
        with open(page, "wb") as out:
            status = subprocess.run([args.keygate, "report", "--format", "html", "merge",
                                     os.path.join(work, "results")], stdout=out).returncode
        merge_s = time.time() - t
        if status not in (1, 2):
            raise SystemExit(f"report merge exited {status}")
        size = os.path.getsize(page)
        print(f"{args.findings} findings in {args.repositories} repositories (results made in {made:.1f} s); "
              f"report merge --format html: {merge_s:.2f} s, {size / 1e6:.1f} MB, {size / args.findings:.0f} bytes per finding")
        filters = {
            "rule": "const e = document.getElementById('f-rule'); e.selectedIndex = 3; e.dispatchEvent(new Event('change'))",
            "confidence: low off": "document.getElementById('f-conf-low').click()",
            "verification: dead off": "document.getElementById('f-ver-dead').click()",
            "repository": "const e = document.getElementById('f-repo'); e.selectedIndex = 5; e.dispatchEvent(new Event('change'))",
            "path 'deploy/'": "const e = document.getElementById('f-path'); e.value = 'deploy/'; e.dispatchEvent(new Event('input'))",
            "search 'dev42'": "const e = document.getElementById('f-search'); e.value = 'dev42'; e.dispatchEvent(new Event('input'))",
            "sort by places": "const e = document.getElementById('f-sort'); e.value = 'places'; e.dispatchEvent(new Event('change'))",
            "scroll to the end": "const l = document.getElementById('list'); l.scrollTop = l.scrollHeight; l.dispatchEvent(new Event('scroll'))",
        }
        worst = {}
        print(f"load average before the runs: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        for run in range(args.runs):
            with Browser() as b:
                url = open_report(b, page)
                deadline = time.time() + 10
                while b.js("window.keygateFirstFrameMs || 0") == 0 and time.time() < deadline:
                    time.sleep(0.01)
                ready, frame = b.js("[window.keygateReadyMs, window.keygateFirstFrameMs]")
                shown = b.js("document.getElementById('count').textContent")
                line = [f"run {run + 1}: ready {ready:.0f} ms, first frame {frame:.0f} ms ({shown})"]
                for name, script in filters.items():
                    ms = filter_ms(b, script)
                    worst[name] = max(worst.get(name, 0), ms)
                    line.append(f"{name} {ms:.0f}")
                worst["open"] = max(worst.get("open", 0), frame)
                assert_quiet(b, url)
                if args.screenshot and run == 0:
                    b.js("location.reload()")
                    open_report(b, page)
                    b.js("document.querySelectorAll('#spacer .row')[1].click()")
                    b.screenshot(args.screenshot)
                print(line[0] + "; filters (ms): " + ", ".join(line[1:]))
        print("worst of the runs: open " + f"{worst.pop('open'):.0f} ms; " +
              ", ".join(f"{k} {v:.0f} ms" for k, v in worst.items()))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
