"""Planted ground truth: patterns the generator puts in on purpose and writes to a manifest, so
that tests can check the views find them. The app never reads the manifest."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from seed import identifiers as ids
from seed.simulate import Context, Fixed, draw_signals

PLANTED_FACILITATOR_CATEGORIES = (
    "TRUST_OFFICE",
    "PAYMENT_PROVIDER",
    "GOLD_TRADER",
    "FREIGHT_FORWARDER",
    "CUSTOMS_BROKER",
    "LOGISTICS_HUB",
)
LOGISTIC = {"FREIGHT_FORWARDER", "CUSTOMS_BROKER", "LOGISTICS_HUB"}
SPIKE_REGION, SPIKE_MONTH = "OB", "2024-03"
SPIKE_PHENOMENA = ("VIO_EXPLOSION", "VIO_SHOOTING")
CLUSTER_NODE = "NLVLI"
CLUSTER_MONTHS = ("2023-09", "2023-10", "2023-11", "2023-12", "2024-01", "2024-02")
CLUSTER_PHENOMENA = ("COR_PORT_INSIDER", "COR_BRIBERY", "COR_LEAK")
FLOW_ORIGIN, FLOW_NODE, FLOW_PHENOMENON = "COCTG", "NLMOE", "ML_TBML"


@dataclass
class Planted:
    entities: list[dict] = field(default_factory=list)
    network_facilitators: list[tuple[int, int]] = field(default_factory=list)
    signals: list[pd.DataFrame] = field(default_factory=list)
    links: list[pd.DataFrame] = field(default_factory=list)
    manifest: dict = field(default_factory=dict)


class Planter:
    """Adds the planted patterns after the baseline signals (ids continue from first_id)."""

    def __init__(
        self,
        ctx: Context,
        rng: np.random.Generator,
        *,
        n_signals: int,
        first_id: int,
        first_entity_id: int,
        pseudonym_key: bytes,
    ) -> None:
        self.ctx, self.rng, self.key = ctx, rng, pseudonym_key
        self.n = n_signals
        self.next_signal = first_id
        self.next_entity = first_entity_id
        self.out = Planted()

    # -- helpers -------------------------------------------------------------------------------
    def _agencies(self, preferred: tuple[str, ...], k: int) -> list[str]:
        present = [a for a in preferred if a in self.ctx.agencies]
        rest = [a for a in self.ctx.agencies if a not in present]
        return (present + rest)[:k]

    def _entity(self, **cols: object) -> int:
        eid = self.next_entity
        self.next_entity += 1
        self.out.entities.append({"id": eid, **cols})
        return eid

    def _company(self, category: str | None) -> tuple[int, str]:
        kvk = ids.kvk_numbers(self.rng, 1)[0]
        taken = set(self.ctx.world.entities["kvk_number"].dropna())
        taken |= {e.get("kvk_number") for e in self.out.entities}
        while kvk in taken:
            kvk = ids.kvk_numbers(self.rng, 1)[0]
        name = ids.company_names(self.rng, [category])[0]
        eid = self._entity(
            kind="company", display_name=name, kvk_number=kvk, facilitator_category=category
        )
        return eid, kvk

    def _signals(
        self,
        n: int,
        fixed: Fixed,
        owners: list[str],
        audience: int | None = None,
        handling: tuple[str, ...] = ("H0", "H1"),
    ) -> pd.DataFrame:
        df = draw_signals(self.ctx, self.rng, n, first_id=self.next_signal, fixed=fixed)
        self.next_signal += n
        df["owner_agency"] = [owners[i % len(owners)] for i in range(n)]
        year = df["observed_on"].dt.year.to_numpy()
        df["source_ref"] = [
            f"{a[:4].upper()}-{y}-{i:09d}"
            for a, y, i in zip(df["owner_agency"], year, df["id"], strict=True)
        ]
        df["audience_mask"] = self.ctx.all_mask if audience is None else audience
        df["handling_code"] = self.rng.choice(list(handling), n)
        self.out.signals.append(df)
        return df

    def _link(self, df: pd.DataFrame, entity_ids: np.ndarray, role: str) -> None:
        self.out.links.append(
            pd.DataFrame(
                {
                    "signal_id": df["id"].to_numpy(),
                    "entity_id": entity_ids,
                    "role": role,
                    "audience_mask": df["audience_mask"].to_numpy(),
                }
            )
        )

    def _phen(self, codes: tuple[str, ...], n: int, p: list[float] | None = None) -> np.ndarray:
        index = {c: i for i, c in enumerate(self.ctx.phen)}
        return np.array([index[c] for c in codes])[self.rng.choice(len(codes), n, p=p)]

    def _months(self, labels: tuple[str, ...], n: int) -> np.ndarray:
        index = {m.strftime("%Y-%m"): i for i, m in enumerate(self.ctx.months)}
        return np.array([index[m] for m in labels])[self.rng.integers(0, len(labels), n)]

    def _node(self, code: str, n: int) -> np.ndarray:
        return np.full(n, list(self.ctx.node).index(code), dtype=np.int64)

    # -- patterns ------------------------------------------------------------------------------
    def facilitators(self) -> None:
        """Facilitators serving five networks, reported by four agencies, shared with all."""
        per = max(20, self.n // 1000)
        recent = tuple(m.strftime("%Y-%m") for m in self.ctx.months[-12:])
        networks = self.ctx.world.networks["id"].to_numpy()
        persons = self.ctx.csr["person"]
        found = []
        for i, category in enumerate(c for c in PLANTED_FACILITATOR_CATEGORIES for _ in range(2)):
            eid, kvk = self._company(category)
            served = self.rng.choice(networks, 5, replace=False)
            self.out.network_facilitators += [(int(nw), eid) for nw in served]
            owners = self._agencies(
                ("douane", "politie", "kmar", "fiod")
                if category in LOGISTIC
                else ("fiod", "belastingdienst", "politie", "om"),
                4,
            )
            owners = owners[i % 2 :] + owners[: i % 2]
            codes = (
                ("FAC_LOGISTIC", "DRG_COCAINE_IMPORT")
                if category in LOGISTIC
                else ("FAC_FINANCIAL", "ML_UNDERGROUND", "ML_TBML")
            )
            df = self._signals(
                per,
                Fixed(phenomenon=self._phen(codes, per), month=self._months(recent, per)),
                owners,
            )
            df["network_id"] = served[np.arange(per) % len(served)]
            df["severity"] = np.maximum(df["severity"], 3)
            self._link(df, np.full(per, eid), "facilitator")
            offsets, counts, ents = persons
            nws = df["network_id"].to_numpy(dtype=np.int64)
            ok = counts[nws] > 0
            self._link(df[ok], ents[offsets[nws[ok]]], "suspect")
            found.append(
                {
                    "entity_id": eid,
                    "kvk_number": kvk,
                    "category": category,
                    "networks": sorted(int(x) for x in served),
                    "agencies": sorted(owners),
                    "signals": per,
                }
            )
        self.out.manifest["facilitators"] = found

    def restricted_facilitator(self) -> None:
        """A facilitator only its owner may see: it must not show for any other agency."""
        per = max(20, self.n // 1000)
        owner = self._agencies(("fiod",), 1)[0]
        eid, kvk = self._company("TRUST_OFFICE")
        served = self.rng.choice(self.ctx.world.networks["id"].to_numpy(), 4, replace=False)
        self.out.network_facilitators += [(int(nw), eid) for nw in served]
        mask = int(self.ctx.agency_masks[list(self.ctx.agencies).index(owner)])
        df = self._signals(
            per,
            Fixed(phenomenon=self._phen(("FAC_FINANCIAL", "ML_TBML"), per)),
            [owner],
            audience=mask,
            handling=("H3",),
        )
        df["network_id"] = served[np.arange(per) % len(served)]
        self._link(df, np.full(per, eid), "facilitator")
        self.out.manifest["restricted_facilitators"] = [
            {
                "entity_id": eid,
                "kvk_number": kvk,
                "category": "TRUST_OFFICE",
                "networks": sorted(int(x) for x in served),
                "audience": [owner],
                "signals": per,
            }
        ]

    def violence_spike(self) -> None:
        n = max(60, self.n * 3 // 1000)
        gms = np.flatnonzero(self.ctx.gm_region == SPIKE_REGION)
        weights = np.array(
            [self.ctx.city_p[list(self.ctx.phen).index("VIO_EXPLOSION")][g] for g in gms]
        )
        fixed = Fixed(
            phenomenon=self._phen(SPIKE_PHENOMENA, n, [0.7, 0.3]),
            month=self._months((SPIKE_MONTH,), n),
            gm=gms[self.rng.choice(len(gms), n, p=weights / weights.sum())],
        )
        df = self._signals(n, fixed, self._agencies(("politie", "om"), 2), handling=("H0",))
        df["network_id"] = pd.NA
        self.out.manifest["violence_spike"] = {
            "region_code": SPIKE_REGION,
            "month": SPIKE_MONTH,
            "phenomena": list(SPIKE_PHENOMENA),
            "signals": n,
        }

    def corruption_cluster(self) -> None:
        n = max(40, self.n * 2 // 1000)
        node = CLUSTER_NODE
        insiders = []
        for number in ids.person_numbers(self.rng, 3):
            p = ids.pseudonym(self.key, f"bsn:{number}")
            insiders.append(
                self._entity(
                    kind="person",
                    display_name=f"Persoon {p[:10]}",
                    person_pseudonym=p,
                    person_number=number,
                )
            )
        terminal, _ = self._company("TERMINAL")
        fixed = Fixed(
            phenomenon=self._phen(CLUSTER_PHENOMENA, n, [0.6, 0.25, 0.15]),
            month=self._months(CLUSTER_MONTHS, n),
            node=self._node(node, n),
        )
        df = self._signals(n, fixed, self._agencies(("douane", "politie", "kmar", "om"), 4))
        df["network_id"] = pd.NA
        self._link(df, np.array(insiders)[self.rng.integers(0, 3, n)], "insider")
        half = self.rng.random(n) < 0.5
        self._link(df[half], np.full(int(half.sum()), terminal), "involved")
        municipality = self.ctx.gm[self.ctx.node_gm[list(self.ctx.node).index(node)]]
        self.out.manifest["corruption_cluster"] = {
            "node_code": node,
            "months": list(CLUSTER_MONTHS),
            "phenomena": list(CLUSTER_PHENOMENA),
            "municipality_code": str(municipality),
            "region_code": str(self.ctx.gm_region[self.ctx.gm == municipality][0]),
            "signals": n,
            "insider_entity_ids": insiders,
            "company_entity_id": terminal,
        }

    def tbml_flow(self) -> None:
        n = max(30, self.n * 15 // 10_000)
        trader, kvk = self._company(None)
        fixed = Fixed(
            phenomenon=self._phen((FLOW_PHENOMENON,), n),
            node=self._node(FLOW_NODE, n),
            origin=self._node(FLOW_ORIGIN, n),
        )
        df = self._signals(n, fixed, self._agencies(("douane", "fiod", "belastingdienst"), 3))
        df["amount_eur"] = np.round(900_000 * self.rng.lognormal(0, 0.5, n), 2)
        df["network_id"] = pd.NA
        self._link(df, np.full(n, trader), "involved")
        self.out.manifest["tbml_flow"] = {
            "origin_node_code": FLOW_ORIGIN,
            "node_code": FLOW_NODE,
            "phenomenon": FLOW_PHENOMENON,
            "signals": n,
            "amount_eur": round(float(df["amount_eur"].sum()), 2),
            "trader_entity_id": trader,
            "trader_kvk_number": kvk,
        }

    def plant_all(self) -> Planted:
        self.facilitators()
        self.restricted_facilitator()
        self.violence_spike()
        self.corruption_cluster()
        self.tbml_flow()
        return self.out


def planted_count(n_signals: int) -> int:
    """How many signals the planted patterns add (the baseline makes up the rest)."""
    per = max(20, n_signals // 1000)
    return (
        per * len(PLANTED_FACILITATOR_CATEGORIES) * 2
        + per
        + max(60, n_signals * 3 // 1000)
        + max(40, n_signals * 2 // 1000)
        + max(30, n_signals * 15 // 10_000)
    )
