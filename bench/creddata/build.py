#!/usr/bin/env python3
"""Build keygate's development benchmark from Samsung's CredData (labels) and mirrors of its repositories.

usage: bench/creddata/build.py [--out DIR] [--mirrors DIR] [--creddata GITDIR] [--heldout FILE] [--seed N]

Reads, from the bare git mirror of Samsung/CredData (the `fetch` tool's github:Samsung/CredData):
  snapshot.json  {"<40-hex commit><hex padding to 64>": "https://github.com/org/repo", ...}
  meta/<id>.csv  the labels of one repository; <id> is crc32 of the unhexlified 64-hex snapshot key, as 8 hex
                 digits. Columns: Id, FileID, Domain, RepoName, FilePath, LineStart, LineEnd, GroundTruth
                 (T, F or X), ValueStart, ValueEnd, CryptographyKey, PredefinedPattern, Category
                 ("A:B" = the value matches rules A and B).
  word_in_path.json (not needed: FilePath already holds the directory "scope" CredData derives from it)
and, for every repository that is NOT held out, the mirror <mirrors>/<org>+<repo>/repo (bare, or a .git
inside it). Each labelled file is taken from the commit the snapshot key names (its first 40 hex digits):
CredData names a file data/<id>/<scope>/<FileID><ext>, FileID being the first 8 hex digits of sha256 of its
path in the repository, so every path of the commit's tree is hashed to find it.

HELD-OUT RULE: the repositories listed in shared/benchmarks/creddata-heldout.txt are judged on, never
developed on. They are dropped by name from snapshot.json before anything else: their meta CSV is never
opened and their mirror never read. The script refuses to run without that list.

What is written (default $KEYGATE_CREDDATA_DIR, else /work/creddata-cache), nothing of it into the repo:
  bench/data/<id>/<scope>/<FileID><ext>  the files, as CredData lays them out, so the labels' FilePath
                  (minus "data/") is the path under bench/. As CredData does, a file is decoded as UTF-8
                  (Latin-1 when that fails; counted) and its line ends are made "\n", so line numbers are
                  CredData's.
  bench/labels.jsonl  one JSON object per label (no values): repo, split, path, line_start, line_end,
                  value_start, value_end, truth, category, file_id.
  bench/manifest.json what was built and what could not be, with reasons, per repository.

T values are replaced by same-shape fakes (F and X values, placeholders by label, are kept as they are):
  - each uppercase ASCII letter becomes a random uppercase letter, lowercase -> lowercase, digit -> digit
    (in a value whose letters and digits are all hex digits, a UUID or a hex key, letters stay hex: a-f);
    every other character is kept (so length, punctuation, separators and non-ASCII bytes are unchanged and
    the label's positions still hold); a character after a backslash and the two hex digits of a %XX escape
    are kept too, so escapes stay escapes.
  - a well-known provider prefix at the start of the value is kept: the longest of (a) a literal prefix
    taken from the regexes of patterns.toml (a literal run of [A-Za-z0-9_-] right before a character class,
    e.g. tgp_v1_, ghp_, AIza, xox, glpat-, eyJ (in a JWT, at every segment), and each upper-case member
    of an alternation before a class, (?:AKIA|ASIA|...)[A-Z2-7]; a long all-lowercase word such as "together" or
    "password" is a name, not a prefix, and is not taken), and (b) the characters up to and including the
    first "_" or "-" when they are a letter and 1-6 letters/digits (sk-, xoxb-, glpat-, shpat_, npm_).
  - single-line labels: the span ValueStart..ValueEnd. Multi-line labels (a PEM key, "AWS Multi", ...):
    ValueStart is on LineStart and ValueEnd on LineEnd; every run of 16+ base64 characters on the lines
    between them is faked; on LineStart and LineEnd the token at ValueStart / ending at ValueEnd is faked.
  - PEM armour ("-----BEGIN RSA PRIVATE KEY-----") is never faked, in any label.
  - a base64 value that decodes to a PEM key or to DER (30 82 ...) is faked inside and encoded again
    (same length): the PEM body / the DER bytes after the first 32 are randomised, so the encoded key
    still decodes to a key-shaped thing as the original did.
  - a T label without value positions (should not happen; counted): the line's longest run of 8+
    characters of [A-Za-z0-9+/=_.-] after its first "=" or ":" (else anywhere on the line) is faked.
  The generator is seeded by --seed and the label's repository, file and line, so a rebuild is identical.

Split: each repository goes to "val" when sha256("keygate-creddata-split:" + lowercase name) read as a
number is 0-19 modulo 100, else to "dev" (about 80/20, stable when repositories are added or missing).
"""
import argparse, base64, binascii, csv, hashlib, io, json, os, random, re, shutil, subprocess, sys
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
VAL_PERCENT = 20


