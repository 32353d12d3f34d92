"""The values taxonomy: 15 dimensions with definitions, anchor statements, the interview
questions they invite and crosswalks to published frameworks; users may extend it."""

from __future__ import annotations

import json
import tomllib
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from fitbrief.config import ValuesSettings
from fitbrief.errors import ConfigError
from fitbrief.resources import DATA_DIR
from fitbrief.textutil import sha256_text
from fitbrief.tomlfile import entries_where, read_toml

NONE = "none"


@dataclass
class Dimension:
    id: str
    name: str
    description: str
    anchors: list[str]
    questions: list[str] = field(default_factory=list)
    ask: list[str] = field(default_factory=list)
    li2021: list[str] = field(default_factory=list)
    culture500: list[str] = field(default_factory=list)
    onet: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Taxonomy:
    """The dimensions in their fixed order, and the statements that state no value.  Frozen:
    its ids, index and fingerprint are computed once (scoring 1,000 companies asks often)."""

    dimensions: tuple[Dimension, ...]
    none_anchors: tuple[str, ...]

    @cached_property
    def ids(self) -> list[str]:
        return [d.id for d in self.dimensions]

    @cached_property
    def _by_id(self) -> dict[str, Dimension]:
        return {d.id: d for d in self.dimensions}

    def get(self, dimension_id: str) -> Dimension:
        return self._by_id[dimension_id]

    @cached_property
    def fingerprint(self) -> str:
        return sha256_text(
            json.dumps(
                [asdict(d) for d in self.dimensions] + list(self.none_anchors), sort_keys=True
            )
        )[:12]


# What a user's extension file may say about a built-in dimension: more examples and questions,
# never a new name or description (ids and names are stable; reports depend on them).
_EXTENDABLE = ("anchors", "questions", "ask")
_TEXT_LISTS = ("anchors", "questions", "ask", "li2021", "culture500", "onet")


def load_taxonomy(extra: str | Path | None = None) -> Taxonomy:
    """The shipped taxonomy, extended by a user file (new dimensions or more anchors)."""
    data = tomllib.loads((DATA_DIR / "taxonomy.toml").read_text(encoding="utf-8"))
    dims = {d["id"]: Dimension(**d) for d in data["dimension"]}
    none = list(data.get("none", {}).get("anchors", []))
    if extra:
        path = Path(extra)
        more, text = read_toml(path, "taxonomy extension", ConfigError)
        entries = more.get("dimension", [])
        places = entries_where(path, text, "dimension", len(entries))
        for position, (d, at) in enumerate(zip(entries, places, strict=True), 1):
            _check_extension(at, position, d, d.get("id") in dims)
            if d["id"] in dims:
                for key in _EXTENDABLE:
                    getattr(dims[d["id"]], key).extend(d.get(key, []))
            else:
                dims[d["id"]] = Dimension(**d)
        extra_none = more.get("none", {}).get("anchors", [])
        if not _is_text_list(extra_none):
            raise ConfigError(f"{path}: [none] anchors must be a list of strings")
        none.extend(extra_none)
    return Taxonomy(tuple(dims.values()), tuple(none))


def taxonomy_for(settings: ValuesSettings) -> Taxonomy:
    """The taxonomy the settings name: the shipped one plus ``[values] taxonomy_extra``."""
    return load_taxonomy(settings.taxonomy_extra or None)


def _is_text_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


def _check_extension(at: str, position: int, d: Any, built_in: bool) -> None:
    """One clear error per mistake in a user's [[dimension]] entry (``at``: path:line), named
    by id or position."""
    where = f"{at}: [[dimension]] {d.get('id') or f'#{position}'}"
    if not isinstance(d.get("id"), str) or not d["id"].strip():
        raise ConfigError(f"{at}: [[dimension]] #{position} has no id")
    allowed = {"id", *_EXTENDABLE} if built_in else {"id", "name", "description", *_TEXT_LISTS}
    unknown = sorted(set(d) - allowed)
    if unknown:
        why = (
            "a built-in dimension can only gain " + ", ".join(_EXTENDABLE)
            if built_in
            else "allowed: " + ", ".join(sorted(allowed))
        )
        raise ConfigError(f"{where}: unexpected key {unknown[0]!r} ({why})")
    if not built_in:
        for key in ("name", "description"):
            if not isinstance(d.get(key), str) or not d[key].strip():
                raise ConfigError(f"{where}: a new dimension needs a {key}")
        if not d.get("anchors"):
            raise ConfigError(f"{where}: a new dimension needs anchors (example statements)")
    for key in _TEXT_LISTS:
        if key in d and not _is_text_list(d[key]):
            raise ConfigError(f"{where}: {key} must be a list of non-empty strings")
