#!/usr/bin/env python3
"""A provider stand-in for the --verify tests (tests/e2e/verify_*.sh): an HTTP(S) server on 127.0.0.1.

usage: verify_server.py SCENARIOS.json PORT_FILE LOG_FILE [CERT KEY]

SCENARIOS maps a bearer token to a label and a list of answers; the n-th request with that token gets
answer n (the last one repeats). An answer is {"status": 200, "headers": {...}, "delay": seconds,
"drop": "before" | "during"}. Each request is logged as one JSON line: label (never the token), time
(Unix seconds), method, path, and how many requests were in flight. The port is written to PORT_FILE.
"""
import json
import socket
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

    def answer(self):
        global in_flight
        auth = self.headers.get("Authorization", "")
        token = auth[len("Bearer "):] if auth.startswith("Bearer ") else ""
        scenario = scenarios.get(token, {"label": "unknown-token", "answers": [{"status": 401}]})
        with lock:
            n = counts.get(token, 0)
            counts[token] = n + 1
            in_flight += 1
            log.write(json.dumps({"label": scenario["label"], "time": time.time(), "method": self.command,
                                  "path": self.path, "in_flight": in_flight, "user_agent":
                                  self.headers.get("User-Agent", "")}) + "\n")
        try:
            a = scenario["answers"][min(n, len(scenario["answers"]) - 1)]
            time.sleep(a.get("delay", 0))
            if a.get("drop") == "before":
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            body = b'{"object": "list", "data": []}\n'
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

    do_GET = do_POST = do_HEAD = answer


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