def split_of(name):
    h = int(hashlib.sha256(("keygate-creddata-split:" + name.lower()).encode()).hexdigest(), 16)
    return "val" if h % 100 < VAL_PERCENT else "dev"


def cache_dir():
    return os.environ.get("KEYGATE_CREDDATA_DIR") or "/work/creddata-cache"


def find_heldout(explicit):
    cands = [explicit, os.environ.get("KEYGATE_CREDDATA_HELDOUT")]
    cands.append(os.path.join(ROOT, "..", "shared", "benchmarks", "creddata-heldout.txt"))
    try:  # a git worktree: the main checkout sits beside shared/
        common = subprocess.run(["git", "-C", ROOT, "rev-parse", "--path-format=absolute", "--git-common-dir"],
                                capture_output=True, text=True).stdout.strip()
        if common:
            cands.append(os.path.join(os.path.dirname(os.path.dirname(common)), "shared", "benchmarks",
                                      "creddata-heldout.txt"))
    except OSError:
        pass
    cands.append("/work/shared/benchmarks/creddata-heldout.txt")
    for c in cands:
        if c and os.path.isfile(c):
            return c
    sys.exit("build.py: the held-out list (shared/benchmarks/creddata-heldout.txt) was not found; "
             "pass --heldout FILE. Refusing to build without it.")


def read_heldout(path):
    names = set()
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if line and not line.startswith("#"):
            names.add(line.lower())
    if not names:
        sys.exit(f"build.py: {path} lists no repository; refusing to build")
    return names


def repo_name(url):
    name = url.strip().rstrip("/")
    for p in ("https://github.com/", "http://github.com/"):
        if name.startswith(p):
            name = name[len(p):]
    if name.endswith(".git"):
        name = name[:-4]
    return name


def meta_id(snapshot_key):
    return f"{binascii.crc32(binascii.unhexlify(snapshot_key)):08x}"


def git(gitdir, *args, check=True):
    r = subprocess.run(["git", "--git-dir", gitdir, *args], capture_output=True)
    if check and r.returncode:
        raise RuntimeError(f"git {' '.join(args)}: {r.stderr.decode(errors='replace').strip()}")
    return r


def mirror_gitdir(mirrors, name):
    base = os.path.join(mirrors, name.replace("/", "+"), "repo")
    for d in (os.path.join(base, ".git"), base):
        if os.path.isfile(os.path.join(d, "HEAD")):
            return d
    return None


class Blobs:
    """`git cat-file --batch` on one repository."""

    def __init__(self, gitdir):
        self.p = subprocess.Popen(["git", "--git-dir", gitdir, "cat-file", "--batch"],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def get(self, spec):
        self.p.stdin.write(spec.encode() + b"\n")
        self.p.stdin.flush()
        header = self.p.stdout.readline().split()
        if len(header) < 3 or header[1] == b"missing":
            return None
        size = int(header[2])
        data = self.p.stdout.read(size)
        self.p.stdout.read(1)
        return data

    def close(self):
        self.p.stdin.close()
        self.p.wait()


# ---------------------------------------------------------------------------------------------------------
# Same-shape fakes

UP, LO, DI = "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz", "0123456789"
SEP_PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9]{0,6}[_-]")


