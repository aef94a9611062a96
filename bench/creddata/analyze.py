#!/usr/bin/env python3
"""Group the misses and false positives of a score.py run by the shape of their lines.

usage: bench/creddata/analyze.py [--dir DIR] [--run defaults] [--low low] [--top 15] [--examples 3] [--split dev]

Reads DIR/results/<run>.json (and <low>.json, a run with --min-confidence low, to say which rule would have
fired) and the benchmark files, and prints, for the biggest groups of missed T labels and of false
positives: count, CredData category, file type, the name the value is assigned to, and a few line shapes
with the value replaced by <VALUE:length class>. Other long tokens of letters and digits on the line become <TOK:length>. Values
are never printed (T values in the benchmark are fakes anyway).
"""
import argparse, json, os, re, signal
from collections import Counter, defaultdict

UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
NAME_BEFORE = re.compile(r"([A-Za-z_$@][A-Za-z0-9_.$-]*)[\"'`\]]*\s*(?:=>|:=|==|=|:|,|\(|\s)\s*[\"'`(\[]*\s*$")
LONGTOK = re.compile(r"(?=[A-Za-z0-9+/=_-]*[0-9])(?=[A-Za-z0-9+/=_-]*[A-Za-z])[A-Za-z0-9+/=_-]{20,}")


def value_class(v):
    if not v:
        return "empty"
    if UUID.match(v):
        return "uuid"
    if re.fullmatch(r"[0-9a-f]+", v) or re.fullmatch(r"[0-9A-F]+", v):
        return "hex"
    if v.isdigit():
        return "digits"
    if re.fullmatch(r"[a-z]+", v):
        return "lower"
    if re.fullmatch(r"[A-Za-z]+", v):
        return "alpha"
    if re.fullmatch(r"[A-Za-z0-9]+", v):
        return "alnum"
    if re.fullmatch(r"[A-Za-z0-9+/]+=*", v):
        return "base64"
    if re.fullmatch(r"[A-Za-z0-9_-]+", v):
        return "alnum_-"
    if re.fullmatch(r"[A-Za-z0-9._-]+\.[A-Za-z0-9._-]+\.[A-Za-z0-9._-]+", v) and v.startswith("eyJ"):
        return "jwt"
    return "mixed"


def name_class(name):
    n = name.lower()
    for word, cls in (("passw", "password"), ("passwd", "password"), ("pwd", "password"), ("pass", "pass"),
                      ("secret", "secret"), ("token", "token"), ("bearer", "bearer"), ("auth", "auth"),
                      ("apikey", "apikey"), ("api_key", "apikey"), ("api-key", "apikey"), ("key", "key"),
                      ("nonce", "nonce"), ("salt", "salt"), ("uuid", "uuid"), ("guid", "uuid"),
                      ("id", "id"), ("cred", "credential")):
        if word in n:
            return cls
    return "other"


