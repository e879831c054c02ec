"""Person identifiers become keyed pseudonyms (HMAC-SHA256 with the warehouse key) before they
reach any table, so agencies can link on the same person without seeing the number."""

from __future__ import annotations

import functools
import hashlib
import hmac
import re

_NOT_ALNUM = re.compile(r"[^0-9A-Za-z]+")
# Runs of five or more digits in text we cannot parse: they may be person numbers.
_DIGIT_RUNS = re.compile(r"\d[\d .-]{3,}\d")


def pseudonym(key: bytes, identifier: str) -> str:
    """Keyed pseudonym of a person identifier: HMAC-SHA256, hex. The clear value is never stored."""
    mac = _keyed(key).copy()  # the key's pads are hashed once, not per identifier
    mac.update(identifier.encode("utf-8"))
    return mac.hexdigest()


@functools.lru_cache(maxsize=4)
def _keyed(key: bytes) -> hmac.HMAC:
    return hmac.new(key, digestmod=hashlib.sha256)


def person_identifier(raw: str) -> str | None:
    """The canonical form of a delivered person identifier: `bsn:` and nine digits for citizen
    numbers (dots, spaces and a lost leading zero forgiven), `id:` and the letters and digits
    otherwise. None when nothing is left."""
    compact = _NOT_ALNUM.sub("", raw or "").upper()
    if compact.startswith("BSN"):
        compact = compact[3:]
    if not compact:
        return None
    if compact.isdigit() and len(compact) <= 9:
        return f"bsn:{compact.zfill(9)}"
    return f"id:{compact}"


def pseudonymise(key: bytes, raw: str) -> str | None:
    """The pseudonym of a delivered person identifier, or None when it is empty."""
    identifier = person_identifier(raw)
    return pseudonym(key, identifier) if identifier else None


def mask_digits(text: str) -> str:
    """Hide digit runs in text that could not be parsed into fields (it may hold a person
    number in clear); the steward still has the original file."""
    return _DIGIT_RUNS.sub("[…]", text)