def provider_prefixes(patterns_path):
    """Literal value prefixes from the regexes of patterns.toml (see the module docstring)."""
    out = set()
    if not os.path.isfile(patterns_path):
        return out
    text = open(patterns_path, encoding="utf-8").read()
    for m in re.finditer(r"^regex\s*=\s*'''(.*?)'''", text, re.M | re.S):
        rx = m.group(1)
        for lit in re.finditer(r"(?<![\\A-Za-z0-9_\]\}\)*+?{])([A-Za-z0-9_-]{2,})(?=\[|\(\?:\[)", rx):
            s = lit.group(1)
            if s.islower() and s.isalpha() and len(s) > 4:
                continue  # a name ("together", "password"), not a prefix
            if len(s) < 3 or s.startswith("-") or not re.search(r"[A-Za-z]", s):
                continue  # "AA", "0x", "----": too short or not a prefix
            out.add(s)
        # An alternation of upper-case prefixes before the class, (?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]:
        # each member (AWS keys kept their AKIA only from this).
        for alt in re.finditer(r"\(\?:((?:[A-Za-z0-9_-]+\|)+[A-Za-z0-9_-]+(?:\[[^\]]*\])?)\)(?=\[)", rx):
            for member in alt.group(1).split("|"):
                lit = re.match(r"[A-Z0-9]*", member).group(0)
                if 3 <= len(lit) <= 6 and re.search(r"[A-Z]", lit) and lit == re.match(r"[A-Za-z0-9_-]+", member).group(0):
                    out.add(lit)
    return out


def keep_prefix_len(value, prefixes):
    n = 0
    for p in prefixes:
        if len(p) > n and value.startswith(p):
            n = len(p)
    m = SEP_PREFIX.match(value)
    if m and m.end() > n:
        n = m.end()
    return min(n, max(0, len(value) - 4))  # never keep a whole value


def fake_chars(chars, positions, rng, hexpos=()):
    """Fake chars[i] for i in positions, keeping escapes (the character after a backslash, %XX); a
    letter at a position in hexpos becomes a hex letter of the same case."""
    hexd = "0123456789abcdefABCDEF"
    n = len(chars)
    for i in sorted(set(positions)):
        c = chars[i]
        if i > 0 and chars[i - 1] == "\\":
            continue  # \n, \", \u ... stay escapes
        if i > 0 and chars[i - 1] == "%" and i + 1 < n and c in hexd and chars[i + 1] in hexd:
            continue
        if i > 1 and chars[i - 2] == "%" and chars[i - 1] in hexd and c in hexd:
            continue
        if "A" <= c <= "Z":
            chars[i] = rng.choice("ABCDEF" if i in hexpos else UP)
        elif "a" <= c <= "z":
            chars[i] = rng.choice("abcdef" if i in hexpos else LO)
        elif "0" <= c <= "9":
            chars[i] = rng.choice(DI)


def fake_encoded(value, rng):
    """A base64 value that encodes a PEM key or a DER structure is faked inside: the PEM body's base64, or
    the DER bytes after its first 32 (the ASN.1 header and algorithm), keeping the PEM armour; then encoded
    again with the same alphabet and padding, so the length is the same. None when the value is not that."""
    if len(value) < 40 or not re.fullmatch(r"[A-Za-z0-9+/_-]+=*", value):
        return None
    url = "-" in value or "_" in value
    body = value.rstrip("=")
    try:
        raw = (base64.urlsafe_b64decode if url else base64.b64decode)(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError):
        return None
    if b"-----BEGIN" in raw:
        text = list(raw.decode("latin-1"))
        joined = "".join(text)
        armour = [(m.start(), m.end()) for m in ARMOUR.finditer(joined)]
        pos = [i for m in B64RUN.finditer(joined) for i in range(m.start(), m.end())
               if not any(a <= i < b for a, b in armour)]
        fake_chars(text, pos, rng)
        new = "".join(text).encode("latin-1")
    elif raw[:2] == b"\x30\x82" and len(raw) > 64:
        new = raw[:32] + bytes(rng.randrange(256) for _ in range(len(raw) - 32))
    else:
        return None
    enc = (base64.urlsafe_b64encode if url else base64.b64encode)(new).decode()
    if not value.endswith("="):
        enc = enc.rstrip("=")
    return enc if len(enc) == len(value) else None


B64RUN = re.compile(r"(?<![\\A-Za-z0-9+/=])[A-Za-z0-9+/=]{16,}")
ARMOUR = re.compile(r"-----[A-Z0-9 ]*-----")
TOKEN = re.compile(r"[^\s\"'`,;<>(){}\[\]]+")
WHOLE_LINE_VALUE = re.compile(r"[A-Za-z0-9+/=_.-]{8,}")


