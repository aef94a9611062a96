"""Shared by the provider stand-ins of the --verify tests (sts_server.py, google_token_server.py): writing one
answer, and serving on 127.0.0.1 with the port written to a file once listening."""
import os
from http.server import ThreadingHTTPServer


def reply(handler, status, body, content_type):
    """Sends `body` (bytes) with `status` as the answer to `handler`'s request."""
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def serve(handler_class, port_file):
    """Serves `handler_class` on 127.0.0.1 (a free port, written to `port_file` atomically) until killed."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_class)
    server.daemon_threads = True
    with open(port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(port_file + ".tmp", port_file)
    server.serve_forever()
