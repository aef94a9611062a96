# A minimal LSP client for keygate's language-server tests and benchmark: starts `keygate lsp`, frames
# JSON-RPC messages with Content-Length headers, and reads the server's messages on a thread of its own,
# each stamped with the time it arrived (bench/lsp.py measures latency from those stamps).
import json
import os
import queue
import random
import subprocess
import threading
import time


def fake_key(seed):
    """A Together-shaped key, different per seed, the same on every run (lib.sh's fake_key in Python)."""
    rng = random.Random(seed)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
    return "tgp_" + "v1_" + "".join(rng.choice(alphabet) for _ in range(43))


def frame(obj):
    body = json.dumps(obj).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


class Client:
    def __init__(self, keygate, cwd=None, args=(), env=None):
        self.proc = subprocess.Popen([keygate, "lsp", *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, cwd=cwd, env=env)
        self.messages = queue.Queue()
        self.bodies = []  # every message body read, as bytes
        self.next_id = 1
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    self.messages.put((time.perf_counter(), None))
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.partition(b":")
                if name.lower() == b"content-length":
                    length = int(value)
            body = out.read(length)
            self.bodies.append(body)
            self.messages.put((time.perf_counter(), json.loads(body)))

    def send_raw(self, data):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def notify(self, method, params):
        self.send_raw(frame({"jsonrpc": "2.0", "method": method, "params": params}))

    def request(self, method, params, timeout=10):
        rid = self.next_id
        self.next_id += 1
        self.send_raw(frame({"jsonrpc": "2.0", "id": rid, "method": method, "params": params}))
        return self.wait(lambda m: m.get("id") == rid and "method" not in m, timeout)[1]

    def wait(self, predicate, timeout=10):
        """The first message (arrival time, message) that satisfies `predicate`; others are dropped."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no such message from the server")
            stamp, message = self.messages.get(timeout=left)
            if message is None:
                raise EOFError("the server closed its output")
            if predicate(message):
                return stamp, message

    def diagnostics(self, uri, timeout=10, version=None):
        """The next publishDiagnostics for `uri` (of `version` when given): (arrival time, diagnostics)."""
        stamp, m = self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics" and
                             m["params"]["uri"] == uri and
                             (version is None or m["params"].get("version") == version), timeout)
        return stamp, m["params"]["diagnostics"]

    def initialize(self, root, capabilities=None, options=None):
        params = {"processId": os.getpid(), "rootUri": "file://" + root, "capabilities": capabilities or {}}
        if options is not None:
            params["initializationOptions"] = options
        result = self.request("initialize", params)
        self.notify("initialized", {})
        return result

    def close(self, timeout=10):
        """shutdown, exit; returns the exit code."""
        self.request("shutdown", None)
        self.notify("exit", None)
        return self.proc.wait(timeout)