class Faker:
    def __init__(self, seed, prefixes):
        self.seed = seed
        self.prefixes = prefixes

    def rng(self, *key):
        h = hashlib.sha256(("|".join(map(str, (self.seed,) + key))).encode()).digest()
        return random.Random(int.from_bytes(h[:8], "big"))

    def spans(self, hexset, line, start, end):
        self.hexpos = hexset
        return self.span_positions(line, start, end)

    def span_positions(self, line, start, end):
        """Positions of line[start:end] to fake, the provider prefix excluded."""
        start, end = max(0, start), min(len(line), end)
        if start >= end:
            return []
        value = line[start:end]
        keep = keep_prefix_len(value, self.prefixes)
        out = list(range(start + keep, end))
        alnum = [c for c in value[keep:] if c.isascii() and c.isalnum()]
        if alnum and all(c in "0123456789abcdefABCDEF" for c in alnum):
            self.hexpos.update(out)  # hex (a UUID, a hash-shaped key) stays hex
        if value.startswith("eyJ"):  # a JWT: every segment that opens with eyJ ({" in base64url) keeps it
            kept = {start + m.start() + k for m in re.finditer(r"(?:^|(?<=\.))eyJ", value) for k in range(3)}
            out = [i for i in out if i not in kept]
        return out

    def apply(self, lines, rows, key, stats):
        """Fake the T values of one file's rows in lines (a list of str) in place."""
        plan = defaultdict(set)  # line index -> positions
        hexplan = defaultdict(set)  # line index -> positions that stay hex
        subst = []  # (line index, start, end, new value): encoded keys faked inside
        for r in rows:
            if r["truth"] != "T":
                continue
            ls, le, vs, ve = r["line_start"], r["line_end"], r["value_start"], r["value_end"]
            if not (1 <= ls <= le <= len(lines)):
                stats["t_label_line_out_of_file"] += 1
                continue
            if ls == le:
                line = lines[ls - 1]
                if 0 <= vs < len(line):
                    if 0 <= vs < ve <= len(line):
                        end = ve
                        stats["t_faked_span"] += 1
                    else:
                        m = TOKEN.match(line, vs)
                        end = m.end() if m else len(line)
                        stats["t_faked_token_from_start"] += 1
                    enc = fake_encoded(line[vs:end], self.rng(*key, ls, vs, "encoded"))
                    if enc is not None:
                        subst.append((ls - 1, vs, end, enc))
                        stats["t_faked_inside_base64"] += 1
                    else:
                        plan[ls - 1].update(self.spans(hexplan[ls - 1], line, vs, end))
                else:
                    eq = re.search(r"[=:]", line)
                    best = None
                    for m in WHOLE_LINE_VALUE.finditer(line, eq.end() if eq else 0):
                        if best is None or len(m.group()) > len(best.group()):
                            best = m
                    if best is None and eq:
                        for m in WHOLE_LINE_VALUE.finditer(line):
                            if best is None or len(m.group()) > len(best.group()):
                                best = m
                    if best:
                        plan[ls - 1].update(self.spans(hexplan[ls - 1], line, best.start(), best.end()))
                    stats["t_no_positions_faked_longest_run"] += 1
                continue
            # multi-line
            stats["t_faked_multiline"] += 1
            first = lines[ls - 1]
            if 0 <= vs < len(first):
                m = TOKEN.match(first, vs)
                plan[ls - 1].update(self.spans(hexplan[ls - 1], first, vs, m.end() if m else len(first)))
            last = lines[le - 1]
            if 0 < ve <= len(last):
                s = ve
                while s > 0 and TOKEN.match(last[s - 1]):
                    s -= 1
                plan[le - 1].update(self.spans(hexplan[le - 1], last, s, ve))
            for i in range(ls - 1, le):
                line = lines[i]
                armour = [(m.start(), m.end()) for m in ARMOUR.finditer(line)]
                for m in B64RUN.finditer(line):
                    if i == ls - 1 and vs >= 0 and m.end() <= vs:
                        continue
                    if i == le - 1 and ve >= 0 and m.start() >= ve:
                        continue
                    if any(a <= m.start() < b for a, b in armour):
                        continue
                    plan[i].update(self.spans(hexplan[i], line, m.start(), m.end()))
        for i, start, end, value in subst:
            lines[i] = lines[i][:start] + value + lines[i][end:]
            plan[i].difference_update(range(start, end))
        for i, positions in plan.items():
            for m in ARMOUR.finditer(lines[i]):  # "-----BEGIN RSA PRIVATE KEY-----" stays as it is
                positions.difference_update(range(m.start(), m.end()))
            chars = list(lines[i])
            fake_chars(chars, sorted(positions), self.rng(*key, i + 1), hexplan.get(i, ()))
            lines[i] = "".join(chars)


