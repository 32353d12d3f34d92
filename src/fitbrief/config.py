"""Settings: built-in defaults < config.toml < FITBRIEF_* environment variables < CLI flags.

The built-in defaults are the packaged ``default_config.toml`` itself, so the documented file
and the defaults can never drift apart.  Each section is a typed, frozen dataclass; values
are coerced to the default's type and range-checked where they are read, so a bad value is
reported with the file and line, the variable or the flag it came from.
"""

from __future__ import annotations

import dataclasses
import math
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from fitbrief.errors import ConfigError
from fitbrief.tomlfile import line_of, read_toml, where

DEFAULT_CONFIG_TEXT = resources.files("fitbrief").joinpath("default_config.toml").read_text()
_DEFAULTS: dict[str, dict[str, Any]] = tomllib.loads(DEFAULT_CONFIG_TEXT)

# Short environment names kept for the settings people reach for most.
ENV_ALIASES = {
    "FITBRIEF_DB": ("storage", "database"),
    "FITBRIEF_PROFILE": ("profile", "path"),
}
# FITBRIEF_* variables that are not settings (everything else must name a setting).
ENV_NOT_SETTINGS = frozenset({"FITBRIEF_DEBUG", "FITBRIEF_EVAL_DIR"})


def _bounds(
    low: float | None = None, high: float | None = None, above: float | None = None
) -> dict[str, Any]:
    """Field metadata: the allowed range (``above``: strictly greater than)."""
    return {"low": low, "high": high, "above": above}


@dataclass(frozen=True)
class StorageSettings:
    database: str = field(metadata={"nonempty": True})
    busy_timeout: float = field(metadata=_bounds(low=0))

    @property
    def path(self) -> Path:
        return Path(self.database).expanduser()


@dataclass(frozen=True)
class CrawlSettings:
    max_pages: int = field(metadata=_bounds(low=1))
    max_depth: int = field(metadata=_bounds(low=0))
    per_host_concurrency: int = field(metadata=_bounds(low=1))
    global_concurrency: int = field(metadata=_bounds(low=1))
    min_delay: float = field(metadata=_bounds(low=0))
    user_agent: str = field(metadata={"nonempty": True})
    connect_timeout: float = field(metadata=_bounds(above=0))
    read_timeout: float = field(metadata=_bounds(above=0))
    total_timeout: float = field(metadata=_bounds(above=0))
    max_redirects: int = field(metadata=_bounds(low=0))
    max_retries: int = field(metadata=_bounds(low=0))
    backoff_base: float = field(metadata=_bounds(low=0))
    max_retry_after: float = field(metadata=_bounds(low=0))
    max_body_bytes: int = field(metadata=_bounds(low=1024))
    allow_private_hosts: bool
    recrawl_after_hours: float = field(metadata=_bounds(low=0))


@dataclass(frozen=True)
class SourcesSettings:
    """Base URL of each job-board source's API (``[sources] <name>_url``)."""

    urls: Mapping[str, str]

    def url(self, source: str) -> str:
        return self.urls[source]


@dataclass(frozen=True)
class EmbedSettings:
    model: str = field(metadata={"nonempty": True})
    batch_size: int = field(metadata=_bounds(low=1))


@dataclass(frozen=True)
class ValuesSettings:
    min_probability: float = field(metadata=_bounds(low=0, high=1))
    evidence_per_dimension: int = field(metadata=_bounds(low=1))
    taxonomy_extra: str


@dataclass(frozen=True)
class FitSettings:
    min_known_dimensions: int = field(metadata=_bounds(low=1))
    statement_match: float = field(metadata=_bounds(low=-1, high=1))


@dataclass(frozen=True)
class ProfileSettings:
    path: str = field(metadata={"nonempty": True})


@dataclass(frozen=True)
class StoriesSettings:
    path: str = field(metadata={"nonempty": True})
    match_threshold: float = field(metadata=_bounds(low=-1, high=1))
    time_limit: float = field(metadata=_bounds(above=0))


@dataclass(frozen=True)
class DebriefSettings:
    coverage_threshold: float = field(metadata=_bounds(low=-1, high=1))
    topic_threshold: float = field(metadata=_bounds(low=-1, high=1))


_SECTIONS: dict[str, type] = {
    "storage": StorageSettings,
    "crawl": CrawlSettings,
    "sources": SourcesSettings,
    "embed": EmbedSettings,
    "values": ValuesSettings,
    "fit": FitSettings,
    "profile": ProfileSettings,
    "stories": StoriesSettings,
    "debrief": DebriefSettings,
}


@dataclass(frozen=True)
class Settings:
    """Resolved configuration: ``settings.crawl.max_pages``.  Frozen: ``replace`` returns a
    changed copy, so no caller's settings change under it."""

    storage: StorageSettings
    crawl: CrawlSettings
    sources: SourcesSettings
    embed: EmbedSettings
    values: ValuesSettings
    fit: FitSettings
    profile: ProfileSettings
    stories: StoriesSettings
    debrief: DebriefSettings
    source: Path | None = None  # the config file read, if any

    @property
    def database(self) -> Path:
        return self.storage.path

    def replace(self, section: str, origin: str = "flag", **changes: Any) -> Settings:
        """A copy with ``changes`` applied to one section (typed and checked like a file)."""
        values = _values_of(self)
        origins = {}
        for key, value in changes.items():
            if key not in values[section]:
                raise ConfigError(f"{origin}: unknown setting [{section}] {key}")
            origins[(section, key)] = f"{origin}: [{section}] {key}"
            values[section][key] = _coerce(section, key, value, origins[(section, key)])
        return _build(values, origins, self.source)


