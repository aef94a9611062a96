# Credential files (issue #24): the files in which programs keep saved passwords are found with the default
# rules and threshold even when the password is a plain word, each by the rule of its file class, and the
# pre-commit hook blocks them; the same files holding only placeholders are not reported. Every value is
# made here from a seeded generator (the repository holds no secret-shaped text).
source "$(dirname "$0")/lib.sh"

# word SEED: eight lower-case letters, different per seed, the same on every run (a "simple" password).
word() {
  awk -v seed="$1" 'BEGIN { srand(seed); a = "abcdefghijklmnopqrstuvwxyz";
    for (i = 0; i < 8; i++) s = s substr(a, int(rand() * 26) + 1, 1); print s }'
}
# base64_body SEED N: N base64 characters.
base64_body() {
  awk -v seed="$1" -v n="$2" 'BEGIN { srand(seed);
    a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (i = 0; i < n; i++) s = s substr(a, int(rand() * 64) + 1, 1); print s }'
}

# write_classes DIR PASSWORD SAVED FIREFOX: one file of every class under DIR holding PASSWORD; FileZilla's
# sitemanager.xml holds SAVED (base64 of the password, as FileZilla writes it), logins.json holds FIREFOX
# (an NSS blob: base64 DER beginning "MD", 3DES's fixed key id and OID, then the ciphertext).
write_classes() {
  local d=$1 p=$2 saved=$3 der=$4
  mkdir -p "$d/netrc" "$d/netrc-default" "$d/pgpass" "$d/gitcred" "$d/filezilla" "$d/sitemanager" \
    "$d/recentservers" "$d/robomongo" "$d/dbeaver/.dbeaver" "$d/php" "$d/esmtp" "$d/ventrilo" "$d/firefox"
  printf 'machine ftp.internal.invalid login alice password %s\n' "$p" >"$d/netrc/.netrc"
  printf 'machine git.internal.invalid\n  login bob\n\ndefault login carol password %s\n' "$p" \
    >"$d/netrc-default/.netrc"
  printf '# host:port:database:user:password\ndb.internal.invalid:6432:app:app_rw:%s\n' "$p" >"$d/pgpass/.pgpass"
  printf 'https://dana:%s@git.internal.invalid\n' "$p" >"$d/gitcred/.git-credentials"
  local server='<Server><Host>ftp.internal.invalid</Host><Port>21</Port><User>erin</User>'
  printf '<?xml version="1.0"?>\n<FileZilla3>\n<RecentServers>\n%s\n<Pass>%s</Pass>\n</Server>\n</RecentServers>\n</FileZilla3>\n' \
    "$server" "$p" >"$d/filezilla/filezilla.xml"
  printf '<?xml version="1.0"?>\n<FileZilla3>\n<Servers>\n%s\n<Pass encoding="base64">%s</Pass>\n</Server>\n</Servers>\n</FileZilla3>\n' \
    "$server" "$saved" >"$d/sitemanager/sitemanager.xml"
  printf '<FileZilla3><RecentServers><Server><Pass>%s</Pass></Server></RecentServers></FileZilla3>\n' \
    "$p" >"$d/recentservers/recentservers.xml"
  printf '{\n  "connections" : [ {\n    "serverHost" : "db.internal.invalid",\n    "credentials" : [ {\n      "userName" : "admin",\n      "userPassword" : "%s",\n      "databaseName" : "admin"\n    } ],\n    "sshUserPassword" : ""\n  } ]\n}\n' \
    "$p" >"$d/robomongo/robomongo.json"
  printf '{\n  "connections": {\n    "postgres-jdbc-1": {\n      "provider": "postgresql",\n      "configuration": {\n        "host": "db.internal.invalid",\n        "user": "app",\n        "password": "%s"\n      }\n    }\n  }\n}\n' \
    "$p" >"$d/dbeaver/.dbeaver/data-sources.json"
  printf '<?php\n$db_host = "db.internal.invalid";\n$db_pass = '"'"'%s'"'"';\n' "$p" >"$d/php/config.php"
  printf 'hostname = smtp.internal.invalid:587\nusername = "frank"\npassword = "%s"\nstarttls = enabled\n' "$p" \
    >"$d/esmtp/.esmtprc"
  printf '[Server]\nName=Guild\nAuth=1\nAdminPassword=%s\nPassword=\n' "$p" >"$d/ventrilo/ventrilo_srv.ini"
  printf '{"nextId":2,"logins":[{"id":1,"hostname":"https://app.internal.invalid","encryptedUsername":"%s","encryptedPassword":"%s","encType":1}],"version":3}\n' \
    "$der" "$der" >"$d/firefox/logins.json"
}

