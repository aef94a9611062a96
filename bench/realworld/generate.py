#!/usr/bin/env python3
"""Writes keygate's real-world corpus: files in the shapes people commit credentials in, and clean files of
the same shapes (placeholders, references, code). Every secret is generated here from --seed; nothing
key-shaped is stored in the repository.

usage: bench/realworld/generate.py OUT_DIR [--seed N]
OUT_DIR/manifest.json lists each file with its category and the secrets it holds ([] for a clean file)."""
import argparse, base64, hashlib, json, os, random, string

ap = argparse.ArgumentParser()
ap.add_argument("out")
ap.add_argument("--seed", type=int, default=10)
a = ap.parse_args()
rng = random.Random(a.seed)
WORDS = ["river", "falcon", "copper", "maple", "orbit", "cactus", "violet", "harbor", "ember", "tundra", "quartz", "willow"]
B62 = string.ascii_letters + string.digits


def rand(n, alphabet=B62):
    return "".join(rng.choice(alphabet) for _ in range(n))


def password():
    """Word-like passwords with digits and punctuation, as people choose them."""
    shape = rng.randrange(5)
    w = rng.choice(WORDS)
    if shape == 0:
        return w.capitalize() + str(rng.randrange(10, 9999)) + rng.choice("!#%&*?")
    if shape == 1:
        return w + "-" + rng.choice(WORDS) + str(rng.randrange(10, 99))
    if shape == 2:
        return rand(12, B62 + "!#%^&*")
    if shape == 3:
        return w[:3] + rand(3, string.digits) + w[3:].upper() + "$"
    return rand(16)


def token(n=32):
    return rand(n)


manifest = []


