"""What every ATS source shares: its fetch context and JSON loading with clear errors."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httpx

from fitbrief.errors import SourceError
from fitbrief.net.http import FetchPolicy, Response, fetch


@dataclass
class SourceContext:
    """An HTTP client plus the base URL configured for one source."""

    client: httpx.AsyncClient
    policy: FetchPolicy
    base_url: str
    source: str
    board: str

    def url(self, path: str) -> str:
        base = self.base_url.replace("{slug}", self.board).replace("{host}", self.board)
        return base.rstrip("/") + path

    async def get(self, path: str, method: str = "GET", body: Any = None) -> Response:
        content = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"} if content else None
        url = self.url(path)
        response = await fetch(
            self.client, url, self.policy, headers=headers, method=method, content=content
        )
        if response.status == 404:
            raise SourceError(f"{self.source} board {self.board!r} not found (404 at {url})")
        if not response.ok:
            raise SourceError(f"{self.source} board {self.board!r}: {url}: {response.error}")
        return response

    async def get_json(self, path: str, method: str = "GET", body: Any = None) -> Any:
        response = await self.get(path, method, body)
        try:
            return json.loads(response.body)
        except ValueError as exc:
            raise SourceError(
                f"{self.source} board {self.board!r}: {response.final_url}: malformed JSON ({exc})"
            ) from None

    def shape_error(self, what: str) -> SourceError:
        return SourceError(f"{self.source} board {self.board!r}: unexpected response: {what}")


def text_of(value: Any) -> str:
    """A string field that may be missing, null or not a string."""
    return value if isinstance(value, str) else ""
