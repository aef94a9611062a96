# keygate redact on real processes: a pipe, a live (tail -f) stream, JSON Lines datasets in every Together
# format with sensitive fields, invalid lines, CRLF, exit codes; then the dataset view of `scan`.
source "$(dirname "$0")/lib.sh"
cd "$TMP"
K1=$(fake_key 1); K2=$(fake_key 2); K3=$(fake_key 3); K4=$(fake_key 4)

# A pipe: the key becomes its redacted form, every other byte (CRLF, invalid UTF-8) is unchanged.
printf 'start\r\nuser=bob TOGETHER_API_KEY=%s \377 end\r\n' "$K1" | "$KEYGATE" redact >out.txt
assert_no_key out.txt "$K1"
expected=$(printf 'start\r\nuser=bob TOGETHER_API_KEY=tgp_v1_\342\200\246%s \377 end\r\n' "${K1: -4}" | od -c)
[ "$(od -c <out.txt)" = "$expected" ] || fail "redacted stream differs: $(od -c out.txt | head)"

# --mask and --fail-on-secret.
out=$(echo "key $K2" | "$KEYGATE" redact --mask '[REDACTED:{rule}]' --fail-on-secret) && fail "exit 0 with --fail-on-secret"
[ "$out" = "key [REDACTED:together-api-key]" ] || fail "mask: $out"
echo "nothing here" | "$KEYGATE" redact --fail-on-secret >/dev/null || fail "clean input must exit 0"
"$KEYGATE" redact missing.log >/dev/null 2>err.txt && fail "a missing file must exit 2"
grep -q "missing.log" err.txt || fail "the error does not name the file"

# A live stream: each line comes out as soon as it is written (tail -f app.log | keygate redact).
python3 - "$KEYGATE" "$K3" <<'PY'
import subprocess, sys, time
keygate, key = sys.argv[1], sys.argv[2]
p = subprocess.Popen([keygate, "redact"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
p.stdin.write(f"first line {key}\n".encode()); p.stdin.flush()
line = p.stdout.readline().decode()          # must arrive before stdin is closed
assert key not in line and line.startswith("first line tgp_v1_"), line
p.stdin.write(b"second\n"); p.stdin.flush()
assert p.stdout.readline() == b"second\n"
p.stdin.close(); assert p.wait(timeout=10) == 0
PY

# JSON Lines: secrets in every Together format, sensitive fields at any depth, an invalid line, CRLF.
{
  printf '{"messages": [{"role": "system", "content": "sys"}, {"role": "user", "content": "my key is %s"}]}\r\n' "$K1"
  printf '{"prompt": "p", "completion": "%s"}\n' "$K2"
  printf '{"input": {"messages": [{"role": "user", "content": "q"}]}, "preferred_output": [{"role": "assistant", "content": "%s"}], "non_preferred_output": []}\n' "$K3"
  printf '{"text": "plain", "meta": {"API_KEY": "short", "system_prompt": {"a": [1, 2]}}, "model_output": "answer"}\n'
  printf 'this line is not json %s\n' "$K4"
} >train.jsonl
"$KEYGATE" redact train.jsonl >clean.jsonl 2>err.txt
for k in "$K1" "$K2" "$K3" "$K4"; do assert_no_key clean.jsonl "$k"; done
grep -q '"API_KEY": "\[REDACTED\]", "system_prompt": "\[REDACTED\]"}, "model_output": "\[REDACTED\]"}' clean.jsonl ||
  fail "sensitive fields not blanked: $(sed -n 4p clean.jsonl)"
head -4 clean.jsonl | tr -d '\r' | python3 -c 'import json, sys; [json.loads(l) for l in sys.stdin]' || fail "output is not valid JSON"
[ "$(head -1 clean.jsonl | tail -c 2 | od -An -c | tr -d ' ')" = '\r\n' ] || fail "CRLF lost"
grep -q "1 JSON record was not valid JSON" err.txt || fail "no warning for the invalid line: $(cat err.txt)"

# In place, atomically: the file is rewritten, its mode kept; no temporary file is left.
cp train.jsonl inplace.jsonl && chmod 640 inplace.jsonl
"$KEYGATE" redact --in-place inplace.jsonl || fail "in-place failed"
cmp -s inplace.jsonl clean.jsonl || fail "in-place result differs from stdout result"
[ "$(stat -c %a inplace.jsonl)" = 640 ] || fail "mode not kept"
[ -z "$(ls | grep keygate-)" ] || fail "temporary file left behind"

# Killed with SIGKILL while rewriting a large file: the file is the old one or the new one, never partial.
python3 - "$K1" <<'PY'
import sys
key = sys.argv[1]
with open("big.log", "w") as f:
    for i in range(400000):
        f.write(f"line {i} some ordinary log text here\n" if i % 1000 else f"line {i} TOGETHER_API_KEY={key}\n")
PY
cp big.log big.orig
"$KEYGATE" redact big.log >big.new
for delay in 0.02 0.05 0.1 0.2; do
  cp big.orig big.log
  "$KEYGATE" redact --in-place big.log & pid=$!
  sleep "$delay"; kill -9 "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
  cmp -s big.log big.orig || cmp -s big.log big.new || fail "after SIGKILL at ${delay}s the file is partial"
done

# The dataset view of scan: record and JSON pointer in text and JSON, and the summary.
"$KEYGATE" scan train.jsonl >report.txt && fail "scan of the dataset found nothing"
grep -q "record       1, /messages/1/content" report.txt || fail "no record/pointer: $(cat report.txt)"
grep -q "record       3, /preferred_output/0/content" report.txt || fail "preference pair not placed"
grep -q "dataset summary: 1 file, 5 records, 4 with findings" report.txt || fail "summary: $(tail -3 report.txt)"
"$KEYGATE" scan --format json train.jsonl >report.json || true
python3 - <<'PY' || fail "JSON report lacks record/json_pointer"
import json
found = json.load(open("report.json"))
places = {(f["record"], f.get("json_pointer")) for f in found}
assert (2, "/completion") in places, places
PY
assert_no_key report.txt "$K1"

# The personal-data pack: found with --rules pii, and a clean copy made with redact.
printf '{"messages": [{"role": "user", "content": "mail jane.roe@gmail.com, card 4111 1111 1111 1111"}]}\n{"text": "order 4000123412341235, build 20240115"}\n' >pii.jsonl
"$KEYGATE" scan pii.jsonl >/dev/null || fail "no secrets expected without --rules pii"
"$KEYGATE" scan --rules pii pii.jsonl >pii.txt && fail "--rules pii found nothing"
grep -q "pii-email" pii.txt && grep -q "pii-payment-card" pii.txt || fail "pii rules: $(cat pii.txt)"
grep -q "order" pii.txt && fail "a lookalike was reported"
"$KEYGATE" redact --rules pii pii.jsonl >pii.clean.jsonl
"$KEYGATE" scan --rules pii pii.clean.jsonl >/dev/null || fail "the redacted copy still holds personal data"
echo "ok"
