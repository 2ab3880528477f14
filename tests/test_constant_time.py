"""Outside secrets compared in constant time whatever they hold (lapor/constant_time.py)."""

from __future__ import annotations

from lapor.auth import is_reporter_token, reporter_token
from lapor.constant_time import same


def test_same_says_no_to_anything_but_the_secret_and_never_raises():
    assert same("s3cret", "s3cret")
    for given in ("s3cres", "s3cret ", "", None, "rahasia-ñ", "\udcff\udcfe", "s3cret\x00"):
        assert not same(given, "s3cret"), repr(given)
    assert not same("", "")  # no secret configured is never a match
    assert same("kata-sandi-ñ", "kata-sandi-ñ")


def test_a_reporter_token_of_any_characters_is_a_plain_no():
    token = reporter_token("a-secret-key-for-tests-0123", "K3QZ7M2D9X")
    assert is_reporter_token("a-secret-key-for-tests-0123", "K3QZ7M2D9X", token)
    # Before: compare_digest raised TypeError on a non-ASCII str (a 500 at the door).
    assert not is_reporter_token("a-secret-key-for-tests-0123", "K3QZ7M2D9X", "tokén-ñ")
