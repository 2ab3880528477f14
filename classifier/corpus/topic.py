"""The per-category fragment pools that generators draw from."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    """Fragments about one category, each a clause without final punctuation.

    problems: direct descriptions, may use the category's usual words.
    short: the gist in two to six words, as typed in a hurry.
    indirect: descriptions that avoid the category's obvious word.
    effects: what the problem does to people.
    asks: what the citizen wants done.
    regional: sentences already in a regional language mix.
    urgent: happening now (fires, floods), so durations are hours, not months.
    """

    code: str
    problems: tuple[str, ...]
    short: tuple[str, ...]
    indirect: tuple[str, ...]
    effects: tuple[str, ...]
    asks: tuple[str, ...]
    regional: tuple[str, ...] = ()
    urgent: bool = False
