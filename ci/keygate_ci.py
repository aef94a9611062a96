#!/usr/bin/env python3
# This file implements keygate's CI integrations (action.yml for GitHub Actions, ci/gitlab/keygate.gitlab-ci.yml
# for GitLab CI): it works out which commits the push, pull request or pipeline adds, runs `keygate history`
# over them, writes the report (SARIF or GitLab's secret detection format) and decides the job's result.
#
#   keygate_ci.py github|gitlab   (settings come from the CI's environment; see --help)
"""Scan what a CI event adds with keygate.

GitHub (GITHUB_EVENT_NAME, GITHUB_EVENT_PATH, GITHUB_OUTPUT) and GitLab (CI_PIPELINE_SOURCE,
CI_COMMIT_SHA, CI_COMMIT_BEFORE_SHA, CI_MERGE_REQUEST_DIFF_BASE_SHA, CI_DEFAULT_BRANCH) describe the event;
these settings apply to both (INPUT_* as GitHub passes an action's inputs, KEYGATE_* for GitLab):
  KEYGATE                       the keygate binary (default: keygate on PATH)
  INPUT_CONFIG / KEYGATE_CONFIG         --config FILE
  INPUT_BASELINE / KEYGATE_BASELINE     --baseline FILE
  INPUT_FAIL_ON_FINDINGS / KEYGATE_FAIL_ON_FINDINGS   true (default) or false
  INPUT_FULL_HISTORY / KEYGATE_FULL_HISTORY           true: scan every commit, whatever the event
  INPUT_PATHS / KEYGATE_PATHS   files or directories (space-separated) to scan in the checked-out tree
                                instead of the history (keygate scan)
  INPUT_REPORT / KEYGATE_REPORT where to write the report (default keygate.sarif / gl-secret-detection-report.json)
  KEYGATE_DEFER_FAILURE=1       exit 0 and leave the verdict in GITHUB_OUTPUT (failed=true), so that a later
                                step can upload the report first
Exit status: 0 clean (or findings allowed), 1 findings, 2 keygate could not finish: any exit of keygate other
than 0 and 1 (killed by a signal, out of memory, not found) fails the job, and so does a keygate binary inside
the checkout being scanned (a merge request could have put it there).
"""
import json
import os
import shutil
import subprocess
import sys

ZERO_SHA = "0" * 40


def setting(name, default=""):
    """An input: GitHub's INPUT_NAME, else KEYGATE_NAME, else the default."""
    for key in ("INPUT_" + name, "INPUT_" + name.replace("_", "-"), "KEYGATE_" + name):
        value = os.environ.get(key, "").strip()
        if value:
            return value
    return default


def truthy(value):
    return value.lower() in ("1", "true", "yes", "on")


def git(*args):
    return subprocess.run(["git", *args], capture_output=True, text=True)


def has_commit(sha):
    return bool(sha) and sha != ZERO_SHA and git("cat-file", "-e", sha + "^{commit}").returncode == 0


def ref_exists(ref):
    return git("rev-parse", "--verify", "--quiet", ref + "^{commit}").returncode == 0


def new_branch_range(tip, default_branch, branch):
    """What a new branch adds: its commits that the default branch does not have; all of them when there
    is no default branch to compare with (the repository's first push)."""
    if default_branch and default_branch != branch:
        for ref in ("refs/remotes/origin/" + default_branch, "refs/heads/" + default_branch):
            if ref_exists(ref):
                return [tip, "^" + ref], "new branch: commits not on " + default_branch
    return [tip], "new branch without a default branch to compare: its whole history"


def github_range():
    """(revisions, why) for keygate history; revisions None: nothing to scan."""
    event_name = os.environ.get("GITHUB_EVENT_NAME", "")
    event = {}
    path = os.environ.get("GITHUB_EVENT_PATH", "")
    if path:
        with open(path, encoding="utf-8") as f:
            event = json.load(f)
    if event_name in ("pull_request", "pull_request_target"):
        pr = event["pull_request"]
        base, head = pr["base"]["sha"], pr["head"]["sha"]
        if has_commit(base):
            return [head, "^" + base], "pull request: %s..%s" % (base[:12], head[:12])
        return [head], "pull request whose base is not fetched (use fetch-depth: 0): the head's whole history"
    if event_name == "push":
        if event.get("deleted"):
            return None, "branch deleted: nothing added"
        after, before = event["after"], event.get("before", ZERO_SHA)
        branch = event.get("ref", "").removeprefix("refs/heads/")
        default_branch = (event.get("repository") or {}).get("default_branch", "")
        if event.get("created") or before == ZERO_SHA:
            return new_branch_range(after, default_branch, branch)
        if has_commit(before):
            why = "forced push: commits not reachable from the old tip" if event.get("forced") else "push"
            return [after, "^" + before], "%s: %s..%s" % (why, before[:12], after[:12])
        # A forced push whose old tip is gone from this clone: judge the branch as if it were new.
        revisions, why = new_branch_range(after, default_branch, branch)
        return revisions, "push whose old tip %s is not in this clone; %s" % (before[:12], why)
    return ["HEAD"], "%s event: the whole history of HEAD" % (event_name or "unknown")