def _values_of(settings: Settings) -> dict[str, dict[str, Any]]:
    values: dict[str, dict[str, Any]] = {}
    for name in _SECTIONS:
        section = getattr(settings, name)
        if isinstance(section, SourcesSettings):
            values[name] = {f"{k}_url": v for k, v in section.urls.items()}
        else:
            values[name] = dataclasses.asdict(section)
    return values


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _coerce(section: str, key: str, value: Any, origin: str) -> Any:
    """``value`` as the type of the key's default, or ConfigError naming ``origin``."""
    default = _DEFAULTS[section][key]
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
            return value.strip().lower() in _TRUE
        raise ConfigError(f"{origin} must be true or false, got {value!r}")
    if isinstance(default, int):
        if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
            raise ConfigError(f"{origin} must be a whole number, got {value!r}")
        try:
            return int(value)
        except (TypeError, ValueError):
            raise ConfigError(f"{origin} must be a whole number, got {value!r}") from None
    if isinstance(default, float):
        if isinstance(value, bool):
            raise ConfigError(f"{origin} must be a number, got {value!r}")
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ConfigError(f"{origin} must be a number, got {value!r}") from None
        if not math.isfinite(number):  # nan slips past every range check; inf is no setting
            raise ConfigError(f"{origin} must be a finite number, got {value!r}")
        return number
    if isinstance(default, str) and not isinstance(value, str):
        raise ConfigError(f"{origin} must be a string, got {value!r}")
    return value


def _check(section: str, key: str, value: Any, origin: str) -> None:
    """Range and emptiness checks declared on the section's fields."""
    cls = _SECTIONS[section]
    fields = {f.name: f for f in dataclasses.fields(cls)}
    meta = fields[key].metadata if key in fields else {}
    if meta.get("nonempty") and not str(value).strip():
        raise ConfigError(f"{origin} must not be empty")
    low, high, above = meta.get("low"), meta.get("high"), meta.get("above")
    if low is not None and value < low:
        raise ConfigError(f"{origin} must be at least {low:g}, got {value!r}")
    if above is not None and value <= above:
        raise ConfigError(f"{origin} must be more than {above:g}, got {value!r}")
    if high is not None and value > high:
        raise ConfigError(f"{origin} must be at most {high:g}, got {value!r}")


def _build(
    values: dict[str, dict[str, Any]], origins: dict[tuple[str, str], str], source: Path | None
) -> Settings:
    sections: dict[str, Any] = {}
    for name, cls in _SECTIONS.items():
        table = values[name]
        for key, value in table.items():
            origin = origins.get((name, key), f"default: [{name}] {key}")
            _check(name, key, value, origin)
        if cls is SourcesSettings:
            sections[name] = SourcesSettings(
                {k.removesuffix("_url"): str(v) for k, v in table.items()}
            )
        else:
            sections[name] = cls(**table)
    return Settings(**sections, source=source)


def _merge_file(
    values: dict[str, dict[str, Any]], origins: dict[tuple[str, str], str], path: Path
) -> None:
    data, text = read_toml(path, "config", ConfigError)
    for section, table in data.items():
        at = where(path, line_of(text, section))
        if section not in _DEFAULTS:
            raise ConfigError(f"{at}: unknown section [{section}]")
        if not isinstance(table, Mapping):
            raise ConfigError(f"{at}: {section} must be a table")
        for key, value in table.items():
            at = where(path, line_of(text, key, section))
            if key not in _DEFAULTS[section]:
                raise ConfigError(f"{at}: unknown key '{key}' in [{section}]")
            origin = f"{at}: [{section}] {key}"
            values[section][key] = _coerce(section, key, value, origin)
            origins[(section, key)] = origin


def _merge_env(
    values: dict[str, dict[str, Any]],
    origins: dict[tuple[str, str], str],
    environ: Mapping[str, str],
) -> None:
    names = {
        f"FITBRIEF_{section}_{key}".upper(): (section, key)
        for section, table in _DEFAULTS.items()
        for key in table
    }
    names.update(ENV_ALIASES)
    for name, value in sorted(environ.items()):
        if not name.startswith("FITBRIEF_") or name in ENV_NOT_SETTINGS:
            continue
        if name not in names:
            raise ConfigError(
                f"environment variable {name} is not a fitbrief setting "
                "(FITBRIEF_<SECTION>_<KEY>, e.g. FITBRIEF_CRAWL_MAX_PAGES)"
            )
        section, key = names[name]
        values[section][key] = _coerce(section, key, value, f"environment variable {name}")
        origins[(section, key)] = f"environment variable {name}"


def load_settings(
    config_path: str | os.PathLike[str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Resolve settings from defaults, a config file and the environment.

    The file is ``config_path`` when given (it must exist), else ``./config.toml`` if present.
    """
    environ = os.environ if environ is None else environ
    values = {section: dict(table) for section, table in _DEFAULTS.items()}
    origins: dict[tuple[str, str], str] = {}
    path: Path | None
    if config_path is not None:
        path = Path(config_path)
        if not path.is_file():
            raise ConfigError(f"{path}: config file not found")
    else:
        candidate = Path("config.toml")
        path = candidate if candidate.is_file() else None
    if path is not None:
        _merge_file(values, origins, path)
    _merge_env(values, origins, environ)
    return _build(values, origins, path)
