"""A real threaded HTTP server on loopback addresses that serves a folder of static files.

The demo serves its bundled company sites with it, and the tests reuse it.  ``{port}`` in a
served file is replaced by the server's port, so sitemaps and feeds can hold absolute URLs.
"""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json",
    ".css": "text/css",
}


def _handler(root: Path, port_holder: list[int]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "fitbrief-loopback/1"

        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

        def _resolve(self) -> Path | None:
            path = urlsplit(self.path).path
            base = (root / path.lstrip("/")).resolve()
            if not str(base).startswith(str(root.resolve())):
                return None
            for candidate in (base, base / "index.html", base / "index.json"):
                if candidate.is_file():
                    return candidate
            return None

        def do_GET(self) -> None:
            file = self._resolve()
            if file is None:
                self.send_response(404)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(b"not found")
                return
            body = file.read_bytes().replace(b"{port}", str(port_holder[0]).encode())
            ctype = _TYPES.get(file.suffix)
            if ctype is None:
                ctype = "application/json" if body[:1] in (b"{", b"[") else "text/plain"
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("ETag", f'"{hash(body) & 0xFFFFFFFF:x}"')
            self.end_headers()
            self.wfile.write(body)

        do_POST = do_GET

    return Handler


class SiteServer:
    """Serves ``folders`` (host address -> folder) on one shared port until stopped."""

    def __init__(self, folders: dict[str, Path]) -> None:
        self.folders = folders
        self.port = 0
        self._servers: list[ThreadingHTTPServer] = []

    def start(self, preferred_port: int = 0) -> SiteServer:
        """Bind every host to one port: ``preferred_port`` when it is free, else any."""
        for attempt in range(20):
            port = preferred_port if attempt == 0 and preferred_port else 0
            port = port or _free_port(next(iter(self.folders)))
            servers: list[ThreadingHTTPServer] = []
            try:
                holder = [port]
                for host, folder in self.folders.items():
                    server = ThreadingHTTPServer((host, port), _handler(folder, holder))
                    server.daemon_threads = True
                    servers.append(server)
                self._servers, self.port = servers, port
                break
            except OSError:
                for server in servers:
                    server.server_close()
        else:
            raise OSError("no free loopback port for the demo server")
        for server in self._servers:
            threading.Thread(target=server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()

    def __enter__(self) -> SiteServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _free_port(host: str) -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])
