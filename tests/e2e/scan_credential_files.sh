# Credential files (issue #24): the files in which programs keep saved passwords are found with the default
# rules and threshold even when the password is a plain word, each by the rule of its file class, and the
# pre-commit hook blocks them; the same files holding only placeholders are not reported. The tools'
# configuration files with a saved password or token (_netrc, wp-config.php, .my.cnf, .mylogin.cnf, .s3cfg,
# Docker's and npm's, .pypirc, .boto, hub, gh, .gem/credentials, rclone.conf) likewise, with a low-entropy
# password too. Every value is made here from a seeded generator (the repository holds no secret-shaped text).
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

# plain_word SEED: seven letters from a four-letter alphabet, then a digit ("abbacad4"): a password of low
# entropy, as people choose them, that no entropy threshold may drop inside these files.
plain_word() {
  awk -v seed="$1" 'BEGIN { srand(seed); a = "abcd";
    for (i = 0; i < 7; i++) s = s substr(a, int(rand() * 4) + 1, 1); print s int(rand() * 10) }'
}

# write_config_classes DIR PASSWORD [AS-IS]: one tool configuration file of every class under DIR holding
# PASSWORD (base64 where the tool stores it so: Docker's "auth" and npm's _auth are base64 of user:password,
# npm's _password of the password; with AS-IS, npm's _password holds PASSWORD itself, as templates write
# `_password=${NPM_PASSWORD}`).
write_config_classes() {
  local d=$1 p=$2 b64auth b64pass
  b64auth=$(printf 'ci:%s' "$p" | base64)
  b64pass=$(printf '%s' "$p" | base64)
  [ -z "${3:-}" ] || b64pass=$p
  mkdir -p "$d/netrc" "$d/wp" "$d/mycnf" "$d/s3cfg" "$d/docker/.docker" "$d/dockercfg" "$d/npmrc" \
    "$d/pypirc" "$d/boto" "$d/hub/.config" "$d/gh/.config/gh" "$d/gem/.gem" "$d/rclone/.config/rclone"
  printf 'machine ftp.internal.invalid\n  login alice\n  password %s\n' "$p" >"$d/netrc/_netrc"
  printf "<?php\ndefine( 'DB_NAME', 'wordpress' );\ndefine( 'DB_USER', 'wp' );\ndefine( 'DB_PASSWORD', '%s' );\n" \
    "$p" >"$d/wp/wp-config.php"
  printf '[client]\nuser = backup\npassword = %s\nhost = db.internal.invalid\n' "$p" >"$d/mycnf/.my.cnf"
  printf '[default]\naccess_key = \ngpg_passphrase = %s\nhost_base = s3.internal.invalid\n' "$p" >"$d/s3cfg/.s3cfg"
  printf '{\n  "auths": {\n    "registry.internal.invalid": {\n      "auth": "%s"\n    }\n  }\n}\n' "$b64auth" \
    >"$d/docker/.docker/config.json"
  printf '{"registry.internal.invalid": {"auth": "%s", "email": "ci@internal.invalid"}}\n' "$b64auth" \
    >"$d/dockercfg/.dockercfg"
  printf '//registry.internal.invalid/:_password=%s\n//registry.internal.invalid/:username=ci\n' "$b64pass" \
    >"$d/npmrc/.npmrc"
  printf '[distutils]\nindex-servers = internal\n\n[internal]\nrepository: https://pypi.internal.invalid/\nusername: ci\npassword: %s\n' \
    "$p" >"$d/pypirc/.pypirc"
  printf '[Credentials]\ngs_access_key_id = GOOGTS\ngs_secret_access_key = %s\n' "$p" >"$d/boto/.boto"
  printf 'github.internal.invalid:\n- user: dana\n  oauth_token: %s\n  protocol: https\n' "$p" >"$d/hub/.config/hub"
  printf 'github.internal.invalid:\n    user: dana\n    oauth_token: %s\n    git_protocol: https\n' "$p" \
    >"$d/gh/.config/gh/hosts.yml"
  printf -- '---\n:rubygems_api_key: %s\n' "$p" >"$d/gem/.gem/credentials"
  printf '[backup]\ntype = sftp\nhost = sftp.internal.invalid\nuser = erin\npass = %s\n' "$p" \
    >"$d/rclone/.config/rclone/rclone.conf"
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
check() {  # check CLASS-DIR FILE RULE (CLASS-DIR under $base, default $TMP/real)
  (cd "${base:-$TMP/real}/$1" && "$KEYGATE" scan --format json .) >"$TMP/out.json" && status=0 || status=$?
  [ "$status" = 1 ] || { cat "$TMP/out.json"; fail "$1: scan exited $status, not 1 (password $password)"; }
  grep -q "\"rule\": \"$3\", [^}]*\"file\": \"$2\"" "$TMP/out.json" ||
    { cat "$TMP/out.json"; fail "$1: $3 did not name $2 (password $password)"; }
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

# The configuration files, with a random word and with a low-entropy password.
base=$TMP/config
for password in "$(word 31)" "$(plain_word 32)"; do
  rm -rf "$TMP/config"
  write_config_classes "$TMP/config" "$password"
  mkdir -p "$TMP/config/mylogin"
  awk 'BEGIN { srand(7); for (i = 0; i < 40; i++) printf "%c", 32 + int(rand() * 90) }' >"$TMP/config/mylogin/.mylogin.cnf"
  check netrc _netrc netrc-password
  check wp wp-config.php php-config-password
  check mycnf .my.cnf mysql-option-file-password
  check mylogin .mylogin.cnf mysql-login-file
  check s3cfg .s3cfg s3cfg-file-secret
  check docker .docker/config.json docker-config-file-auth
  check dockercfg .dockercfg docker-config-file-auth
  check npmrc .npmrc npmrc-file-auth
  check pypirc .pypirc pypirc-password
  check boto .boto boto-config-secret
  check hub .config/hub hub-config-token
  check gh .config/gh/hosts.yml hub-config-token
  check gem .gem/credentials gem-credentials-key
  check rclone .config/rclone/rclone.conf rclone-config-secret
done

base=$TMP/real

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
  # The configuration files: no finding of their rules (the generic detector judges a base64 "auth" itself).
  rm -rf "$TMP/fake-config"
  write_config_classes "$TMP/fake-config" "$placeholder" as-is
  (cd "$TMP/fake-config" && "$KEYGATE" scan --min-confidence low --format json .) >>"$TMP/fake-low.json" || true
  if grep -E '"rule": "((netrc|pgpass|pgpass-file|git-credentials|filezilla|filezilla-file|robomongo|dbeaver|php-config|esmtprc|ventrilo|firefox-logins|mysql-option-file)-password|s3cfg-file-secret|docker-config-file-auth|npmrc-file-auth|boto-config-secret|hub-config-token|gem-credentials-key|rclone-config-secret)"' \
    "$TMP/fake-low.json"; then
    fail "placeholder '$placeholder' reported by a credential-file rule"
  fi
done
exit 0
