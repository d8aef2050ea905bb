"""A local HTTP server that records every request made to it: a PDF render or a plan must never ask it anything.

Conftests that need the `recording_server` fixture import it from here.
"""

import http.server
import threading

import pytest


class RecordingServer(http.server.ThreadingHTTPServer):
    def __init__(self):
        self.requests: list[str] = []
        super().__init__(("127.0.0.1", 0), RecordingHandler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"


class RecordingHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.server.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body { color: red }")

    do_POST = do_HEAD = do_GET

    def log_message(self, format, *args):
        pass


@pytest.fixture
def recording_server():
    """A server on 127.0.0.1 that must never be asked for anything by a PDF render."""
    server = RecordingServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
