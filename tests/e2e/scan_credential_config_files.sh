# Credential files, second set (issue #24): the configuration files in which command-line tools keep a saved
# password or token (_netrc, wp-config.php, .my.cnf, .mylogin.cnf, .s3cfg, .docker/config.json, .dockercfg,
# .npmrc, .pypirc, .boto, hub, gh's hosts.yml, .gem/credentials, rclone.conf) are found with the default rules
# and threshold even when the password is a plain word, each by the rule of its class, and the same files
# holding only placeholders are not reported. Every value is made here from a seeded generator.
source "$(dirname "$0")/lib.sh"

# word SEED: eight lower-case letters, different per seed, the same on every run (a "simple" password).
word() {
  awk -v seed="$1" 'BEGIN { srand(seed); a = "abcdefghijklmnopqrstuvwxyz";
    for (i = 0; i < 8; i++) s = s substr(a, int(rand() * 26) + 1, 1); print s }'
}

# plain_word SEED: seven letters from a four-letter alphabet, then a digit ("abbacad4"): a password of low
# entropy, as people choose them, that no entropy threshold may drop inside these files.
plain_word() {
  awk -v seed="$1" 'BEGIN { srand(seed); a = "abcd";
    for (i = 0; i < 7; i++) s = s substr(a, int(rand() * 4) + 1, 1); print s int(rand() * 10) }'
}

# write_classes DIR PASSWORD: one file of every class under DIR holding PASSWORD (base64 where the tool
# stores it so: Docker's "auth" and npm's _auth are base64 of user:password, npm's _password of the password).
write_classes() {
  local d=$1 p=$2 b64auth b64pass
  b64auth=$(printf 'ci:%s' "$p" | base64)
  b64pass=$(printf '%s' "$p" | base64)
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

# .mylogin.cnf is binary (obfuscated by mysql_config_editor): its name reports it.
check() {  # check CLASS-DIR FILE RULE
  (cd "$TMP/real/$1" && "$KEYGATE" scan --format json .) >"$TMP/out.json" && status=0 || status=$?
  [ "$status" = 1 ] || { cat "$TMP/out.json"; fail "$1: scan exited $status, not 1 (password $password)"; }
  grep -q "\"rule\": \"$3\", [^}]*\"file\": \"$2\"" "$TMP/out.json" ||
    { cat "$TMP/out.json"; fail "$1: $3 did not name $2 (password $password)"; }
}
for password in "$(word 31)" "$(plain_word 32)"; do
  rm -rf "$TMP/real"
  write_classes "$TMP/real" "$password"
  mkdir -p "$TMP/real/mylogin"
  awk 'BEGIN { srand(7); for (i = 0; i < 40; i++) printf "%c", 32 + int(rand() * 90) }' >"$TMP/real/mylogin/.mylogin.cnf"
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

# The same files with placeholders only: nothing reported by these classes' rules, at any level.
for placeholder in 'password' 'changeme' '<password>' '${DB_PASSWORD}' '%s' 'xxxxxxxx' 'your_password_here' \
  '{{ db_password }}'; do
  rm -rf "$TMP/fake"
  write_classes "$TMP/fake" "$placeholder"
  (cd "$TMP/fake" && "$KEYGATE" scan --min-confidence low --format json .) >"$TMP/fake-low.json" || true
  if grep -E '"rule": "(netrc-password|php-config-password|mysql-option-file-password|s3cfg-file-secret|docker-config-file-auth|pypirc-password|boto-config-secret|hub-config-token|gem-credentials-key|rclone-config-secret)"' \
    "$TMP/fake-low.json"; then
    fail "placeholder '$placeholder' reported by a credential-file rule"
  fi
done
exit 0
