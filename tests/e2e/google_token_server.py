#!/usr/bin/env python3
"""A Google OAuth 2.0 token endpoint stand-in for verify_google.sh (issue 26, Google service-account email and
project): an HTTP server on 127.0.0.1 that takes the JWT bearer grant as Google documents it ("Using OAuth 2.0
for Server to Server Applications"), checks the assertion's RS256 signature with the public key of its kid
(the `openssl` command, from the same key pair as the key file), its claims (iss, aud = this URL, iat and
exp within an hour), and answers as Google does: {"access_token", "expires_in", "token_type"} or
400 {"error": "invalid_grant", "error_description": ...}.

usage: google_token_server.py KEYS.json PORT_FILE LOG_FILE
KEYS maps a kid (private_key_id) to {"public": PEM path, "email": client_email, "clock": true (answer the
clock error)}. Each request is logged as one JSON line: path, grant_type, kid, claims, and the answer.
"""
import base64
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from local_http import reply, serve  # noqa: E402

keys = json.load(open(sys.argv[1]))
port_file, log_path = sys.argv[2], sys.argv[3]
log = open(log_path, "a", buffering=1)


def unb64(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def rs256_valid(public_pem, signing_input, signature):
    with tempfile.TemporaryDirectory() as d:
        data, sig = os.path.join(d, "data"), os.path.join(d, "sig")
        open(data, "wb").write(signing_input)
        open(sig, "wb").write(signature)
        run = subprocess.run(["openssl", "dgst", "-sha256", "-verify", public_pem, "-signature", sig, data],
                             capture_output=True)
        return run.returncode == 0


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, answer, record):
        record["answer"] = answer.get("error", "token")
        log.write(json.dumps(record) + "\n")
        reply(self, status, json.dumps(answer).encode(), "application/json; charset=utf-8")

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0") or 0)).decode()
        form = urllib.parse.parse_qs(body)
        record = {"path": self.path, "grant_type": form.get("grant_type", [""])[0],
                  "content_type": self.headers.get("Content-Type", "")}
        invalid = lambda d: self.reply(400, {"error": "invalid_grant", "error_description": d}, record)
        if self.path != "/token" or record["grant_type"] != "urn:ietf:params:oauth:grant-type:jwt-bearer":
            return self.reply(400, {"error": "unsupported_grant_type", "error_description": "Invalid grant_type"}, record)
        try:
            head, claims_part, sig = form["assertion"][0].split(".")
            header, claims = json.loads(unb64(head)), json.loads(unb64(claims_part))
        except Exception:
            return invalid("Invalid JWT: malformed")
        record["kid"], record["claims"] = header.get("kid", "")[-4:], sorted(claims)
        entry = keys.get(header.get("kid"))
        if header.get("alg") != "RS256" or entry is None:
            return invalid("Invalid grant: account not found")
        if not rs256_valid(entry["public"], (head + "." + claims_part).encode(), unb64(sig)):
            return invalid("Invalid JWT Signature.")
        now = time.time()
        if entry.get("clock") or abs(claims.get("iat", 0) - now) > 300 or not 0 < claims.get("exp", 0) - claims["iat"] <= 3600:
            return invalid("Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable "
                           "timeframe. Check your iat and exp values in the JWT claim.")
        port = self.server.server_address[1]
        if claims.get("iss") != entry["email"] or claims.get("aud") != f"http://127.0.0.1:{port}/token" \
                or "scope" not in claims:
            return invalid("Invalid JWT: claims")
        token = "ya29." + base64.urlsafe_b64encode(os.urandom(30)).decode()
        self.reply(200, {"access_token": token, "expires_in": 3599, "token_type": "Bearer"}, record)


serve(Handler, port_file)
