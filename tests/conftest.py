"""Shared test infrastructure: workspace, loopback HTTP server, deterministic embedder, CLI."""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner, Result

from fitbrief.app import App
from fitbrief.cli import cli
from fitbrief.config import load_settings
from fitbrief.store import Database


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty current folder with FITBRIEF_* variables cleared."""
    monkeypatch.chdir(tmp_path)
    for name in list(__import__("os").environ):
        if name.startswith("FITBRIEF_"):
            monkeypatch.delenv(name)
    return tmp_path


def run(*args: str, input: str | None = None) -> Result:
    """Invoke the CLI in-process; exceptions other than SystemExit propagate."""
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


@dataclass
class Route:
    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class LoopbackServer:
    """A real threaded HTTP server; ``routes`` maps path (with query) to a Route or a list of
    Routes served in turn.  ``requests`` records (method, path, headers) of every request."""

    routes: dict[str, Any]
    host: str = "127.0.0.1"
    requests: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"


def _make_handler(server: LoopbackServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            server.requests.append((self.command, self.path, dict(self.headers)))
            route = server.routes.get(self.path) or server.routes.get(self.path.split("?")[0])
            if isinstance(route, list):
                route = route.pop(0) if len(route) > 1 else route[0]
            if callable(route):
                route = route(self)
            if route is None:
                route = Route(404, b"not found", {"Content-Type": "text/plain"})
            if route.delay:
                time.sleep(route.delay)
            body = route.body.encode() if isinstance(route.body, str) else route.body
            body = body.replace(b"{base}", server.url.encode())
            self.send_response(route.status)
            headers = {"Content-Type": "text/html; charset=utf-8", **route.headers}
            for k, v in headers.items():
                self.send_header(k, v)
            if "Content-Length" not in headers:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        do_POST = do_GET

    return Handler


@pytest.fixture
def http_server() -> Iterator[Any]:
    """Factory: ``http_server(routes, host=...)`` starts a server; all stop after the test."""
    started: list[ThreadingHTTPServer] = []

    def start(routes: dict[str, Any], host: str = "127.0.0.1") -> LoopbackServer:
        spec = LoopbackServer(routes, host)
        httpd = ThreadingHTTPServer((host, 0), _make_handler(spec))
        httpd.daemon_threads = True
        spec.port = httpd.server_address[1]
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        started.append(httpd)
        return spec

    yield start
    for httpd in started:
        httpd.shutdown()
        httpd.server_close()


class HashEmbedder:
    """Deterministic bag-of-words embedder: texts sharing words are similar."""

    model_id = "test-hash@1"
    dim = 384

    def __init__(self) -> None:
        self.calls = 0
        self.encoded = 0

    def encode(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        self.encoded += len(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"[a-z]+", text.lower()):
                stem = word[:6]
                h = int(hashlib.md5(stem.encode()).hexdigest(), 16)
                out[i, h % self.dim] += 1.0
            norm = np.linalg.norm(out[i])
            out[i] = out[i] / norm if norm else out[i]
            if not norm:
                out[i, 0] = 1.0
        return out


@pytest.fixture
def embedder() -> HashEmbedder:
    return HashEmbedder()


@pytest.fixture
def settings(workspace: Path) -> Any:
    return (
        load_settings()
        .replace("storage", database=str(workspace / "test.duckdb"))
        .replace(
            "crawl",
            allow_private_hosts=True,
            min_delay=0.0,
            backoff_base=0.01,
            connect_timeout=2.0,
            read_timeout=2.0,
            total_timeout=3.0,
        )
    )


@pytest.fixture
def db(settings: Any) -> Database:
    return Database(settings.database, 2.0)


def make_app(settings: Any, embedder: Any = None) -> App:
    """The App a command would build, with the test embedder unless one is given."""
    return App(settings, embedder=embedder or HashEmbedder())


@pytest.fixture
def app(settings: Any) -> App:
    return make_app(settings)


@pytest.fixture
def use_db(db: Database, monkeypatch: pytest.MonkeyPatch) -> Database:
    """CLI commands read and write the test database."""
    monkeypatch.setenv("FITBRIEF_DB", str(db.path))
    return db


def one_line_error(result: Result, *needles: str) -> str:
    """The command failed with one line of error (no traceback) holding every needle."""
    lines = result.output.strip().splitlines()
    assert result.exit_code != 0, result.output
    assert len(lines) == 1, result.output
    assert "Traceback" not in result.output
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    return lines[0]
