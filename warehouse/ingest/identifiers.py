"""Normalising the identifiers agencies deliver: KvK numbers, IBANs and IMO numbers arrive with
spaces, dots, prefixes, lowercase letters or a lost leading zero. Each function returns the
canonical form, or None when the value cannot be that identifier."""

from __future__ import annotations

import re

_KVK_NOISE = re.compile(r"(?i)kvk|[\s.\-]")
_IBAN = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")
# ISO 7064: A is 10, B is 11, … Z is 35.
_LETTER_DIGITS = str.maketrans({chr(c): str(c - 55) for c in range(ord("A"), ord("Z") + 1)})


def kvk(raw: str) -> str | None:
    """Eight digits; seven are taken as a number that lost its leading zero."""
    value = _KVK_NOISE.sub("", raw)
    if not value.isdigit() or not 7 <= len(value) <= 8:
        return None
    return value.zfill(8)


def iban(raw: str) -> str | None:
    """Uppercase, no spaces, valid ISO 7064 mod-97 check digits."""
    value = re.sub(r"[\s.\-]", "", raw).upper()
    if not _IBAN.match(value):
        return None
    rearranged = value[4:] + value[:4]
    if int(rearranged.translate(_LETTER_DIGITS)) % 97 != 1:
        return None
    return value


def imo(raw: str) -> str | None:
    """Seven digits with a valid check digit (weights 7..2 on the first six)."""
    value = re.sub(r"(?i)imo|[\s.\-]", "", raw)
    if not value.isdigit() or len(value) != 7:
        return None
    check = sum(int(d) * w for d, w in zip(value[:6], range(7, 1, -1), strict=True)) % 10
    return value if check == int(value[6]) else None
