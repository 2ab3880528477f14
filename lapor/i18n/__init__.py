"""The words lapor shows people: one TOML catalogue per language (id.toml, en.toml), looked up
by a dotted key with `t("notice.verify", "en", code=...)`. Bahasa Indonesia is the default and
the fallback for a language we do not have; a key missing from a catalogue is a KeyError, and a
test keeps the two catalogues' keys and placeholders equal."""

from __future__ import annotations

import string
import tomllib
from collections.abc import Callable, Mapping
from functools import cache
from importlib import resources
from typing import Any

from markupsafe import Markup

LANGUAGES = ("id", "en")
DEFAULT = "id"


def _flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


@cache
def catalogue(language: str) -> Mapping[str, str]:
    """Every string of `language`, by dotted key (read once)."""
    text = resources.files(__package__).joinpath(f"{language}.toml").read_text(encoding="utf-8")
    return _flatten(tomllib.loads(text))


def language_of(value: str | None) -> str:
    """`value` when it is a language we speak, else the default."""
    return value if value in LANGUAGES else DEFAULT


def t(key: str, language: str | None = DEFAULT, /, **params: object) -> str:
    """The sentence `key` in `language`, its {placeholders} filled from `params`."""
    text = catalogue(language_of(language))[key]
    return text.format(**params) if params else text


def section(prefix: str, language: str | None = DEFAULT) -> dict[str, str]:
    """The keys under `prefix.` (without the prefix), e.g. section("status") -> {"received": ...}."""
    start = f"{prefix}."
    return {
        key.removeprefix(start): value
        for key, value in catalogue(language_of(language)).items()
        if key.startswith(start)
    }


def placeholders(text: str) -> set[str]:
    """The {names} a sentence expects (for the parity test)."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def for_templates(language: str | None = DEFAULT) -> Callable[..., str]:
    """The `t()` of the jinja templates. A key ending in `_html` holds markup (Rails' convention):
    it is marked safe, and its parameters are escaped; any other sentence is escaped as usual."""

    def translate(key: str, /, **params: object) -> str:
        if key.endswith("_html"):
            return Markup(catalogue(language_of(language))[key]).format(**params)
        return t(key, language, **params)

    return translate
