"""Where fitbrief's shipped data lives (the taxonomy, skills list, demo sites)."""

from __future__ import annotations

import os
from pathlib import Path

# The repository's top-level data/ (fitbrief is installed from its checkout, editable).
DATA_DIR = Path(os.environ.get("FITBRIEF_DATA_DIR", Path(__file__).resolve().parents[2] / "data"))
