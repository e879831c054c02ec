from __future__ import annotations

import numpy as np
import pytest

from seed import identifiers as ids


def _iban_valid(iban: str) -> bool:
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


def test_ibans_have_valid_check_digits():
    values = ids.ibans(np.random.default_rng(1), 500)
    assert len(set(values)) == 500
    assert all(v.startswith("NL") and len(v) == 18 and _iban_valid(v) for v in values)


def test_known_iban_check_digits():
    # ABNA 0417164300 is the textbook example: NL91ABNA0417164300.
    assert ids.iban_nl("ABNA", 417164300) == "NL91ABNA0417164300"


@pytest.mark.parametrize(("first6", "expected"), [(907472, "9074729"), (935467, "9354674")])
def test_imo_check_digit(first6, expected):
    assert ids.imo_number(first6) == expected


def test_kvk_numbers_are_eight_digits_and_unique():
    values = ids.kvk_numbers(np.random.default_rng(2), 1000)
    assert len(set(values)) == 1000 and all(len(v) == 8 and v.isdigit() for v in values)


def test_pseudonym_is_keyed_and_stable():
    a = ids.pseudonym(b"key-one", "bsn:123456782")
    assert a == ids.pseudonym(b"key-one", "bsn:123456782")
    assert a != ids.pseudonym(b"key-two", "bsn:123456782")
    assert "123456782" not in a and len(a) == 64


def test_same_generator_same_names():
    cats = ["NOTARY", None, "TRANSPORT"]
    assert ids.company_names(np.random.default_rng(3), cats) == ids.company_names(
        np.random.default_rng(3), cats
    )


def test_pseudonym_is_plain_hmac_sha256_for_any_key_order():
    import hashlib
    import hmac

    # The prepared key object is reused across calls and keys: the result must stay the HMAC.
    keys = [b"k1", b"k2", b"k1", b"x" * 64, b"y" * 65, b"", "sleutel-\u00e9".encode()]
    values = [
        "bsn:000000001",
        "id:AB12",
        "id:AB12",
        "id:AB12",
        "bsn:123456782",
        "id:X",
        "id:\u00e9",
    ]
    # keys of a block (64 bytes) and longer (hashed first, as HMAC prescribes), and empty
    for key, value in zip(keys, values, strict=True):
        expected = hmac.new(key, value.encode(), hashlib.sha256).hexdigest()
        assert ids.pseudonym(key, value) == expected
