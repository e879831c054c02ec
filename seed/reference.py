"""Reference data of the warehouse: RIEC regions, municipalities, logistics nodes, phenomena,
facilitator categories; and the partner agencies from configuration."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, text

from warehouse.settings import Agency

DATA = Path(__file__).resolve().parent / "data"

# The ten RIEC regions coincide with the ten police units.
REGIONS: dict[str, str] = {
    "NNL": "Noord-Nederland",
    "ONL": "Oost-Nederland",
    "MNL": "Midden-Nederland",
    "NH": "Noord-Holland",
    "AMS": "Amsterdam",
    "DH": "Den Haag",
    "RTM": "Rotterdam",
    "ZWB": "Zeeland-West-Brabant",
    "OB": "Oost-Brabant",
    "LIM": "Limburg",
}
REGION_BY_NAME = {name: code for code, name in REGIONS.items()}


@dataclass(frozen=True)
class Municipality:
    gm_code: str
    name: str
    region_code: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Node:
    code: str
    name: str
    node_type: str
    locode: str
    country: str
    lat: float
    lon: float
    municipality_code: str | None


@dataclass(frozen=True)
class Phenomenon:
    code: str
    category: str
    name_nl: str
    name_en: str


@dataclass(frozen=True)
class FacilitatorCategory:
    code: str
    kind: str
    name_nl: str
    name_en: str


def municipalities() -> tuple[Municipality, ...]:
    with (DATA / "municipalities.csv").open(encoding="utf-8") as f:
        return tuple(
            Municipality(
                gm_code=r["gm_code"],
                name=r["name"],
                region_code=REGION_BY_NAME[r["police_unit_riec"]],
                lat=float(r["lat"]),
                lon=float(r["lon"]),
            )
            for r in csv.DictReader(f)
        )


# Node codes are the UN/LOCODE or ICAO code; a second node under one LOCODE gets a suffix.
_NODE_CODE_OVERRIDES = {"Maasvlakte 2 terminals": "NLRTM-MV2"}
_NODE_MUNICIPALITY = {
    "NLRTM": "GM0599",
    "NLRTM-MV2": "GM0599",
    "NLAMS": "GM0363",
    "NLIJM": "GM0453",
    "NLVLI": "GM0718",
    "NLTNZ": "GM0715",
    "NLMOE": "GM1709",
    "NLEEM": "GM1979",
    "EHAM": "GM0394",
    "EHEH": "GM0772",
    "EHRD": "GM0599",
    "EHBK": "GM0888",
    "EHGG": "GM1730",
}
_ICAO_COUNTRY = {"EH": "NL"}


def nodes() -> tuple[Node, ...]:
    out = []
    with (DATA / "logistics_nodes.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            locode = r["unlocode_or_icao"]
            code = _NODE_CODE_OVERRIDES.get(r["node"], locode)
            country = (
                _ICAO_COUNTRY.get(locode[:2], locode[:2]) if r["type"] == "airport" else locode[:2]
            )
            out.append(
                Node(
                    code=code,
                    name=r["node"],
                    node_type=r["type"],
                    locode=locode,
                    country=country,
                    lat=float(r["lat"]),
                    lon=float(r["lon"]),
                    municipality_code=_NODE_MUNICIPALITY.get(code),
                )
            )
    return tuple(out)


PHENOMENA: tuple[Phenomenon, ...] = (
    Phenomenon(
        "DRG_COCAINE_IMPORT", "drugs", "Cocaïne-invoer via havens", "Cocaine import via ports"
    ),
    Phenomenon(
        "DRG_EXTRACTION", "drugs", "Uithalen van drugs (uithalers)", "Drug extraction at ports"
    ),
    Phenomenon(
        "DRG_SYNTHETIC", "drugs", "Productie synthetische drugs", "Synthetic drug production"
    ),
    Phenomenon("DRG_CANNABIS", "drugs", "Hennepteelt", "Cannabis cultivation"),
    Phenomenon(
        "ML_TBML", "money_laundering", "Handelsgebaseerd witwassen", "Trade-based money laundering"
    ),
    Phenomenon(
        "ML_UNDERGROUND", "money_laundering", "Ondergronds bankieren", "Underground banking"
    ),
    Phenomenon(
        "ML_REAL_ESTATE", "money_laundering", "Witwassen via vastgoed", "Real-estate laundering"
    ),
    Phenomenon("ML_CASH", "money_laundering", "Contant geld (o.a. Schiphol)", "Cash smuggling"),
    Phenomenon(
        "ML_SUSPICIOUS_TX",
        "money_laundering",
        "Verdachte transactie (FIU)",
        "Suspicious transaction (FIU)",
    ),
    Phenomenon(
        "COR_PORT_INSIDER", "corruption", "Corrupte insider haven", "Port insider corruption"
    ),
    Phenomenon(
        "COR_AIRPORT_INSIDER",
        "corruption",
        "Corrupte insider luchthaven",
        "Airport insider corruption",
    ),
    Phenomenon(
        "COR_LEAK",
        "corruption",
        "Lekken vertrouwelijke informatie",
        "Leak of confidential information",
    ),
    Phenomenon("COR_BRIBERY", "corruption", "Omkoping", "Bribery"),
    Phenomenon("COR_PRIVATE", "corruption", "Niet-publieke corruptie", "Private-sector corruption"),
    Phenomenon("VIO_EXPLOSION", "violence", "Explosie", "Explosive attack"),
    Phenomenon("VIO_LIQUIDATION", "violence", "Liquidatie", "Liquidation"),
    Phenomenon("VIO_SHOOTING", "violence", "Schietincident", "Shooting"),
    Phenomenon(
        "VIO_THREAT_OFFICIAL", "violence", "Bedreiging ambtsdrager", "Threat against an official"
    ),
    Phenomenon(
        "VIO_INTIMIDATION", "violence", "Intimidatie en afpersing", "Intimidation and extortion"
    ),
    Phenomenon("THB_SEXUAL", "trafficking", "Seksuele uitbuiting", "Sexual exploitation"),
    Phenomenon("THB_LABOUR", "trafficking", "Arbeidsuitbuiting", "Labour exploitation"),
    Phenomenon("THB_CRIMINAL", "trafficking", "Criminele uitbuiting", "Criminal exploitation"),
    Phenomenon("FRD_LEGAL_ENTITY", "fraud", "Misbruik rechtspersonen", "Misuse of legal entities"),
    Phenomenon("FRD_CARE", "fraud", "Zorgfraude en zorgvastgoed", "Care and care-property fraud"),
    Phenomenon(
        "FAC_FINANCIAL", "facilitation", "Financiële facilitering", "Financial facilitation"
    ),
    Phenomenon("FAC_LOGISTIC", "facilitation", "Logistieke facilitering", "Logistic facilitation"),
    Phenomenon("FAC_LEGAL", "facilitation", "Juridische facilitering", "Legal facilitation"),
)

FACILITATOR_CATEGORIES: tuple[FacilitatorCategory, ...] = (
    FacilitatorCategory("NOTARY", "legal", "Notaris", "Notary"),
    FacilitatorCategory("LAWYER", "legal", "Advocaat", "Lawyer"),
    FacilitatorCategory("ACCOUNTANT", "financial", "Accountant", "Accountant"),
    FacilitatorCategory("TAX_ADVISER", "financial", "Belastingadviseur", "Tax adviser"),
    FacilitatorCategory(
        "TRUST_OFFICE", "financial", "Trust- en domicilieverlener", "Trust and domicile office"
    ),
    FacilitatorCategory(
        "REAL_ESTATE", "financial", "Makelaar of taxateur", "Real-estate agent or valuer"
    ),
    FacilitatorCategory(
        "PAYMENT_PROVIDER",
        "financial",
        "Betaaldienst of geldtransactiekantoor",
        "Payment or money transfer provider",
    ),
    FacilitatorCategory(
        "CRYPTO_PROVIDER", "financial", "Cryptodienstverlener", "Crypto service provider"
    ),
    FacilitatorCategory("CASINO", "financial", "Casino", "Casino"),
    FacilitatorCategory("GOLD_TRADER", "financial", "Goudhandelaar", "Gold trader"),
    FacilitatorCategory("CAR_TRADER", "financial", "Autohandelaar", "Car trader"),
    FacilitatorCategory("FREIGHT_FORWARDER", "logistic", "Expediteur", "Freight forwarder"),
    FacilitatorCategory("CUSTOMS_BROKER", "logistic", "Douane-expediteur", "Customs broker"),
    FacilitatorCategory("TERMINAL", "logistic", "Containerterminal", "Container terminal"),
    FacilitatorCategory("TRANSPORT", "logistic", "Transportbedrijf", "Transport company"),
    FacilitatorCategory(
        "LOGISTICS_HUB", "logistic", "Kleine logistieke hub", "Small logistics hub"
    ),
    FacilitatorCategory("FRONT_MAN", "front", "Katvanger", "Front man"),
    FacilitatorCategory("SHELL_COMPANY", "front", "Brievenbusfirma", "Shell company"),
)


def sync_reference(conn: Connection, agencies: tuple[Agency, ...]) -> None:
    """Upsert reference data and the configured agencies (idempotent; nothing is deleted)."""
    _upsert(
        conn,
        "agency",
        ("code", "bit", "name_nl", "name_en"),
        [(a.code, a.bit, a.name_nl, a.name_en) for a in agencies],
    )
    _upsert(conn, "riec_region", ("code", "name"), list(REGIONS.items()))
    _upsert(
        conn,
        "municipality",
        ("gm_code", "name", "region_code", "lat", "lon"),
        [(m.gm_code, m.name, m.region_code, m.lat, m.lon) for m in municipalities()],
    )
    _upsert(
        conn,
        "logistics_node",
        ("code", "name", "node_type", "locode", "country", "lat", "lon", "municipality_code"),
        [
            (n.code, n.name, n.node_type, n.locode, n.country, n.lat, n.lon, n.municipality_code)
            for n in nodes()
        ],
    )
    _upsert(
        conn,
        "phenomenon",
        ("code", "category", "name_nl", "name_en"),
        [(p.code, p.category, p.name_nl, p.name_en) for p in PHENOMENA],
    )
    _upsert(
        conn,
        "facilitator_category",
        ("code", "kind", "name_nl", "name_en"),
        [(c.code, c.kind, c.name_nl, c.name_en) for c in FACILITATOR_CATEGORIES],
    )


def _upsert(conn: Connection, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    # Table and column names are the constants above; values are bound.
    key, rest = columns[0], columns[1:]
    sql = (
        f"insert into {table} ({', '.join(columns)}) "  # noqa: S608
        f"values ({', '.join(':' + c for c in columns)}) "
        f"on conflict ({key}) do update set " + ", ".join(f"{c} = excluded.{c}" for c in rest)
    )
    conn.execute(text(sql), [dict(zip(columns, r, strict=True)) for r in rows])
