"""The cast of the synthetic world: networks, their members, facilitators, vessels, loose
entities and interventions. Everything is drawn from the generator handed in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from seed import identifiers as ids
from seed.reference import FACILITATOR_CATEGORIES, REGIONS, Municipality

PERIOD_START = dt.date(2022, 1, 1)
PERIOD_END = dt.date(2024, 12, 31)

CATEGORIES = ("drugs", "money_laundering", "corruption", "violence", "trafficking", "fraud")


@dataclass(frozen=True)
class WorldSize:
    networks: int
    facilitators: int
    loose_persons: int
    loose_companies: int
    loose_accounts: int
    vessels: int


def world_size(n_signals: int) -> WorldSize:
    scale = n_signals / 20_000
    return WorldSize(
        networks=int(60 * scale**0.6),
        facilitators=int(180 * scale**0.6),
        loose_persons=int(1_500 * scale**0.8),
        loose_companies=int(600 * scale**0.8),
        loose_accounts=int(800 * scale**0.8),
        vessels=int(120 * scale**0.4),
    )


@dataclass
class World:
    """Entities as one frame (id, kind, display_name, identifiers, category, municipality) plus
    the structure the signal generator draws from."""

    entities: pd.DataFrame
    networks: pd.DataFrame
    members: dict[str, np.ndarray]  # "person"/"company"/"account" -> (network_id, entity_id) pairs
    network_facilitators: np.ndarray  # (network_id, entity_id) pairs
    facilitator_ids: np.ndarray
    loose: dict[str, np.ndarray]  # kind -> entity ids not tied to a network
    vessel_ids: np.ndarray
    interventions: pd.DataFrame

    def next_entity_id(self) -> int:
        return int(self.entities["id"].max()) + 1


class _Ids:
    def __init__(self) -> None:
        self.next = 1

    def take(self, n: int) -> np.ndarray:
        out = np.arange(self.next, self.next + n, dtype=np.int64)
        self.next += n
        return out


def build_world(
    rng: np.random.Generator,
    *,
    size: WorldSize,
    municipalities: tuple[Municipality, ...],
    pseudonym_key: bytes,
    agency_codes: tuple[str, ...],
    agency_masks: dict[str, int],
) -> World:
    entity_ids = _Ids()
    frames: list[pd.DataFrame] = []
    gm = np.array([m.gm_code for m in municipalities])
    gm_region = {m.gm_code: m.region_code for m in municipalities}
    region_codes = np.array(list(REGIONS))

    networks = pd.DataFrame({"id": np.arange(1, size.networks + 1, dtype=np.int64)})
    networks["code"] = [f"NW-{i:05d}" for i in networks["id"]]
    networks["region_code"] = region_codes[rng.integers(0, len(region_codes), size.networks)]
    networks["name"] = [f"Samenwerkingsverband {c}" for c in networks["code"]]
    start_days = rng.integers(0, (PERIOD_END - PERIOD_START).days - 180, size.networks)
    networks["first_seen"] = [PERIOD_START + dt.timedelta(days=int(d)) for d in start_days]

    def add(n: int, **cols: object) -> np.ndarray:
        new = entity_ids.take(n)
        frames.append(pd.DataFrame({"id": new, **cols}))
        return new

    members: dict[str, list[tuple[int, int]]] = {"person": [], "company": [], "account": []}
    region_gms = {r: gm[[gm_region[g] == r for g in gm]] for r in region_codes}
    for kind, low, high in (("person", 3, 12), ("company", 1, 4), ("account", 1, 4)):
        counts = rng.integers(low, high, size.networks)
        owners = np.repeat(networks["id"].to_numpy(), counts)
        n = int(counts.sum())
        homes = np.array(
            [
                rng.choice(region_gms[r])
                for r in np.repeat(networks["region_code"].to_numpy(), counts)
            ]
        )
        new = add(n, **_entity_columns(rng, kind, n, homes, pseudonym_key))
        members[kind] = list(zip(owners.tolist(), new.tolist(), strict=True))

    cats = [c.code for c in FACILITATOR_CATEGORIES]
    fac_cats = np.array(cats)[rng.integers(0, len(cats), size.facilitators)].tolist()
    fac_homes = rng.choice(gm, size.facilitators)
    facilitator_ids = add(
        size.facilitators,
        kind="company",
        display_name=ids.company_names(rng, fac_cats),
        kvk_number=ids.kvk_numbers(rng, size.facilitators),
        facilitator_category=fac_cats,
        municipality_code=fac_homes,
    )
    # Most facilitators serve one or two networks; a few serve many.
    served = np.minimum(rng.geometric(0.55, size.facilitators), 6)
    pairs = [
        (int(nw), int(f))
        for f, k in zip(facilitator_ids, served, strict=True)
        for nw in rng.choice(networks["id"].to_numpy(), size=int(k), replace=False)
    ]

    loose = {}
    for kind, n in (
        ("person", size.loose_persons),
        ("company", size.loose_companies),
        ("account", size.loose_accounts),
    ):
        loose[kind] = add(n, **_entity_columns(rng, kind, n, rng.choice(gm, n), pseudonym_key))
    vessel_ids = add(
        size.vessels,
        kind="vessel",
        display_name=[
            f"MV {n.split()[0].upper()}" for n in ids.company_names(rng, [None] * size.vessels)
        ],
        imo_number=ids.imo_numbers(rng, size.vessels),
    )

    entities = pd.concat(frames, ignore_index=True)
    _redraw_duplicates(entities, pseudonym_key)
    for col in (
        "display_name",
        "kvk_number",
        "iban",
        "imo_number",
        "person_pseudonym",
        "person_number",
        "facilitator_category",
        "municipality_code",
    ):
        if col not in entities:
            entities[col] = None
    world = World(
        entities=entities,
        networks=networks,
        members={k: np.array(v, dtype=np.int64).reshape(-1, 2) for k, v in members.items()},
        network_facilitators=np.array(pairs, dtype=np.int64).reshape(-1, 2),
        facilitator_ids=facilitator_ids,
        loose=loose,
        vessel_ids=vessel_ids,
        interventions=pd.DataFrame(),
    )
    world.interventions = _interventions(rng, world, agency_codes, agency_masks)
    return world


def _entity_columns(
    rng: np.random.Generator, kind: str, n: int, homes: np.ndarray, key: bytes
) -> dict[str, object]:
    """Identifier columns for n new entities of one kind ("account" means a bank account)."""
    if kind == "person":
        numbers = ids.person_numbers(rng, n)
        pseudo = [ids.pseudonym(key, f"bsn:{v}") for v in numbers]
        return {
            "kind": "person",
            "display_name": [f"Persoon {p[:10]}" for p in pseudo],
            "person_pseudonym": pseudo,
            # Clear numbers only go into delivery files; the warehouse gets the pseudonym.
            "person_number": numbers,
            "municipality_code": homes,
        }
    if kind == "company":
        return {
            "kind": "company",
            "display_name": ids.company_names(rng, [None] * n),
            "kvk_number": ids.kvk_numbers(rng, n),
            "municipality_code": homes,
        }
    if kind == "account":
        ibans = ids.ibans(rng, n)
        return {
            "kind": "bank_account",
            "display_name": [f"Rekening {i}" for i in ibans],
            "iban": ibans,
            "municipality_code": homes,
        }
    raise ValueError(f"unknown entity kind {kind!r}")


INTERVENTION_TYPES = {
    # type -> (agencies that usually take it, possible outcomes)
    "arrest": (("politie", "kmar", "fiod"), ("completed", "ongoing")),
    "seizure": (("douane", "politie", "kmar"), ("completed",)),
    "asset_confiscation": (("om", "fiod"), ("completed", "ongoing", "dismissed")),
    "tax_assessment": (("belastingdienst",), ("completed", "objection")),
    "administrative_closure": (("politie", "om"), ("completed", "ongoing")),
    "permit_refusal": (("belastingdienst", "om"), ("completed", "objection")),
    "prosecution": (("om",), ("ongoing", "convicted", "acquitted", "dismissed")),
}


def _interventions(
    rng: np.random.Generator,
    world: World,
    agency_codes: tuple[str, ...],
    agency_masks: dict[str, int],
) -> pd.DataFrame:
    all_mask = int(sum(agency_masks.values()))
    types = list(INTERVENTION_TYPES)
    rows = []
    targets: list[tuple[int | None, int | None]] = [
        (int(nw), None) for nw in world.networks["id"] for _ in range(int(rng.integers(0, 4)))
    ]
    targets += [
        (None, int(f))
        for f in rng.choice(world.facilitator_ids, len(world.facilitator_ids) // 4, replace=False)
    ]
    span = (PERIOD_END - PERIOD_START).days
    for i, (network_id, entity_id) in enumerate(targets, start=1):
        kind = types[int(rng.integers(0, len(types)))]
        usual, outcomes = INTERVENTION_TYPES[kind]
        candidates = [a for a in usual if a in agency_codes] or list(agency_codes)
        agency = candidates[int(rng.integers(0, len(candidates)))]
        shared = rng.random() < 0.8
        rows.append(
            {
                "id": i,
                "agency": agency,
                "intervention_type": kind,
                "decided_on": PERIOD_START + dt.timedelta(days=int(rng.integers(0, span))),
                "outcome": outcomes[int(rng.integers(0, len(outcomes)))],
                "network_id": network_id,
                "entity_id": entity_id,
                "audience_mask": all_mask if shared else agency_masks[agency],
            }
        )
    return pd.DataFrame(rows)


def _redraw_duplicates(entities: pd.DataFrame, key: bytes) -> None:
    """Identifiers drawn in separate batches can collide at the bench size; give the later
    duplicates fresh numbers. A no-op when nothing collides, so the small and demo sets are
    unchanged."""
    rng = np.random.default_rng(np.random.SeedSequence(len(entities), spawn_key=(7,)))
    for column in ("kvk_number", "person_number"):
        if column not in entities:
            continue
        values = entities[column]
        dup = values.notna() & values.duplicated(keep="first")
        n = int(dup.sum())
        if not n:
            continue
        draw = ids.kvk_numbers if column == "kvk_number" else ids.person_numbers
        used = set(values.dropna())
        fresh: list[str] = []
        while len(fresh) < n:
            for v in draw(rng, n):
                if v not in used and len(fresh) < n:
                    used.add(v)
                    fresh.append(v)
        entities.loc[dup, column] = fresh
        if column == "person_number":
            pseudo = [ids.pseudonym(key, f"bsn:{v}") for v in fresh]
            entities.loc[dup, "person_pseudonym"] = pseudo
            entities.loc[dup, "display_name"] = [f"Persoon {p[:10]}" for p in pseudo]