def shape(line, vs, ve, maxlen=110):
    if 0 <= vs < ve <= len(line):
        v = line[vs:ve]
        tpl = line[:vs] + "\0" + line[ve:]
        cls = f"<VALUE:{len(v)} {value_class(v)}>"
    else:
        tpl, cls = line, None
    tpl = LONGTOK.sub(lambda m: f"<TOK:{len(m.group())}>", tpl.strip())
    if cls:
        tpl = tpl.replace("\0", cls)
    if len(tpl) > maxlen:
        i = tpl.find("<VALUE")
        start = max(0, min(i - maxlen // 2, len(tpl) - maxlen)) if i >= 0 else 0
        tpl = ("…" if start else "") + tpl[start:start + maxlen] + ("…" if start + maxlen < len(tpl) else "")
    return tpl


def syntax(line, vs, ve):
    """The punctuation around the value: `= "V"`, `: V`, `"k": "V"`, `//u:V@` ..."""
    if not (0 <= vs < ve <= len(line)):
        return "whole-line"
    before = re.sub(r"[A-Za-z0-9_$.-]+", "a", line[max(0, vs - 12):vs])[-6:]
    after = re.sub(r"[A-Za-z0-9_$.-]+", "a", line[ve:ve + 6])[:3]
    return (before + "V" + after).replace(" ", "␣")


def ext_of(path):
    e = os.path.splitext(path)[1]
    return e or "(none)"


def main():
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", default=os.environ.get("KEYGATE_CREDDATA_DIR") or "/work/creddata-cache")
    ap.add_argument("--run", default="defaults")
    ap.add_argument("--low", default="low")
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--examples", type=int, default=3)
    ap.add_argument("--split", choices=("dev", "val", "all"), default="dev")
    ap.add_argument("--by", default="category,ext,name,syntax",
                    help="grouping fields among category, ext, name, syntax, vclass, lowrule, scope")
    a = ap.parse_args()
    res = json.load(open(os.path.join(a.dir, "results", a.run + ".json")))
    low = {}
    lowpath = os.path.join(a.dir, "results", a.low + ".json")
    if os.path.isfile(lowpath):
        lr = json.load(open(lowpath))
        for t in lr.get("true_positives", []) + lr.get("false_positives", []):
            low[(t["path"], t["label_id"])] = f"{t['rule']}/{t['confidence']}"
    files = {}

    def line_of(path, n):
        if path not in files:
            files[path] = open(os.path.join(a.dir, "bench", "data", path), encoding="utf-8",
                               errors="replace").read().split("\n")
        ls = files[path]
        return ls[n - 1] if 1 <= n <= len(ls) else ""

    fields = a.by.split(",")
    for title, items in (("MISSED T labels", res["misses"]), ("FALSE POSITIVES", res["false_positives"])):
        items = [x for x in items if a.split == "all" or x["split"] == a.split]
        groups = defaultdict(list)
        for x in items:
            line = line_of(x["path"], x["line"])
            vs, ve = x["value_start"], x["value_end"]
            if x["line_end"] != x["line"]:
                ve = -1
            m = NAME_BEFORE.search(line[:vs]) if vs > 0 else None
            name = m.group(1) if m else ""
            props = {"category": x["category"], "ext": ext_of(x["path"]), "name": name_class(name),
                     "syntax": syntax(line, vs, ve),
                     "vclass": value_class(line[vs:ve]) if 0 <= vs < ve else "?",
                     "lowrule": low.get((x["path"], x["label_id"]), x.get("rule", "-") if "rule" in x else "-"),
                     "scope": "/".join(x["path"].split("/")[1:-1])}
            if title.startswith("FALSE"):
                props["lowrule"] = f"{x['rule']}/{x['confidence']}"
            groups[tuple(props[f] for f in fields)].append((x, line, name, props))
        print(f"\n=== {title} ({a.split}): {len(items)}, top {a.top} groups by {a.by}")
        for key, members in sorted(groups.items(), key=lambda kv: -len(kv[1]))[:a.top]:
            names = Counter(m[2] for m in members).most_common(4)
            lowr = Counter(m[3]["lowrule"] for m in members).most_common(3)
            exts = Counter(m[3]["ext"] for m in members).most_common(3)
            vcl = Counter(m[3]["vclass"] for m in members).most_common(3)
            print(f"\n[{len(members)}] " + " | ".join(map(str, key)))
            print(f"   names: {names}   value: {vcl}   ext: {exts}")
            print(f"   at low confidence: {lowr}")
            shown = set()
            for x, line, name, props in members:
                s = shape(line, x["value_start"], x["value_end"] if x["line_end"] == x["line"] else -1)
                if s in shown:
                    continue
                shown.add(s)
                print(f"   {x['path'][:9]}…{ext_of(x['path'])}:{x['line']}  {s}")
                if len(shown) >= a.examples:
                    break


if __name__ == "__main__":
    main()
