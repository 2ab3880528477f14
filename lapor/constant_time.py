"""Comparing a secret that came from outside (a header, a form, a query, a URL) with the one
expected, in constant time, whatever characters it holds.

`hmac.compare_digest` refuses str holding non-ASCII characters (a TypeError), and aiohttp
hands on bytes that are no UTF-8 as surrogates (so `.encode()` raises): either was a 500 where
the answer is "no". Every door compares through `same`."""

from __future__ import annotations

import hmac


def same(given: str | None, expected: str) -> bool:
    """Whether `given` is `expected`; False for None or empty. Constant time in the length."""
    if not given or not expected:
        return False
    return hmac.compare_digest(
        given.encode("utf-8", "surrogateescape"), expected.encode("utf-8", "surrogateescape")
    )
