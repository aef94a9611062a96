#!/usr/bin/env python3
"""A provider stand-in for the --verify tests (tests/e2e/verify_*.sh): an HTTP(S) server on 127.0.0.1.

usage: verify_server.py SCENARIOS.json PORT_FILE LOG_FILE [CERT KEY]

SCENARIOS maps a token to a label and a list of answers; the n-th request carrying that token anywhere (the
path or query, a header value, a basic-auth header once decoded, the body) gets answer n (the last one
repeats). An answer is {"status": 200, "headers": {...}, "body": JSON value or text, "delay": seconds,
"drop": "before" | "during"}. Each request is logged as one JSON line: label (never the token), time (Unix
seconds), method, path, where the token was ("header NAME", "basic", "path", "body"), the body with the
token as <key>, and how many requests were in flight. The port is written to PORT_FILE. A scenario's
"by_path" maps a path (without the query) to its own answer, for providers asked twice (liveness, identity).
"""
import base64
import json
import socket
import urllib.parse
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

scenarios = json.load(open(sys.argv[1]))
port_file, log_path = sys.argv[2], sys.argv[3]
lock = threading.Lock()
counts = {}
in_flight = 0
log = open(log_path, "a", buffering=1)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet: the JSON log is the record
        pass

    def find_token(self, request_body):
        """The scenario's token in this request, and where it was."""
        places = [("path", urllib.parse.unquote(self.path)), ("body", request_body)]
        for name, value in self.headers.items():
            places.append(("header " + name, value))
            if name.lower() == "authorization" and value.startswith("Basic "):
                try:
                    places.append(("basic", base64.b64decode(value[6:]).decode()))
                except Exception:
                    pass
        for token in sorted(scenarios, key=len, reverse=True):
            for where, text in places:
                if token and token in text:
                    return token, where
        return "", ""

    def answer(self):
        global in_flight
        length = int(self.headers.get("Content-Length", "0") or 0)
        request_body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        token, where = self.find_token(request_body)
        scenario = scenarios.get(token, {"label": "unknown-token", "answers": [{"status": 401}]})
        with lock:
            n = counts.get(token, 0)
            counts[token] = n + 1
            in_flight += 1
            hide = (lambda t: t.replace(token, "<key>")) if token else (lambda t: t)
            log.write(json.dumps({"label": scenario["label"], "time": time.time(), "method": self.command,
                                  "path": hide(urllib.parse.unquote(self.path)), "where": where,
                                  "body": hide(request_body), "in_flight": in_flight,
                                  "user_agent": self.headers.get("User-Agent", "")}) + "\n")
        try:
            by_path = scenario.get("by_path", {}).get(self.path.split("?")[0].replace(token or "\0", "<key>"))
            a = by_path or scenario["answers"][min(n, len(scenario["answers"]) - 1)]
            time.sleep(a.get("delay", 0))
            if a.get("drop") == "before":
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            body = a.get("body", {"object": "list", "data": []})
            body = (body if isinstance(body, str) else json.dumps(body)).encode() + b"\n"
            self.send_response(a["status"])
            for name, value in a.get("headers", {}).items():
                self.send_header(name, value)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body) * (10 if a.get("drop") == "during" else 1)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            if a.get("drop") == "during":
                self.wfile.flush()
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
        finally:
            with lock:
                in_flight -= 1

    do_GET = do_POST = do_HEAD = do_DELETE = answer


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
if len(sys.argv) > 5:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(sys.argv[4], sys.argv[5])
    server.socket = context.wrap_socket(server.socket, server_side=True)
with open(port_file + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
import os
os.rename(port_file + ".tmp", port_file)
server.serve_forever()
