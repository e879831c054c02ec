"""Normalising the identifiers agencies deliver: KvK numbers, IBANs and IMO numbers arrive with
spaces, dots, prefixes, lowercase letters or a lost leading zero. Each function returns the
canonical form, or None when the value cannot be that identifier."""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

_KVK_NOISE = re.compile(r"(?i)kvk|[\s.\-]")
_IBAN = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")
# ISO 7064: A is 10, B is 11, … Z is 35.
_LETTER_DIGITS = str.maketrans({chr(c): str(c - 55) for c in range(ord("A"), ord("Z") + 1)})


def kvk(raw: str) -> str | None:
    """Eight digits (0-9: not the digits of other scripts, which Python's isdigit() accepts);
    seven are taken as a number that lost its leading zero."""
    value = _KVK_NOISE.sub("", raw)
    if not (value.isascii() and value.isdigit()) or not 7 <= len(value) <= 8:
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
    if not (value.isascii() and value.isdigit()) or len(value) != 7:
        return None
    check = sum(int(d) * w for d, w in zip(value[:6], range(7, 1, -1), strict=True)) % 10
    return value if check == int(value[6]) else None


# -- Many at once ------------------------------------------------------------------------------
# The same functions over an Arrow array of distinct values, in C++ (Arrow's compute functions)
# and numpy. They give exactly what the functions above give, value by value: values that are
# all ASCII are done here (Python's \s, isdigit() and upper() accept more outside ASCII than
# Arrow's do), the others by the functions above.
_SPACE = "\t\n\x0b\x0c\r\x1c-\x1f "  # what Python's \s matches in ASCII text


def kvk_many(values: pa.Array) -> pa.Array:
    return _ascii_or_one_by_one(values, _kvk_ascii, kvk)


def iban_many(values: pa.Array) -> pa.Array:
    return _ascii_or_one_by_one(values, _iban_ascii, iban)


def imo_many(values: pa.Array) -> pa.Array:
    return _ascii_or_one_by_one(values, _imo_ascii, imo)


def _ascii_or_one_by_one(
    values: pa.Array, many: Callable[[pa.Array], pa.Array], one: Callable[[str], str | None]
) -> pa.Array:
    ascii_ = pc.string_is_ascii(values).to_numpy(zero_copy_only=False)
    if ascii_.all():
        return many(values)
    out = np.array(many(values.filter(pa.array(ascii_))).to_pylist() + [None], dtype=object)
    out = out[np.cumsum(ascii_) - 1]  # each ASCII value's result in place …
    other = np.flatnonzero(~ascii_)
    out[other] = [one(v) for v in values.take(pa.array(other)).to_pylist()]  # … the rest here
    return pa.array(out, pa.string())


def _kvk_ascii(values: pa.Array) -> pa.Array:
    value = pc.replace_substring_regex(values, f"(?i)kvk|[{_SPACE}.\\-]", "")
    length = pc.utf8_length(value)
    valid = pc.and_(
        pc.ascii_is_decimal(value), pc.and_(pc.greater_equal(length, 7), pc.less_equal(length, 8))
    )
    return pc.if_else(valid, pc.utf8_lpad(value, 8, "0"), pa.scalar(None, pa.string()))


def _imo_ascii(values: pa.Array) -> pa.Array:
    value = pc.replace_substring_regex(values, f"(?i)imo|[{_SPACE}.\\-]", "")
    valid = pc.and_(pc.ascii_is_decimal(value), pc.equal(pc.utf8_length(value), 7))
    digits = _chars(value.filter(valid), 7).astype(np.int64) - ord("0")
    check = (digits[:, :6] @ np.arange(7, 1, -1)) % 10 == digits[:, 6]
    ok = valid.to_numpy(zero_copy_only=False)
    ok[ok] = check
    return pc.if_else(pa.array(ok), value, pa.scalar(None, pa.string()))


def _iban_ascii(values: pa.Array) -> pa.Array:
    value = pc.ascii_upper(pc.replace_substring_regex(values, f"[{_SPACE}.\\-]", ""))
    valid = pc.match_substring_regex(value, _IBAN.pattern)
    shaped = value.filter(valid)
    chars = _chars(shaped, 34).astype(np.int64)
    length = pc.utf8_length(shaped).to_numpy(zero_copy_only=False)
    # ISO 7064 mod 97 of the rearranged value (the first four characters moved to the end),
    # a letter counting as two digits (A = 10 … Z = 35), a column of characters at a time
    rows = np.arange(len(chars))
    remainder = np.zeros(len(chars), dtype=np.int64)
    for j in range(34):
        within = j < length
        c = chars[rows, (j + 4) % np.maximum(length, 1)]
        digit = c <= ord("9")
        stepped = np.where(digit, remainder * 10 + c - ord("0"), remainder * 100 + c - 55) % 97
        remainder = np.where(within, stepped, remainder)
    ok = valid.to_numpy(zero_copy_only=False)
    ok[ok] = remainder == 1
    return pc.if_else(pa.array(ok), value, pa.scalar(None, pa.string()))


def _chars(values: pa.Array, width: int) -> np.ndarray:
    """ASCII values of at most `width` characters as a (values, width) array of byte codes,
    0 after a value's end."""
    padded = pc.utf8_rpad(values.cast(pa.string()), width, "\0")
    data = np.frombuffer(padded.buffers()[2] or b"", dtype=np.uint8)
    offsets = np.frombuffer(padded.buffers()[1], dtype=np.int32)
    starts = offsets[padded.offset : padded.offset + len(padded)]
    return data[starts[:, None] + np.arange(width)]