def emit(category, name, text, secrets):
    path = os.path.join(a.out, category, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    manifest.append({"file": os.path.relpath(path, a.out), "category": category, "secrets": secrets})


# --- passwords and secrets in every language and format -------------------------------------------
def password_shapes(p):
    """(file name, text) for one password p in each shape."""
    return [
        ("settings.py", f'DATABASES = {{"default": {{"PASSWORD": "{p}"}}}}\n'),
        ("config.py", f"db_password = '{p}'\n"),
        ("app.json", f'{{\n  "database": {{\n    "password": "{p}"\n  }}\n}}\n'),
        ("config.yaml", f"database:\n  user: app\n  password: {p}\n"),
        ("quoted.yml", f'redis:\n  password: "{p}"\n'),
        ("prod.env", f"DB_USER=app\nDB_PASSWORD={p}\n"),
        ("deploy.sh", f"export MYSQL_PASSWORD='{p}'\n"),
        ("compose.yml", f"services:\n  db:\n    environment:\n      - PGPASSWORD=${{PGPASSWORD:-{p}}}\n"),
        ("main.go", f'package main\n\nconst dbPassword string = "{p}"\n'),
        ("config.php", f"<?php\ndefine('DB_PASSWORD', '{p}');\n"),
        ("pma.php", f"<?php\n$cfg['Servers'][$i]['password'] = '{p}';\n"),
        ("App.java", f'class App {{\n  private static final String PASSWORD = "{p}";\n}}\n'),
        ("Config.kt", f'object Config {{\n  const val mysqlRootPassword = "{p}"\n}}\n'),
        ("Settings.cs", f'var conn = "Server=db;Database=app;User Id=sa;Password={p};";\n'),
        ("variables.tf", f'variable "db_password" {{\n  type    = string\n  default = "{p}"\n}}\n'),
        ("Dockerfile", f"FROM debian\nENV MYSQL_ROOT_PASSWORD {p}\n"),
        ("Dockerfile.arg", f"FROM debian\nARG ADMIN_PASSWORD={p}\n"),
        ("nginx.conf", f"server {{\n  set $auth_password {p};\n}}\n"),
        ("backup.sh", f"mysqldump -u root -p{p} app > dump.sql\n"),
        ("fetch.sh", f"curl -u admin:{p} https://api.internal.test/v1\n"),
        ("fetch2.sh", f"wget --password={p} https://files.internal.test/a\n"),
        ("proxy.sh", f"curl --proxy-user bob:{p} https://x.internal.test\n"),
        ("app.properties", f"spring.datasource.password={p}\n"),
        ("app.ini", f"[database]\npassword = {p}\n"),
        ("pom.xml", f"<settings>\n  <password>{p}</password>\n</settings>\n"),
        ("web.config", f'<add name="db" user="sa" password="{p}" />\n'),
        ("Cargo.toml.cfg", f'[db]\npassword = "{p}"\n'),
        ("escaped.json", '{"body": "{\\"user\\":\\"app\\",\\"password\\":\\"' + p + '\\"}"}\n'),
        ("app.js", f"const config = {{ password: '{p}' }};\n"),
        ("client.rb", f'client = Client.new(password: "{p}")\n'),
    ]


for name, _ in password_shapes("x"):
    p = password()
    shapes = dict(password_shapes(p))
    emit("passwords", name, shapes[name], [p])

secret_shapes = [
    ("settings_django.py", lambda s: f"SECRET_KEY = '{s}'\n", lambda: rand(40, B62 + "!@#%^&*(-_=+)")),
    ("wp-config.php", lambda s: f"define('SECURE_AUTH_SALT', '{s}');\n", lambda: rand(48, B62 + "!@#%^&*()-_[]{}<>~+=,.;:/?|")),
    ("laravel.env", lambda s: f"APP_KEY=base64:{s}\n", lambda: base64.b64encode(bytes(rng.randrange(256) for _ in range(32))).decode()),
    ("client.py", lambda s: f'client_secret = "{s}"\n', lambda: token(32)),
    ("api.js", lambda s: f'const apiKey = "{s}";\n', lambda: token(40)),
    ("service.yaml", lambda s: f"auth_token: {s}\n", lambda: token(36)),
    ("creds.json", lambda s: f'{{"api_key": "{s}"}}\n', lambda: token(24)),
]
for name, shape, gen in secret_shapes:
    s = gen()
    emit("secrets", name, shape(s), [s])

# --- URLs and connection strings ------------------------------------------------------------------
for scheme in ["postgres", "mysql", "mongodb+srv", "redis", "amqp", "ftp", "https"]:
    p = password()
    emit("urls", f"{scheme.replace('+', '_')}.env", f"DATABASE_URL={scheme}://app:{p}@db.internal.test:1234/app\n", [p])
p = password()
emit("urls", "jdbc.properties", f"url=jdbc:mysql://db.internal.test/app?user=app&password={p}\n", [p])
p = password()
emit("urls", "git-credentials", f"https://bob:{p}@git.internal.test\n", [p])

# --- credential files -----------------------------------------------------------------------------
p = password(); emit("credfiles", ".netrc", f"machine api.internal.test\n  login bob\n  password {p}\n", [p])
p = password(); emit("credfiles", ".pgpass", f"db.internal.test:5432:app:bob:{p}\n", [p])
t = token(36); emit("credfiles", ".npmrc", f"//registry.npmjs.org/:_authToken={t}\n", [t])
p = password(); emit("credfiles", ".pypirc", f"[pypi]\nusername = bob\npassword = {p}\n", [p])
auth = base64.b64encode(f"bob:{password()}".encode()).decode()
emit("credfiles", "docker-config.json", f'{{"auths": {{"registry.internal.test": {{"auth": "{auth}"}}}}}}\n', [auth])
p = password(); emit("credfiles", "sitemanager.xml", f"<Server><User>bob</User><Pass>{p}</Pass></Server>\n", [p])
p = password(); emit("credfiles", "sftp-config.json", f'{{"host": "h.internal.test", "user": "bob", "password": "{p}"}}\n', [p])
k = rand(32, "0123456789abcdef"); emit("credfiles", "master.key", k + "\n", [k])

# --- password hashes ------------------------------------------------------------------------------
BC = "./" + string.ascii_letters + string.digits
h = "$2y$10$" + rand(53, BC); emit("hashes", ".htpasswd", f"bob:{h}\n", [h])
h = "$6$" + rand(16, BC) + "$" + rand(86, BC); emit("hashes", "shadow", f"bob:{h}:19000:0:99999:7:::\n", [h])
h = "$apr1$" + rand(8, BC) + "$" + rand(22, BC); emit("hashes", "htpasswd-apr1", f"alice:{h}\n", [h])
h = "$2b$12$" + rand(53, BC); emit("hashes", "users.sql", f"INSERT INTO users VALUES (1, 'bob', '{h}');\n", [h])

# --- private keys ---------------------------------------------------------------------------------
body = "\n".join(rand(64, B62 + "+/") for _ in range(12))
for kind in ["RSA PRIVATE KEY", "PRIVATE KEY", "OPENSSH PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY"]:
    marker = f"-----BEGIN {kind}-----"
    emit("privatekeys", kind.replace(" ", "_").lower() + ".pem", f"{marker}\n{body}\n-----END {kind}-----\n", [marker])
marker = "-----BEGIN PGP PRIVATE KEY BLOCK-----"
emit("privatekeys", "secring.asc", f"{marker}\n\n{body}\n-----END PGP PRIVATE KEY BLOCK-----\n", [marker])
emit("privatekeys", "key.json", '{"private_key": "-----BEGIN PRIVATE KEY-----\\n' + body.replace("\n", "\\n") +
     '\\n-----END PRIVATE KEY-----\\n"}\n', ["-----BEGIN PRIVATE KEY-----"])

# --- provider keys --------------------------------------------------------------------------------
providers = {
    "aws.py": lambda: "AKIA" + rand(16, string.ascii_uppercase + "234567"),
    "github.sh": lambda: "ghp_" + token(36),
    "slack.js": lambda: "xoxb-" + rand(12, string.digits) + "-" + rand(12, string.digits) + "-" + token(24),
    "stripe.rb": lambda: "sk_live_" + token(24),
    "together.py": lambda: "tgp_v1_" + rand(43, B62 + "-_"),
}
for name, gen in providers.items():
    k = gen()
    emit("providers", name, f"key = '{k}'\n", [k])

# --- clean code of the same shapes (negatives) ----------------------------------------------------
clean = [
    ("env.py", "import os\npassword = os.environ['DB_PASSWORD']\ntoken = os.getenv('API_TOKEN')\n"),
    ("node.js", "const password = process.env.DB_PASSWORD;\nconst apiKey = config.get('apiKey');\n"),
    ("compose.yml", "services:\n  db:\n    environment:\n      - PGPASSWORD=${PGPASSWORD}\n"),
    ("values.yaml", "password: {{ .Values.password }}\nsecret: \"{{ db_secret }}\"\n"),
    ("template.cfg", "password = %(db_password)s\n"),
    ("README.txt", "Set password: <your-password> in the config.\n"),
    ("example.env", "DB_PASSWORD=changeme\nAPI_TOKEN=xxxxxxxx\nSECRET=****\n"),
    ("auth.py", "def login(user, password: str) -> bool:\n    if password == \"\":\n        return False\n    password = get_password()\n    return check(user, password)\n"),
    ("i18n.json", '{"password_label": "Password:", "password_prompt": "Enter your password", "token": "Token"}\n'),
    ("schema.sql", "CREATE TABLE users (password VARCHAR(255) NOT NULL, token TEXT);\n"),
    ("form.html", '<input type="password" name="password" placeholder="Password">\n'),
    ("types.ts", "interface Login { password: string; token?: string | null }\n"),
    ("model.go", "type User struct {\n\tPassword string `json:\"password\"`\n\tToken string\n}\n"),
    ("Config.java", "String password = props.getProperty(\"db.password\");\nchar[] passwd = console.readPassword();\n"),
    ("settings.py", "SECRET_KEY = env('DJANGO_SECRET_KEY')\nPASSWORD_HASHERS = ['django.contrib.auth.hashers.Argon2PasswordHasher']\n"),
    ("paths.conf", "password_file = /etc/app/password.txt\nssl_key = ./certs/server.key\n"),
    ("urls.md", "Use http://user:password@proxy.example.com:8080 as a proxy.\nDocs: https://example.com/docs/token\n"),
    ("ids.json", '{"token_id": "3f2b8c1e-9a4d-4e5f-8b6a-1c2d3e4f5a6b", "secret_name": "db-credentials"}\n'),
    ("config.ts", "const password = this.form.value.password;\nconst token = await getToken();\nconst secret = null;\n"),
    ("Dockerfile", "FROM debian\nARG DB_PASSWORD\nENV DB_PASSWORD=$DB_PASSWORD\n"),
    ("deploy.sh", "mysql -u root -p \"$MYSQL_PASSWORD\" app\ncurl -u \"$USER:$PASS\" https://x.test\n"),
    ("main.c", "static int password_len = 0;\nint check_token(const char *token);\n#define SECRET_SIZE 32\n"),
    ("mapping.py", "FIELDS = {'password': 'user_password', 'token': 'access_token'}\n"),
    ("pass.py", "for x in items:\n    pass\nbypass = True\n"),
    ("depend.make", "CMakeFiles/app.dir/src/credential.c.o: ../src/credential.c\nCMakeFiles/app.dir/src/credential.c.o: ../src/token.h\n"),
    ("assembly.config", '<assemblyIdentity name="System.Web" publicKeyToken="b03f5f7f11d50a3a" />\n'),
    ("package-lock.json", '{"integrity": "sha512-' + base64.b64encode(hashlib.sha512(b"x").digest()).decode() + '"}\n'),
    ("Secrets.kt", "val password: String = BuildConfig.PASSWORD\nval token: String? = null\n"),
    ("docs.rst", "The ``--password`` option reads the password from a file.\n"),
    ("tf.tf", 'variable "db_password" {\n  type      = string\n  sensitive = true\n}\n'),
]
for name, text in clean:
    emit("clean", name, text, [])

with open(os.path.join(a.out, "manifest.json"), "w") as f:
    json.dump(manifest, f, indent=1)
print(f"{len(manifest)} files in {a.out}")
