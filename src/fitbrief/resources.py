"""Where fitbrief's shipped data lives: inside the package (``fitbrief/data``), so an
installed wheel finds its taxonomy, skills list, quiz and demo sites wherever it runs.
The checkout's top-level ``data/`` is a link to the same folder."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

# Installed wheels are unpacked on disk, so the package's files are real paths (the demo
# serves a folder of them).
DATA_DIR = Path(str(resources.files("fitbrief").joinpath("data")))


def read_jsonl(name: str) -> list[dict[str, Any]]:
    """The rows of a shipped JSON Lines file in ``data/``."""
    text = (DATA_DIR / name).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line]