# ---------------------------------------------------------------------------------------------------------

def read_meta_csv(text):
    rows = []
    for r in csv.DictReader(io.StringIO(text)):
        def num(k):
            v = (r.get(k) or "").strip()
            return int(v) if v else -1
        rows.append({
            "id": r.get("Id"), "file_id": r["FileID"], "path": r["FilePath"],
            "line_start": num("LineStart"), "line_end": num("LineEnd"),
            "value_start": num("ValueStart"), "value_end": num("ValueEnd"),
            "truth": r["GroundTruth"].strip(), "category": r["Category"].strip(),
        })
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=None, help="cache dir (default $KEYGATE_CREDDATA_DIR or /work/creddata-cache)")
    ap.add_argument("--mirrors", default="/work/.mirror", help="where the fetched mirrors are")
    ap.add_argument("--creddata", default=None, help="git dir of Samsung/CredData (default <mirrors>/Samsung+CredData/repo)")
    ap.add_argument("--heldout", default=None, help="the held-out list (default: shared/benchmarks/creddata-heldout.txt)")
    ap.add_argument("--patterns", default=os.path.join(ROOT, "patterns.toml"))
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()

    out = os.path.abspath(a.out or cache_dir())
    bench = os.path.join(out, "bench")
    creddata = a.creddata or mirror_gitdir(a.mirrors, "Samsung/CredData")
    if not creddata:
        sys.exit("build.py: no mirror of Samsung/CredData; fetch github:Samsung/CredData first")
    heldout_path = find_heldout(a.heldout)
    heldout = read_heldout(heldout_path)

    snapshot = json.loads(git(creddata, "show", "HEAD:snapshot.json").stdout)
    # Held-out repositories go first, by name, before any meta file is opened.
    entries, skipped_heldout = [], 0
    for key, url in snapshot.items():
        name = repo_name(url)
        if name.lower() in heldout:
            skipped_heldout += 1
            continue
        entries.append((name, key))
    entries.sort(key=lambda e: e[0].lower())
    if skipped_heldout != len(heldout):
        print(f"note: {len(heldout)} held-out names, {skipped_heldout} of them in snapshot.json", file=sys.stderr)

    prefixes = provider_prefixes(a.patterns)
    faker = Faker(a.seed, prefixes)
    if os.path.isdir(bench):
        shutil.rmtree(bench)
    os.makedirs(os.path.join(bench, "data"))
    labels_out = open(os.path.join(bench, "labels.jsonl"), "w", encoding="utf-8")
    manifest = {"creddata_commit": git(creddata, "rev-parse", "HEAD").stdout.decode().strip(),
                "heldout_list": heldout_path, "heldout_skipped": skipped_heldout, "seed": a.seed,
                "val_percent": VAL_PERCENT, "provider_prefixes": sorted(prefixes), "repos": {}}
    totals = Counter()
    fstats = Counter()
    for name, key in entries:
        mid, commit = meta_id(key), key[:40]
        split = split_of(name)
        info = {"id": mid, "commit": commit, "split": split, "status": "ok"}
        manifest["repos"][name] = info
        r = git(creddata, "show", f"HEAD:meta/{mid}.csv", check=False)
        if r.returncode:
            info["status"] = "no meta file in CredData"
            totals["repos_no_meta"] += 1
            continue
        rows = read_meta_csv(r.stdout.decode("utf-8"))
        info["labels"] = len(rows)
        info["labels_T"] = sum(1 for x in rows if x["truth"] == "T")
        if not rows:
            info["status"] = "meta file has no labels"
            totals["repos_no_labels"] += 1
            continue
        gitdir = mirror_gitdir(a.mirrors, name)
        why = None
        if not gitdir:
            why = "not mirrored (fetch refused or not attempted)"
        elif git(gitdir, "cat-file", "-e", f"{commit}^{{commit}}", check=False).returncode:
            why = "commit named by CredData is not in the mirror"
        if why:
            info["status"] = why
            totals["repos_missing"] += 1
            totals["labels_missing"] += len(rows)
            totals["labels_T_missing"] += info["labels_T"]
            continue
        # FileID -> paths of the commit's tree
        tree = git(gitdir, "ls-tree", "-r", "-z", "--full-tree", commit).stdout.split(b"\0")
        by_id = defaultdict(list)
        for ent in tree:
            if not ent:
                continue
            meta, path = ent.split(b"\t", 1)
            mode, typ, sha = meta.split()
            if typ != b"blob" or mode == b"120000":
                continue
            p = path.decode("utf-8", "surrogateescape")
            by_id[hashlib.sha256(p.encode("utf-8", "surrogateescape")).hexdigest()[:8]].append((p, sha.decode()))
        files = defaultdict(list)
        for x in rows:
            files[x["path"]].append(x)
        blobs = Blobs(gitdir)
        info["files"] = info["files_missing"] = info["labels_missing"] = 0
        for fpath, frows in sorted(files.items()):
            fid = frows[0]["file_id"]
            ext = os.path.splitext(fpath)[1]
            cands = [c for c in by_id.get(fid, []) if os.path.splitext(c[0])[1].lower() == ext]
            data = blobs.get(cands[0][1]) if cands else None
            if data is None:
                reason = "no path of the commit hashes to the FileID" if not cands else \
                    "blob absent from the mirror (4 MiB and larger files are not in snapshots)"
                info["files_missing"] += 1
                info["labels_missing"] += len(frows)
                info.setdefault("missing_reasons", Counter())[reason] += 1
                totals["files_missing"] += 1
                totals["labels_missing"] += len(frows)
                totals["labels_T_missing"] += sum(1 for x in frows if x["truth"] == "T")
                continue
            if len(cands) > 1:
                fstats["fileid_collisions_first_taken"] += 1
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                text = data.decode("latin-1")
                fstats["files_not_utf8_read_as_latin1"] += 1
            lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
            faker.apply(lines, frows, (mid, fid), fstats)
            rel = fpath[len("data/"):] if fpath.startswith("data/") else fpath
            dest = os.path.join(bench, "data", rel)
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            with open(dest, "w", encoding="utf-8", errors="surrogateescape", newline="") as f:
                f.write("\n".join(lines))
            info["files"] += 1
            totals["files"] += 1
            for x in frows:
                totals["labels"] += 1
                totals["labels_" + x["truth"]] += 1
                totals[f"{split}_labels_{x['truth']}"] += 1
                labels_out.write(json.dumps({"repo": name, "split": split, "path": rel,
                                             "line_start": x["line_start"], "line_end": x["line_end"],
                                             "value_start": x["value_start"], "value_end": x["value_end"],
                                             "truth": x["truth"], "category": x["category"],
                                             "file_id": fid, "label_id": x["id"]}) + "\n")
        blobs.close()
        totals["repos"] += 1
        totals[f"{split}_repos"] += 1
        totals[f"{split}_files"] += info["files"]
        if info["labels_missing"]:
            info["status"] = "ok, some files missing"
    labels_out.close()
    for info in manifest["repos"].values():
        if "missing_reasons" in info:
            info["missing_reasons"] = dict(info["missing_reasons"])
    manifest["totals"] = dict(totals)
    manifest["fake_stats"] = dict(fstats)
    with open(os.path.join(bench, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1, sort_keys=True)

    print(f"held out (not read): {skipped_heldout} repositories")
    print(f"built: {totals['repos']} repositories (dev {totals['dev_repos']}, val {totals['val_repos']}), "
          f"{totals['files']} files (dev {totals['dev_files']}, val {totals['val_files']}), "
          f"{totals['labels']} labels: T {totals['labels_T']}, F {totals['labels_F']}, X {totals['labels_X']}")
    for s in ("dev", "val"):
        print(f"  {s}: T {totals[s + '_labels_T']}, F {totals[s + '_labels_F']}, X {totals[s + '_labels_X']}")
    print(f"not built: {totals['repos_missing']} repositories ({totals['labels_missing']} labels, "
          f"{totals['labels_T_missing']} T), {totals['files_missing']} files of built repositories")
    reasons = Counter(i["status"] for i in manifest["repos"].values() if not i["status"].startswith("ok"))
    for why, n in reasons.most_common():
        print(f"  {n:4d} repos: {why}")
    fr = Counter()
    for i in manifest["repos"].values():
        fr.update(i.get("missing_reasons", {}))
    for why, n in fr.most_common():
        print(f"  {n:4d} files: {why}")
    print("fakes:", ", ".join(f"{k} {v}" for k, v in sorted(fstats.items())))
    print(f"written to {bench}")


if __name__ == "__main__":
    main()
