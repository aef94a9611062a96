"""This file implements a small Chrome DevTools Protocol client for keygate's browser tests (the HTML report,
tests/e2e/html_*.sh): it starts Debian's headless Chromium with a fresh profile and no network services,
and speaks CDP over a WebSocket written here with the Python standard library alone (RFC 6455 client
frames: masked, text; fragmented and large server frames are read)."""
import base64
import json
import os
import shutil
import socket
import struct
import subprocess
import tempfile
import time

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--mute-audio", "--no-default-browser-check",
    "--metrics-recording-only", "--password-store=basic", "--use-mock-keychain",
    "--window-size=1400,900",
]


def find_chromium():
    for name in (os.environ.get("KEYGATE_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if name and shutil.which(name):
            return shutil.which(name)
    raise SystemExit("FAIL: no Chromium found (Debian: apt-get install chromium; install.sh installs it)")


class WebSocket:
    def __init__(self, host, port, path, timeout=20):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                           "Sec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("DevTools closed the connection during the handshake")
            head += chunk
        head, self.buffer = head.split(b"\r\n\r\n", 1)
        if b" 101 " not in head.split(b"\r\n", 1)[0]:
            raise ConnectionError("WebSocket handshake refused: " + head.decode(errors="replace"))

    def send(self, text):
        data = text.encode()
        header = bytes([0x81])
        n = len(data)
        if n < 126:
            header += bytes([0x80 | n])
        elif n < 65536:
            header += bytes([0x80 | 126]) + struct.pack(">H", n)
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", n)
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
        self.sock.sendall(header + mask + masked)

    def _read(self, n):
        while len(self.buffer) < n:
            chunk = self.sock.recv(max(65536, n - len(self.buffer)))
            if not chunk:
                raise ConnectionError("DevTools closed the connection")
            self.buffer += chunk
        out, self.buffer = self.buffer[:n], self.buffer[n:]
        return out

    def recv(self):
        message = b""
        while True:
            b0, b1 = self._read(2)
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._read(8))[0]
            mask = self._read(4) if b1 & 0x80 else None
            payload = self._read(n)
            if mask:
                payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
            opcode = b0 & 0x0F
            if opcode == 8:
                raise ConnectionError("DevTools closed the WebSocket")
            if opcode in (9, 10):  # ping, pong: Chromium sends none unasked; ignore
                continue
            message += payload
            if b0 & 0x80:
                return message.decode()


class Browser:
    """Headless Chromium with one page. Collects every event; `dialogs`, `requests`, `console` and
    `exceptions` say what the page did."""

    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="keygate-chromium-")
        self.proc = subprocess.Popen(
            [find_chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={self.profile}", "--remote-debugging-port=0",
             "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = os.path.join(self.profile, "DevToolsActivePort")
        deadline = time.time() + 15
        while not (os.path.exists(port_file) and len(open(port_file).read().split("\n")) >= 2
                   and open(port_file).read().split("\n")[1]):
            if time.time() > deadline or self.proc.poll() is not None:
                self.close()
                raise SystemExit("FAIL: Chromium did not start (no DevToolsActivePort)")
            time.sleep(0.05)
        port, path = open(port_file).read().split("\n")[:2]
        self.ws = WebSocket("127.0.0.1", int(port), path)
        self.next_id = 0
        self.events = []
        self.dialogs, self.requests, self.console, self.exceptions = [], [], [], []
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Network", "Log"):
            self.page(f"{domain}.enable")

    def close(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _note(self, event):
        self.events.append(event)
        method, params = event.get("method"), event.get("params", {})
        if method == "Page.javascriptDialogOpening":
            self.dialogs.append(params.get("message"))
            # Dismiss it so the page goes on; the test fails on it afterwards.
            self.ws.send(json.dumps({"id": -1, "method": "Page.handleJavaScriptDialog",
                                     "params": {"accept": False}, "sessionId": event.get("sessionId")}))
        elif method == "Network.requestWillBeSent":
            self.requests.append(params["request"]["url"])
        elif method == "Runtime.consoleAPICalled":
            self.console.append(" ".join(str(a.get("value", a.get("description", ""))) for a in params["args"]))
        elif method == "Runtime.exceptionThrown":
            self.exceptions.append(params["exceptionDetails"])
        elif method == "Log.entryAdded":
            self.console.append(params["entry"].get("text", ""))

    def _pump(self, until, timeout):
        deadline = time.time() + timeout
        while True:
            self.ws.sock.settimeout(max(0.01, deadline - time.time()))
            try:
                message = json.loads(self.ws.recv())
            except socket.timeout:
                raise TimeoutError("no answer from Chromium in time") from None
            if "method" in message:
                self._note(message)
            if until(message):
                return message

    def call(self, method, params=None, session=None, timeout=20):
        self.next_id += 1
        ask = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            ask["sessionId"] = session
        self.ws.send(json.dumps(ask))
        answer = self._pump(lambda m: m.get("id") == ask["id"], timeout)
        if "error" in answer:
            raise RuntimeError(f"{method}: {answer['error']}")
        return answer.get("result", {})

    def page(self, method, params=None, timeout=20):
        return self.call(method, params, self.session, timeout)

    def wait_event(self, method, timeout=20, since=0):
        for event in self.events[since:]:
            if event.get("method") == method:
                return event["params"]
        return self._pump(lambda m: m.get("method") == method, timeout)["params"]

    def open(self, url, timeout=20):
        mark = len(self.events)
        self.page("Page.navigate", {"url": url})
        self.wait_event("Page.loadEventFired", timeout, since=mark)

    def js(self, expression, timeout=20):
        """The value of `expression` (a promise is awaited); a thrown exception fails the test."""
        result = self.page("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": True}, timeout)
        if "exceptionDetails" in result:
            raise AssertionError(f"{expression!r} threw: {result['exceptionDetails']}")
        return result["result"].get("value")

    def screenshot(self, path):
        data = self.page("Page.captureScreenshot", {"format": "png"})["data"]
        with open(path, "wb") as out:
            out.write(base64.b64decode(data))

    def allow_downloads(self, folder):
        self.call("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": folder,
                                                  "eventsEnabled": True})

    def wait_download(self, timeout=15, since=0):
        """The guid of the next download that completes."""
        deadline = time.time() + timeout
        at = since
        while True:
            for event in self.events[at:]:
                if (event.get("method") == "Browser.downloadProgress"
                        and event["params"].get("state") == "completed"):
                    return event["params"]["guid"]
            at = len(self.events)
            self._pump(lambda m: m.get("method") == "Browser.downloadProgress", max(0.05, deadline - time.time()))


def open_report(browser, path):
    """Loads the HTML report at `path` with a CSP-violation recorder installed first; returns its URL."""
    browser.page("Page.addScriptToEvaluateOnNewDocument", {"source": (
        "window.__violations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));")})
    url = "file://" + os.path.abspath(path)
    browser.requests.clear()
    browser.open(url)
    deadline = time.time() + 10
    while browser.js("document.documentElement.dataset.ready || ''") != "1":
        if time.time() > deadline:
            raise AssertionError(f"the report never became ready; exceptions: {browser.exceptions}")
        time.sleep(0.02)
    return url


def assert_quiet(browser, url):
    """The page ran nothing it was not meant to: no dialog, no exception, no CSP violation, and no request
    but its own file (downloads are blob: URLs the page made)."""
    assert not browser.dialogs, f"the page opened dialogs: {browser.dialogs}"
    assert not browser.exceptions, f"the page threw: {browser.exceptions}"
    violations = browser.js("window.__violations")
    assert violations == [], f"CSP violations: {violations}"
    others = [u for u in browser.requests if u != url and not u.startswith(("blob:", "data:"))]
    assert not others, f"the page made requests: {others}"


def set_value(browser, element_id, value):
    """Types `value` into an input or picks it in a select, as a user would (input and change events);
    returns the list's counts afterwards as (incidents, places)."""
    browser.js(f"""(() => {{ const e = document.getElementById({json.dumps(element_id)});
        e.value = {json.dumps(value)}; e.dispatchEvent(new Event('input', {{bubbles: true}}));
        e.dispatchEvent(new Event('change', {{bubbles: true}})); }})()""")
    return counts(browser)


def set_checked(browser, element_id, checked):
    browser.js(f"""(() => {{ const e = document.getElementById({json.dumps(element_id)});
        if (e.checked !== {json.dumps(checked)}) e.click(); }})()""")
    return counts(browser)


def counts(browser):
    c = browser.js("Object.assign({}, document.getElementById('count').dataset)")
    return int(c["incidents"]), int(c["places"])


def download(browser, button_id, folder, name, timeout=15):
    """Clicks a download button and returns the text of the file it saved as `name` in `folder`."""
    target = os.path.join(folder, name)
    if os.path.exists(target):
        os.remove(target)
    since = len(browser.events)
    browser.js(f"document.getElementById({json.dumps(button_id)}).click()")
    browser.wait_download(timeout, since)
    with open(target, encoding="utf-8") as f:
        return f.read()
