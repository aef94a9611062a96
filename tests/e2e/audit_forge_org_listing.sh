# keygate audit --github-org / --gitlab-group (issue #27): the repositories come from the forges' list APIs
# (a local server answering as they document, page by page through the Link header), the token from the
# environment, never the command line; every listed repository is audited. A next page on another host is
# refused (the token stays with the API's host), and a refused token is a one-line error.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/audit/repos.sh"
local_network
make_repos "$TMP/repos" 5
export GITHUB_TOKEN=gh-test-token-$RANDOM GITLAB_TOKEN=gl-test-token-$RANDOM
export KEYGATE_AUDIT_KEY=0123456789abcdef0123456789abcdef
python3 "$(dirname "$0")/audit/forge_server.py" "$TMP/port" "$TMP/requests" "$TMP"/repos/repo-* &
servers+=($!)
wait_for "$TMP/port"
api="http://127.0.0.1:$(cat "$TMP/port")"

rc=0; "$KEYGATE" audit --out "$TMP/gh" --cache "$TMP/cache" --api-url "$api" --github-org acme >"$TMP/out" 2>&1 || rc=$?
[ "$rc" -eq 1 ] || { cat "$TMP/out"; fail "GitHub org audit exit $rc"; }
grep -q "5 repositories (5 scanned" "$TMP/out" || { cat "$TMP/out"; fail "not every page's repositories were audited"; }
[ "$(grep -c '^/orgs/acme/repos' "$TMP/requests")" -eq 3 ] || { cat "$TMP/requests"; fail "expected 3 pages"; }
grep -q "auth=Bearer $GITHUB_TOKEN" "$TMP/requests" || fail "the token was not sent"
! grep -rqF "$GITHUB_TOKEN" "$TMP/gh" || fail "the token is in a result file"

rc=0; "$KEYGATE" audit --out "$TMP/gl" --cache "$TMP/cache" --api-url "$api/api/v4" --gitlab-group acme/sub >"$TMP/out" 2>&1 || rc=$?
[ "$rc" -eq 1 ] || { cat "$TMP/out"; fail "GitLab group audit exit $rc"; }
grep -q "5 repositories" "$TMP/out" || { cat "$TMP/out"; fail "GitLab listing"; }
grep -q "private=$GITLAB_TOKEN" "$TMP/requests" || fail "the GitLab token was not sent as PRIVATE-TOKEN"
# Sharded by the sizes the API gave: two shards cover the organisation once.
"$KEYGATE" audit --out "$TMP/s0" --cache "$TMP/cache" --api-url "$api" --github-org acme --shard 0/2 >"$TMP/o0" 2>&1 || true
"$KEYGATE" audit --out "$TMP/s1" --cache "$TMP/cache" --api-url "$api" --github-org acme --shard 1/2 >"$TMP/o1" 2>&1 || true
[ $(($(ls "$TMP"/s0/*.json | wc -l) + $(ls "$TMP"/s1/*.json | wc -l))) -eq 5 ] || fail "shards do not cover the org"

rc=0; "$KEYGATE" audit --out "$TMP/x" --api-url "$api" --github-org elsewhere >"$TMP/out" 2>&1 || rc=$?
[ "$rc" -eq 2 ] && grep -q "the next page is on another host" "$TMP/out" || { cat "$TMP/out"; fail "cross-host next page"; }
rc=0; GITHUB_TOKEN=wrong "$KEYGATE" audit --out "$TMP/x" --api-url "$api" --github-org acme >"$TMP/out" 2>&1 || rc=$?
[ "$rc" -eq 2 ] && [ "$(wc -l <"$TMP/out")" -eq 1 ] && grep -q "HTTP 401" "$TMP/out" || { cat "$TMP/out"; fail "a refused token"; }
echo ok