# Each class, with a letters-only password: `scan` exits 1 and names the file with its class's rule.
der="MDoEEPg""AAAAAAAAAAAAAAAAAAAEwFAYIKoZIhvcNAwcE$(base64_body 24 40)"
password=$(word 11)
write_classes "$TMP/real" "$password" "$(printf '%s' "$password" | base64)" "$der"
# DBeaver's credential store is binary (AES under a key published in DBeaver's sources): its name reports it.
mkdir -p "$TMP/real/dbeaver-store/.dbeaver"
awk 'BEGIN { srand(5); for (i = 0; i < 48; i++) printf "%c", int(rand() * 256) }' |
  LC_ALL=C tr '\001' '\000' >"$TMP/real/dbeaver-store/.dbeaver/credentials-config.json"
printf '\000\000' >>"$TMP/real/dbeaver-store/.dbeaver/credentials-config.json"
check() {  # check CLASS-DIR FILE RULE
  (cd "$TMP/real/$1" && "$KEYGATE" scan --format json .) >"$TMP/out.json" && status=0 || status=$?
  [ "$status" = 1 ] || { cat "$TMP/out.json"; fail "$1: scan exited $status, not 1"; }
  grep -q "\"rule\": \"$3\", [^}]*\"file\": \"$2\"" "$TMP/out.json" || { cat "$TMP/out.json"; fail "$1: $3 did not name $2"; }
}
check netrc .netrc netrc-password
check netrc-default .netrc netrc-password
check pgpass .pgpass pgpass-file-password
check gitcred .git-credentials git-credentials-password
check filezilla filezilla.xml filezilla-file-password
check sitemanager sitemanager.xml filezilla-file-password
check recentservers recentservers.xml filezilla-file-password
check robomongo robomongo.json robomongo-password
check dbeaver .dbeaver/data-sources.json dbeaver-password
check dbeaver-store .dbeaver/credentials-config.json dbeaver-credentials-file
check php config.php php-config-password
check esmtp .esmtprc esmtprc-password
check ventrilo ventrilo_srv.ini ventrilo-password
check firefox logins.json firefox-logins-password

# The pre-commit hook blocks them (one commit of every class).
r="$TMP/repo"; new_repo "$r"
cp -r "$TMP/real/." "$r/"
git -C "$r" add -A; commit_blocked "$r" "credential files"
for f in .netrc .pgpass .git-credentials filezilla.xml robomongo.json data-sources.json config.php .esmtprc \
  ventrilo_srv.ini logins.json credentials-config.json; do
  grep -qF -- "$f" "$TMP/out" || { cat "$TMP/out"; fail "the hook did not name $f"; }
done

# The same files with placeholders only: nothing reported, at any level, by the credential-file rules.
for placeholder in 'password' 'changeme' '********' '<password>' '${DB_PASSWORD}' '%s' 'xxxxxxxx' \
  'your_password_here' '$PGPASSWORD' '{{ db_password }}' 'YOUR-PERSONAL-ACCESS-TOKEN'; do
  rm -rf "$TMP/fake"
  write_classes "$TMP/fake" "$placeholder" "$placeholder" ""
  (cd "$TMP/fake" && "$KEYGATE" scan --format json .) >"$TMP/fake.json" && status=0 || status=$?
  [ "$status" = 0 ] || { cat "$TMP/fake.json"; fail "placeholder '$placeholder' reported (exit $status)"; }
  (cd "$TMP/fake" && "$KEYGATE" scan --min-confidence low --format json .) >"$TMP/fake-low.json" || true
  if grep -E '"rule": "(netrc|pgpass|pgpass-file|git-credentials|filezilla|filezilla-file|robomongo|dbeaver|php-config|esmtprc|ventrilo|firefox-logins)-password"' \
    "$TMP/fake-low.json"; then
    fail "placeholder '$placeholder' reported by a credential-file rule"
  fi
done
exit 0