def gitlab_range():
    head = os.environ.get("CI_COMMIT_SHA", "HEAD")
    base = os.environ.get("CI_MERGE_REQUEST_DIFF_BASE_SHA", "")
    if base:
        if has_commit(base):
            return [head, "^" + base], "merge request: %s..%s" % (base[:12], head[:12])
        return [head], "merge request whose base is not fetched (set GIT_DEPTH: 0): the whole history"
    before = os.environ.get("CI_COMMIT_BEFORE_SHA", ZERO_SHA)
    branch = os.environ.get("CI_COMMIT_BRANCH", "")
    default_branch = os.environ.get("CI_DEFAULT_BRANCH", "")
    if before == ZERO_SHA or not before:
        return new_branch_range(head, default_branch, branch)
    if has_commit(before):
        return [head, "^" + before], "push: %s..%s" % (before[:12], head[:12])
    revisions, why = new_branch_range(head, default_branch, branch)
    return revisions, "push whose old tip %s is not in this clone; %s" % (before[:12], why)


def run(argv, **kwargs):
    """keygate's exit status: 0 clean, 1 findings, and 2 for anything else: a signal (a negative status from
    subprocess), an unknown status, or a binary that cannot be started. Only 0 may pass a job."""
    try:
        status = subprocess.run(argv, **kwargs).returncode
    except OSError as e:
        print("keygate: cannot run %s: %s" % (argv[0], e), file=sys.stderr)
        return 2
    if status < 0:
        print("keygate: %s was killed by signal %d" % (argv[0], -status), file=sys.stderr)
    elif status not in (0, 1):
        print("keygate: %s exited with status %d" % (argv[0], status), file=sys.stderr)
    return status if status in (0, 1) else 2


def inside_checkout(keygate):
    """True iff the keygate binary (a path, or a name on PATH) lies in the work tree being scanned: code the
    scanned commits can provide is never run."""
    found = shutil.which(keygate) or keygate
    tree = git("rev-parse", "--show-toplevel")
    roots = [os.getcwd()] + ([tree.stdout.strip()] if tree.returncode == 0 and tree.stdout.strip() else [])
    path = os.path.realpath(found)
    return any(path == r or path.startswith(r.rstrip(os.sep) + os.sep) for r in map(os.path.realpath, roots))


def write_output(**values):
    path = os.environ.get("GITHUB_OUTPUT", "")
    if not path:
        return
    with open(path, "a", encoding="utf-8") as f:
        for key, value in values.items():
            f.write("%s=%s\n" % (key, value))


def main(argv):
    if len(argv) != 2 or argv[1] not in ("github", "gitlab"):
        print(__doc__, file=sys.stderr if len(argv) != 2 or argv[1] not in ("-h", "--help") else sys.stdout)
        return 0 if len(argv) == 2 and argv[1] in ("-h", "--help") else 2
    ci = argv[1]
    keygate = os.environ.get("KEYGATE", "keygate")
    if inside_checkout(keygate):
        print("keygate: refusing to run %s: it is inside the checkout being scanned" % keygate, file=sys.stderr)
        write_output(findings="false", failed="true")
        return 0 if os.environ.get("KEYGATE_DEFER_FAILURE") == "1" else 2
    report_format = "sarif" if ci == "github" else "gitlab"
    report = setting("REPORT", "keygate.sarif" if ci == "github" else "gl-secret-detection-report.json")
    options = []
    if setting("CONFIG"):
        options += ["--config", setting("CONFIG")]
    if setting("BASELINE"):
        options += ["--baseline", setting("BASELINE")]

    paths = setting("PATHS").split()
    if paths:
        command, revisions, why = "scan", paths, "paths: " + " ".join(paths)
    elif truthy(setting("FULL_HISTORY", "false")):
        command, revisions, why = "history", ["HEAD"], "full history on demand"
    else:
        command = "history"
        revisions, why = github_range() if ci == "github" else gitlab_range()
    print("keygate: " + why, flush=True)
    write_output(range=" ".join(revisions or []), report=report)
    if revisions is None:
        revisions = []
        command = None

    # A report never half-written: the file appears complete (keygate exited 0 or 1) or not at all.
    with open(report + ".tmp", "w", encoding="utf-8") as f:
        if command is None:  # an empty report keeps the upload step simple
            status = run([keygate, "scan", "--format", report_format, "-"], stdin=subprocess.DEVNULL, stdout=f)
            status = 2 if status != 0 else 0
        else:
            status = run([keygate, command, "--format", report_format, *options, "--", *revisions]
                         if command == "scan" else
                         [keygate, command, "--format", report_format, *options, *revisions], stdout=f)
    if status == 2:
        os.remove(report + ".tmp")
    else:
        os.replace(report + ".tmp", report)
    if status == 1:  # the findings, readable in the job log (redacted)
        run([keygate, command, "--color", "always", *options, *(["--"] if command == "scan" else []), *revisions])
    fail_on_findings = truthy(setting("FAIL_ON_FINDINGS", "true"))
    result = status if status == 2 or (status == 1 and fail_on_findings) else 0
    write_output(findings="true" if status == 1 else "false", failed="true" if result else "false")
    if status == 2:
        print("keygate: the scan could not finish (see above)", file=sys.stderr)
    elif status == 1 and not fail_on_findings:
        print("keygate: findings reported; fail-on-findings is off")
    return 0 if os.environ.get("KEYGATE_DEFER_FAILURE") == "1" else result


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except Exception as e:  # an event this script cannot read, a report it cannot write: never a pass
        print("keygate: %s: %s" % (type(e).__name__, e), file=sys.stderr)
        write_output(failed="true")
        sys.exit(2)
