"""Identifiers and pseudonyms made canonical many at once (Arrow and numpy) give exactly what
the functions for one value give, value by value, for delivered text of every kind: spaces,
dots and prefixes, lower case, Unicode spaces and digits of other scripts, wrong check digits."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from warehouse.ingest import identifiers
from warehouse.ingest.pseudonyms import pseudonymise, pseudonymise_many

KNOWN = [
    "NL91ABNA0417164300",
    "nl91 abna 0417 1643 00",
    "NL91ABNA0417164301",
    "GB82WEST12345698765432",
    "NL91-ABNA.0417164300\x1c",
    "NL91ABNA0417164300\u00a0",
    "\uff2eL91ABNA0417164300",
    "KvK 1234.5678",
    "1234567",
    "kvk12345678",
    "\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668",  # Arabic-Indic digits
    "12 34 56 78\x0b",
    "IMO 9074729",
    "imo9354674",
    "9074728",
    "IMO 9074729\u2003",
    "bsn 12345678",
    "BSN:0123.456.78",
    "X-12ab",
    "bsn",
    "---",
    "abc\u00e9d",
    "\u0131ban",  # dotless i: Python's upper() makes it I
]
ALPHABET = list("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyzkvimoKVIMO .-:/\t")
ALPHABET += ["\u00a0", "\u2003", "\x1c", "\x0b", "\u0663", "\u00b2", "\u0131", "\u00df", "\uff21"]


def _random_values(n: int) -> list[str]:
    rng = np.random.default_rng(11)
    values = []
    for _ in range(n):
        length = int(rng.integers(1, 36))
        values.append("".join(rng.choice(ALPHABET, length)))
    # valid ones with noise, so that the check digits are exercised both ways
    for i in range(n // 4):
        bank = "".join(rng.choice(list("ABCDEFGHIJKLMNOPQRSTUVWXYZ"), 4))
        account = f"{int(rng.integers(0, 10**10)):010d}"
        check = 98 - _mod97(f"{bank}{account}NL00")
        iban = f"NL{check:02d}{bank}{account}"
        values.append(iban if i % 2 else f"{iban[:4]} {iban[4:8]} {iban[8:12]} {iban[12:]}".lower())
        values.append(f"{int(rng.integers(0, 10**8)):08d}"[: 7 + i % 2])
        first6 = f"{int(rng.integers(10**5, 10**6))}"
        check = sum(int(d) * w for d, w in zip(first6, range(7, 1, -1), strict=True)) % 10
        values.append(f"{'IMO ' if i % 2 else ''}{first6}{(check + i % 3 // 2) % 10}")
    return values


def _mod97(text: str) -> int:
    return int(text.translate(identifiers._LETTER_DIGITS)) % 97


@pytest.mark.parametrize(
    ("many", "one"),
    [
        (identifiers.kvk_many, identifiers.kvk),
        (identifiers.iban_many, identifiers.iban),
        (identifiers.imo_many, identifiers.imo),
    ],
)
def test_many_at_once_equals_one_by_one(many, one):
    values = KNOWN + _random_values(4000)
    got = many(pa.array(values, pa.string())).to_pylist()
    assert got == [one(v) for v in values]
    assert sum(g is not None for g in got) > 400 and any(g is None for g in got)


def test_pseudonyms_many_at_once_equal_one_by_one():
    values = KNOWN + _random_values(2000)
    key = b"warehouse-key"
    got = pseudonymise_many(key, pa.array(values, pa.string()))
    assert got == [pseudonymise(key, v) for v in values]


def test_digits_of_other_scripts_are_not_a_kvk_or_imo_number():
    # the warehouse's checks take 0-9 only: such a row must be refused here, not by the table
    assert identifiers.kvk("\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668") is None
    assert identifiers.imo("\u0669\u0660\u0667\u0664\u0667\u0662\u0669") is None
    assert identifiers.kvk("1234\u00a05678") == "12345678"  # a Unicode space is still noise
