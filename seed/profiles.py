"""How each phenomenon behaves in the synthetic world, calibrated from shared/domain/facts.md:
volume share, where it happens, trend per year, season, amounts and severity."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

# Relative weight of municipalities for crime that follows people (big cities first).
CITY_WEIGHT = {
    "GM0363": 10,
    "GM0599": 8,
    "GM0518": 7,
    "GM0344": 5,
    "GM0772": 3.5,
    "GM0014": 3,
    "GM0855": 3,
    "GM0034": 3,
    "GM0758": 2.5,
    "GM0268": 2.5,
    "GM0153": 2,
    "GM0392": 2,
    "GM0202": 2,
    "GM0394": 2,
    "GM0479": 2,
    "GM0307": 2,
    "GM0200": 2,
    "GM0796": 2,
}
# Explosive attacks 2024 by municipality (facts.md); the rest of the country about 5 each.
EXPLOSION_WEIGHT = {
    "GM0599": 113,
    "GM0363": 110,
    "GM0518": 70,
    "GM0796": 32,
    "GM0034": 28,
    "GM0344": 26,
    "GM0622": 21,
}
SEAPORTS_COCAINE = {
    "NLRTM": 35,
    "NLRTM-MV2": 22,
    "NLVLI": 14,
    "NLTNZ": 5,
    "NLAMS": 4,
    "NLMOE": 3,
    "NLEEM": 2,
}
AIRPORTS_COCAINE = {"EHAM": 12, "EHEH": 1, "EHRD": 1, "EHBK": 2}
# Ecuador is the largest source; Panama, Colombia, Brazil, Chile, Costa Rica, Peru follow.
ORIGINS = {
    "ECGYE": 35,
    "PAMIT": 12,
    "PABLB": 5,
    "COCTG": 10,
    "COBUN": 6,
    "COTRB": 4,
    "BRSSZ": 10,
    "BRPNG": 4,
    "CRMOB": 6,
    "PECLL": 4,
    "CLSAI": 2,
    "CLSVE": 2,
}
DUTCH_SEAPORTS = {
    "NLRTM": 3,
    "NLRTM-MV2": 2,
    "NLAMS": 2,
    "NLIJM": 1,
    "NLVLI": 2,
    "NLTNZ": 1,
    "NLMOE": 1,
    "NLEEM": 1,
}
AIRPORTS = {"EHAM": 10, "EHEH": 1.5, "EHRD": 1, "EHBK": 1.5, "EHGG": 0.5}


@dataclass(frozen=True)
class Profile:
    weight: float  # share of all signals (normalised)
    nodes: Mapping[str, float] = field(default_factory=dict)  # empty: happens in a municipality
    cities: Mapping[str, float] = field(default_factory=lambda: CITY_WEIGHT)
    origins: Mapping[str, float] = field(default_factory=dict)  # foreign counterpart of a flow
    trend: tuple[float, float, float] = (1.0, 1.1, 1.2)  # 2022, 2023, 2024
    season: str = "flat"  # flat | newyear | summer
    amount: tuple[float, float] | None = None  # lognormal: median EUR, sigma
    kg: bool = False  # a seizure with a quantity in kg
    severity: int = 2
    network_share: float = 0.5  # share attributed to a known network


PROFILES: dict[str, Profile] = {
    "DRG_COCAINE_IMPORT": Profile(
        5,
        nodes={**SEAPORTS_COCAINE, **AIRPORTS_COCAINE},
        origins=ORIGINS,
        trend=(1.0, 1.0, 0.6),
        kg=True,
        severity=3,
        network_share=0.6,
    ),
    "DRG_EXTRACTION": Profile(
        2.5,
        nodes={"NLRTM": 5, "NLRTM-MV2": 4, "NLVLI": 2, "NLTNZ": 1},
        trend=(1.0, 1.8, 1.05),
        severity=3,
        network_share=0.6,
    ),
    "DRG_SYNTHETIC": Profile(
        3.5,
        cities={
            **CITY_WEIGHT,
            "GM0796": 4,
            "GM0772": 5,
            "GM0828": 3,
            "GM0794": 3,
            "GM0983": 3,
            "GM0957": 2,
        },
        severity=3,
        network_share=0.6,
    ),
    "DRG_CANNABIS": Profile(5, season="summer", severity=2, network_share=0.4),
    "ML_TBML": Profile(
        3.5,
        nodes=DUTCH_SEAPORTS,
        origins={k: 1 for k in ORIGINS},
        amount=(250_000, 1.0),
        severity=3,
    ),
    "ML_UNDERGROUND": Profile(2.5, amount=(50_000, 1.2), severity=3),
    "ML_REAL_ESTATE": Profile(2.5, amount=(600_000, 0.8), severity=3),
    "ML_CASH": Profile(2.5, nodes=AIRPORTS, amount=(40_000, 1.0), severity=2),
    "ML_SUSPICIOUS_TX": Profile(
        28, amount=(8_000, 1.7), trend=(1.0, 1.96, 1.29), severity=2, network_share=0.35
    ),
    "COR_PORT_INSIDER": Profile(
        1.2, nodes={**DUTCH_SEAPORTS, "NLRTM": 5, "NLRTM-MV2": 3}, severity=4
    ),
    "COR_AIRPORT_INSIDER": Profile(
        0.6, nodes={"EHAM": 8, "EHEH": 1, "EHBK": 1, "EHRD": 1}, severity=4
    ),
    "COR_LEAK": Profile(0.8, severity=4),
    "COR_BRIBERY": Profile(0.8, amount=(15_000, 1.0), severity=4),
    "COR_PRIVATE": Profile(0.6, amount=(30_000, 1.2), severity=3),
    "VIO_EXPLOSION": Profile(
        6,
        cities={g: EXPLOSION_WEIGHT.get(g, 5) for g in CITY_WEIGHT},
        trend=(1.0, 3.5, 6.0),
        season="newyear",
        severity=3,
        network_share=0.55,
    ),
    "VIO_LIQUIDATION": Profile(0.15, severity=5, network_share=0.8),
    "VIO_SHOOTING": Profile(1.5, trend=(1.0, 1.3, 1.5), severity=4, network_share=0.6),
    "VIO_THREAT_OFFICIAL": Profile(1.5, trend=(1.0, 1.2, 1.4), severity=3),
    "VIO_INTIMIDATION": Profile(3.5, trend=(1.0, 1.4, 1.8), severity=3),
    "THB_SEXUAL": Profile(1.2, severity=4),
    "THB_LABOUR": Profile(1.2, severity=3),
    "THB_CRIMINAL": Profile(0.8, severity=4),
    "FRD_LEGAL_ENTITY": Profile(5, amount=(100_000, 1.3), severity=2, network_share=0.35),
    "FRD_CARE": Profile(3, amount=(200_000, 1.1), severity=2, network_share=0.35),
    "FAC_FINANCIAL": Profile(4, amount=(80_000, 1.5), severity=3, network_share=0.6),
    "FAC_LOGISTIC": Profile(3, nodes={**DUTCH_SEAPORTS, **AIRPORTS}, severity=3, network_share=0.6),
    "FAC_LEGAL": Profile(1.5, amount=(60_000, 1.2), severity=3, network_share=0.6),
}

RELIABILITY = (("A", 0.15), ("B", 0.45), ("C", 0.25), ("D", 0.10), ("X", 0.05))
CREDIBILITY = ((1, 0.20), (2, 0.45), (3, 0.25), (4, 0.10))
