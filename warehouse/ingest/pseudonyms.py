"""Person identifiers become keyed pseudonyms (HMAC-SHA256 with the warehouse key) before they
reach any table, so agencies can link on the same person without seeing the number."""

from __future__ import annotations

import functools
import hashlib
import re

import pyarrow as pa
import pyarrow.compute as pc

_NOT_ALNUM = re.compile(r"[^0-9A-Za-z]+")
# Runs of five or more digits in text we cannot parse: they may be person numbers.
_DIGIT_RUNS = re.compile(r"\d[\d .-]{3,}\d")


def pseudonym(key: bytes, identifier: str) -> str:
    """Keyed pseudonym of a person identifier: HMAC-SHA256, hex. The clear value is never stored."""
    # HMAC by its definition (RFC 2104) with the key's two pads hashed once, not per
    # identifier: the hash objects are copied, all in C (twice as fast as copying an HMAC).
    inner, outer = _pads(key)
    inner = inner.copy()
    inner.update(identifier.encode("utf-8"))
    outer = outer.copy()
    outer.update(inner.digest())
    return outer.hexdigest()


@functools.lru_cache(maxsize=4)
def _pads(key: bytes) -> tuple[hashlib._Hash, hashlib._Hash]:
    block = hashlib.sha256().block_size
    if len(key) > block:
        key = hashlib.sha256(key).digest()
    key = key.ljust(block, b"\0")
    return (
        hashlib.sha256(bytes(b ^ 0x36 for b in key)),
        hashlib.sha256(bytes(b ^ 0x5C for b in key)),
    )


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


def pseudonymise_many(key: bytes, values: pa.Array) -> list[str | None]:
    """pseudonymise() of many values: the identifiers made canonical at once by Arrow (the
    same steps as person_identifier: only ASCII letters and digits are kept, so no character
    class differs), then one keyed hash each."""
    compact = pc.ascii_upper(pc.replace_substring_regex(values, _NOT_ALNUM.pattern, ""))
    compact = pc.if_else(
        pc.starts_with(compact, "BSN"), pc.utf8_slice_codeunits(compact, 3), compact
    )
    citizen = pc.and_(pc.ascii_is_decimal(compact), pc.less_equal(pc.utf8_length(compact), 9))
    canonical = pc.if_else(
        citizen,
        pc.binary_join_element_wise("bsn:", pc.utf8_lpad(compact, 9, "0"), ""),
        pc.binary_join_element_wise("id:", compact, ""),
    )
    empty = pc.equal(compact, "").to_numpy(zero_copy_only=False)
    return [
        None if nothing else pseudonym(key, identifier)
        for identifier, nothing in zip(canonical.to_pylist(), empty.tolist(), strict=True)
    ]


def mask_digits(text: str) -> str:
    """Hide digit runs in text that could not be parsed into fields (it may hold a person
    number in clear); the steward still has the original file."""
    return _DIGIT_RUNS.sub("[…]", text)
