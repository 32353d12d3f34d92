"""The user's values profile (``profile.toml``): importances 1-5 per dimension, statements of
what they want and avoid, and dealbreakers."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from fitbrief.analysis.taxonomy import Taxonomy
from fitbrief.errors import ProfileError
from fitbrief.tomlfile import line_of, read_toml, where

PROFILE_TEMPLATE = """\
# Your values profile for fitbrief.  Rate how important each dimension is to you, 1-5
# (leave one out if you have no view).  See `fitbrief values dimensions` for what each means.
name = "Your name"

# What you look for, in your own words: matched against what companies write.
wants = [
  "A team that invests in mentoring and learning",
]
# What you would rather not have.
avoid = [
  "Long hours and weekend work as the norm",
]
# Anything here found in a company's own words is flagged loudly.
dealbreakers = []

[importance]
innovation = 3
agility = 3
collaboration = 4
customer = 3
integrity = 5
respect = 4
inclusion = 3
results = 3
quality = 4
autonomy = 4
growth = 5
rewards = 3
wellbeing = 4
impact = 3
stability = 2
"""


@dataclass
class UserProfile:
    importance: dict[str, int]
    wants: list[str] = field(default_factory=list)
    avoid: list[str] = field(default_factory=list)
    dealbreakers: list[str] = field(default_factory=list)
    name: str = ""
    notes: str = ""
    path: str = ""


def load_profile(path: str | Path, taxonomy: Taxonomy) -> UserProfile:
    """Read and validate profile.toml; errors name the file, line and problem."""
    path = Path(path)
    if not path.exists():
        raise ProfileError(
            f"{path}: profile not found (create one with 'fitbrief init' or "
            "'fitbrief profile quiz')"
        )
    data, text = read_toml(path, "profile", ProfileError)
    allowed = {"importance", "wants", "avoid", "dealbreakers", "name", "notes"}
    for key in data:
        if key not in allowed:
            raise ProfileError(
                f"{where(path, line_of(text, key))}: unknown key '{key}' (expected one of "
                f"{', '.join(sorted(allowed))})"
            )
    importance = data.get("importance", {})
    if not isinstance(importance, dict):
        raise ProfileError(f"{path}: 'importance' must be a table of dimension = 1..5")
    ids = set(taxonomy.ids)
    for dim, value in importance.items():
        at = where(path, line_of(text, dim, "importance"))
        if dim in ("wants", "avoid", "dealbreakers", "name", "notes"):
            raise ProfileError(
                f"{at}: '{dim}' is inside [importance]; move it above the [importance] line"
                " (in TOML a key after a [table] header belongs to that table)"
            )
        if dim not in ids:
            raise ProfileError(
                f"{at}: unknown dimension '{dim}' (see 'fitbrief values dimensions')"
            )
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            raise ProfileError(
                f"{at}: importance of '{dim}' must be a whole number from 1 to 5, got {value!r}"
            )
    lists = {}
    for key in ("wants", "avoid", "dealbreakers"):
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            at = where(path, line_of(text, key))
            raise ProfileError(f"{at}: '{key}' must be a list of strings")
        lists[key] = [v.strip() for v in value if v.strip()]
    for key in ("name", "notes"):
        if key in data and not isinstance(data[key], str):
            at = where(path, line_of(text, key))
            raise ProfileError(f"{at}: '{key}' must be a string")
    if not importance and not lists["wants"]:
        raise ProfileError(
            f"{path}: the profile is empty: rate at least one dimension in [importance]"
        )
    return UserProfile(
        dict(importance),
        lists["wants"],
        lists["avoid"],
        lists["dealbreakers"],
        str(data.get("name", "")),
        str(data.get("notes", "")),
        str(path),
    )
