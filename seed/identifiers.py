"""Synthetic but well-formed identifiers: KvK numbers, IBANs, IMO numbers, person pseudonyms,
company names. All randomness comes from the generator passed in."""

from __future__ import annotations

import numpy as np

from warehouse.ingest.pseudonyms import pseudonym

__all__ = ["pseudonym"]

BANKS = ("ABNA", "INGB", "RABO", "KNAB", "BUNQ", "TRIO", "SNSB", "ASNB")
_SYLLABLES = (
    "van",
    "der",
    "berg",
    "haven",
    "maas",
    "del",
    "ta",
    "noord",
    "zuid",
    "west",
    "oost",
    "lin",
    "dam",
    "veld",
    "horst",
    "kamp",
    "burg",
    "mark",
    "stad",
    "ker",
    "dor",
    "ro",
    "al",
    "mere",
)
_SUFFIX_BY_CATEGORY = {
    "NOTARY": "Notariskantoor",
    "LAWYER": "Advocaten",
    "ACCOUNTANT": "Accountants",
    "TAX_ADVISER": "Belastingadvies",
    "TRUST_OFFICE": "Trust",
    "REAL_ESTATE": "Makelaardij",
    "PAYMENT_PROVIDER": "Payments",
    "CRYPTO_PROVIDER": "Crypto",
    "CASINO": "Casino",
    "GOLD_TRADER": "Goud & Edelmetaal",
    "CAR_TRADER": "Autohandel",
    "FREIGHT_FORWARDER": "Expeditie",
    "CUSTOMS_BROKER": "Douaneservice",
    "TERMINAL": "Terminals",
    "TRANSPORT": "Transport",
    "LOGISTICS_HUB": "Logistics",
    "FRONT_MAN": "Holding",
    "SHELL_COMPANY": "Investments",
}
_LEGAL_FORMS = ("B.V.", "B.V.", "B.V.", "V.O.F.", "N.V.", "Holding B.V.")


def unique_ints(rng: np.random.Generator, n: int, low: int, high: int) -> np.ndarray:
    """n distinct integers in [low, high), in a deterministic order."""
    out: list[int] = []
    seen: set[int] = set()
    while len(out) < n:
        for v in rng.integers(low, high, size=max(16, 2 * (n - len(out)))).tolist():
            if v not in seen:
                seen.add(v)
                out.append(v)
                if len(out) == n:
                    break
    return np.array(out, dtype=np.int64)


def kvk_numbers(rng: np.random.Generator, n: int) -> list[str]:
    return [f"{v:08d}" for v in unique_ints(rng, n, 1_000_000, 99_999_999)]


def iban_nl(bank: str, account: int) -> str:
    """A Dutch IBAN with correct ISO 7064 mod-97 check digits."""
    bban = f"{bank}{account:010d}"
    digits = "".join(str(int(c, 36)) for c in bban + "NL00")
    check = 98 - int(digits) % 97
    return f"NL{check:02d}{bban}"


def ibans(rng: np.random.Generator, n: int) -> list[str]:
    accounts = unique_ints(rng, n, 100_000_000, 9_999_999_999)
    banks = rng.integers(0, len(BANKS), size=n)
    return [iban_nl(BANKS[b], int(a)) for b, a in zip(banks, accounts, strict=True)]


def imo_number(first6: int) -> str:
    """IMO ship number: six digits and a check digit (weights 7..2, last digit of the sum)."""
    digits = f"{first6:06d}"
    check = sum(int(d) * w for d, w in zip(digits, range(7, 1, -1), strict=True)) % 10
    return f"{digits}{check}"


def imo_numbers(rng: np.random.Generator, n: int) -> list[str]:
    return [imo_number(int(v)) for v in unique_ints(rng, n, 900_000, 999_999)]


def person_numbers(rng: np.random.Generator, n: int) -> list[str]:
    """Synthetic nine-digit citizen numbers: they appear in clear only in delivery files."""
    return [f"{v:09d}" for v in unique_ints(rng, n, 100_000_000, 999_999_999)]


def person_pseudonyms(rng: np.random.Generator, n: int, key: bytes) -> list[str]:
    return [pseudonym(key, f"bsn:{v}") for v in person_numbers(rng, n)]


def company_names(rng: np.random.Generator, categories: list[str | None]) -> list[str]:
    n = len(categories)
    a = rng.integers(0, len(_SYLLABLES), size=n)
    b = rng.integers(0, len(_SYLLABLES), size=n)
    form = rng.integers(0, len(_LEGAL_FORMS), size=n)
    names = []
    for i, cat in enumerate(categories):
        stem = (_SYLLABLES[a[i]] + _SYLLABLES[b[i]]).capitalize()
        middle = _SUFFIX_BY_CATEGORY.get(cat or "", "Handelsonderneming")
        names.append(f"{stem} {middle} {_LEGAL_FORMS[form[i]]}")
    return names
