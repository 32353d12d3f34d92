"""Settings: built-in defaults < config.toml < FITBRIEF_* environment variables < CLI flags.

The built-in defaults are the packaged ``default_config.toml`` itself, so the documented file
and the defaults can never drift apart.  Keys not in it are rejected by name.
"""

from __future__ import annotations

import copy
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from fitbrief.errors import ConfigError
from fitbrief.textutil import read_text_file

DEFAULT_CONFIG_TEXT = resources.files("fitbrief").joinpath("default_config.toml").read_text()
_DEFAULTS: dict[str, dict[str, Any]] = tomllib.loads(DEFAULT_CONFIG_TEXT)

# Short environment names kept for the settings people reach for most.
_ENV_ALIASES = {"FITBRIEF_DB": ("storage", "database")}


@dataclass
class Settings:
    """Resolved configuration: ``settings["crawl"]["max_pages"]`` or ``settings.get(...)``."""

    values: dict[str, dict[str, Any]] = field(default_factory=lambda: copy.deepcopy(_DEFAULTS))
    source: Path | None = None

    def __getitem__(self, section: str) -> dict[str, Any]:
        return self.values[section]

    def get(self, section: str, key: str) -> Any:
        return self.values[section][key]

    def set(self, section: str, key: str, value: Any) -> None:
        """Apply an override (a CLI flag); the type must match the default's."""
        self.values[section][key] = _coerce(section, key, value, origin="flag")

    @property
    def database(self) -> Path:
        return Path(self.values["storage"]["database"]).expanduser()


def _coerce(section: str, key: str, value: Any, origin: str) -> Any:
    default = _DEFAULTS[section][key]
    where = f"{origin}: [{section}] {key}"
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in {
            "1",
            "true",
            "yes",
            "on",
            "0",
            "false",
            "no",
            "off",
        }:
            return value.lower() in {"1", "true", "yes", "on"}
        raise ConfigError(f"{where} must be true or false, got {value!r}")
    if isinstance(default, int):
        try:
            return int(value)
        except (TypeError, ValueError):
            raise ConfigError(f"{where} must be a whole number, got {value!r}") from None
    if isinstance(default, float):
        try:
            return float(value)
        except (TypeError, ValueError):
            raise ConfigError(f"{where} must be a number, got {value!r}") from None
    if isinstance(default, str) and not isinstance(value, str):
        raise ConfigError(f"{where} must be a string, got {value!r}")
    return value


def _merge_file(values: dict[str, dict[str, Any]], path: Path) -> None:
    text = read_text_file(path, "config", ConfigError)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: syntax error: {exc}") from None
    for section, table in data.items():
        if section not in _DEFAULTS:
            raise ConfigError(f"{path}: unknown section [{section}]{_line_of(text, section)}")
        if not isinstance(table, Mapping):
            raise ConfigError(f"{path}: {section} must be a table")
        for key, value in table.items():
            if key not in _DEFAULTS[section]:
                raise ConfigError(
                    f"{path}: unknown key '{key}' in [{section}]{_line_of(text, key)}"
                )
            values[section][key] = _coerce(section, key, value, origin=str(path))


def _line_of(text: str, name: str) -> str:
    for number, line in enumerate(text.splitlines(), 1):
        if re.match(rf"\s*\[?\s*{re.escape(name)}\b", line):
            return f" (line {number})"
    return ""


def _merge_env(values: dict[str, dict[str, Any]], environ: Mapping[str, str]) -> None:
    for name, (section, key) in _ENV_ALIASES.items():
        if name in environ:
            values[section][key] = _coerce(section, key, environ[name], origin=name)
    for section, table in _DEFAULTS.items():
        for key in table:
            name = f"FITBRIEF_{section}_{key}".upper()
            if name in environ:
                values[section][key] = _coerce(section, key, environ[name], origin=name)


def load_settings(
    config_path: str | os.PathLike[str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Resolve settings from defaults, a config file and the environment.

    The file is ``config_path`` when given (it must exist), else ``./config.toml`` if present.
    """
    environ = os.environ if environ is None else environ
    settings = Settings()
    path: Path | None
    if config_path is not None:
        path = Path(config_path)
        if not path.is_file():
            raise ConfigError(f"{path}: config file not found")
    else:
        candidate = Path("config.toml")
        path = candidate if candidate.is_file() else None
    if path is not None:
        _merge_file(settings.values, path)
        settings.source = path
    _merge_env(settings.values, environ)
    return settings
