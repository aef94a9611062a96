#!/usr/bin/env python3
"""An AWS STS stand-in for verify_aws.sh (issue 26, AWS account and ARN): an HTTP server on 127.0.0.1 that
checks each request's Signature Version 4 as AWS documents it (canonical request, string to sign, the
signing key derived from the secret), computed here from the same secret with Python's hmac/hashlib, and
answers GetCallerIdentity as STS documents: the XML result with Account, Arn and UserId, or an ErrorResponse
(InvalidClientTokenId for an unknown key id, SignatureDoesNotMatch for a wrong secret, Throttling).

usage: sts_server.py KEYS.json PORT_FILE LOG_FILE
KEYS maps a key id to {"secret", "account", "arn", "user_id", "throttle": n (answer Throttling n times first),
"token": session token it requires}. Each request is logged as one JSON line: the key id's last four
characters, the method, the path, the body, the signed headers, and the answer's code.
"""
import datetime
import hashlib
import hmac
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from local_http import reply, serve  # noqa: E402

keys = json.load(open(sys.argv[1]))
port_file, log_path = sys.argv[2], sys.argv[3]
log = open(log_path, "a", buffering=1)
lock = threading.Lock()
throttled = {}

OK = """<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>{arn}</Arn>
    <UserId>{user_id}</UserId>
    <Account>{account}</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata>
    <RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId>
  </ResponseMetadata>
</GetCallerIdentityResponse>
"""
ERROR = """<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error>
    <Type>Sender</Type>
    <Code>{code}</Code>
    <Message>{message}</Message>
  </Error>
  <RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId>
</ErrorResponse>
"""


def sign(key, msg):
    return hmac.new(key, msg.encode(), hashlib.sha256).digest()


def expected_signature(secret, method, path, query, headers, signed, body, amz_date, scope):
    canonical_headers = "".join(f"{name}:{' '.join(headers.get(name, '').split())}\n" for name in signed)
    canonical = "\n".join([method, path, query, canonical_headers, ";".join(signed),
                           hashlib.sha256(body).hexdigest()])
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    date, region, service, _ = scope.split("/")
    k = sign(("AWS4" + secret).encode(), date)
    k = sign(k, region)
    k = sign(k, service)
    k = sign(k, "aws4_request")
    return hmac.new(k, to_sign.encode(), hashlib.sha256).hexdigest()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, text, record):
        with lock:
            log.write(json.dumps(record) + "\n")
        reply(self, status, text.encode(), "text/xml")

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0") or 0))
        headers = {k.lower(): v for k, v in self.headers.items()}
        auth = headers.get("authorization", "")
        record = {"method": self.command, "path": self.path, "body": body.decode("utf-8", "replace"),
                  "headers": sorted(headers)}
        try:
            algorithm, rest = auth.split(" ", 1)
            parts = dict(p.strip().split("=", 1) for p in rest.split(","))
            key_id, scope = parts["Credential"].split("/", 1)
            signed = parts["SignedHeaders"].split(";")
        except Exception:
            record["code"] = "IncompleteSignature"
            return self.reply(400, ERROR.format(code="IncompleteSignature", message="bad Authorization"), record)
        record["key"] = key_id[-4:]
        amz_date = headers.get("x-amz-date", "")
        when = datetime.datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.timezone.utc)
        fresh = abs((datetime.datetime.now(datetime.timezone.utc) - when).total_seconds()) < 900
        entry = keys.get(key_id)
        if algorithm != "AWS4-HMAC-SHA256" or "host" not in signed or "x-amz-date" not in signed:
            code, status = "IncompleteSignature", 400
        elif entry is None:
            code, status = "InvalidClientTokenId", 403
        elif not fresh or scope != f"{amz_date[:8]}/us-east-1/sts/aws4_request":
            code, status = "SignatureDoesNotMatch", 403
        elif not hmac.compare_digest(parts["Signature"], expected_signature(
                entry["secret"], self.command, self.path.split("?")[0], "", headers, signed, body, amz_date, scope)):
            code, status = "SignatureDoesNotMatch", 403
        elif entry.get("token") and (headers.get("x-amz-security-token") != entry["token"]
                                     or "x-amz-security-token" not in signed):
            code, status = "InvalidClientTokenId", 403
        elif body != b"Action=GetCallerIdentity&Version=2011-06-15":
            code, status = "InvalidAction", 400
        else:
            with lock:
                n = throttled.get(key_id, 0)
                throttled[key_id] = n + 1
            if n < entry.get("throttle", 0):
                code, status = "Throttling", 400
            else:
                record["code"] = "OK"
                return self.reply(200, OK.format(**entry), record)
        record["code"] = code
        self.reply(status, ERROR.format(code=code, message="refused"), record)


serve(Handler, port_file)
