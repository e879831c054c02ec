"""The codes a delivery may use, read once per batch from the warehouse."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the reader processes import this module without SQLAlchemy
    from sqlalchemy import Connection

# The Netherlands, generously boxed (Wadden islands to Zuid-Limburg, North Sea coast).
NL_LAT, NL_LON = (50.70, 53.60), (3.30, 7.25)
# A point abroad counts when it lies this close (degrees) to a known foreign node.
FOREIGN_NODE_RADIUS = 0.3


@dataclass(frozen=True)
class Reference:
    agency_bits: dict[str, int]
    phenomena: frozenset[str]
    municipalities: frozenset[str]
    node_municipality: dict[str, str | None]
    foreign_nodes: tuple[tuple[float, float], ...]
    facilitator_categories: frozenset[str]

    def mask(self, codes: list[str]) -> int:
        return sum(1 << self.agency_bits[c] for c in set(codes))

    @property
    def all_mask(self) -> int:
        return self.mask(list(self.agency_bits))


def load_reference(*, conn: Connection) -> Reference:
    """Codes, places and agencies as the warehouse knows them now."""
    nodes = conn.exec_driver_sql(
        "select code, country, lat, lon, municipality_code from logistics_node"
    ).all()
    return Reference(
        agency_bits={r.code: r.bit for r in conn.exec_driver_sql("select code, bit from agency")},
        phenomena=frozenset(conn.exec_driver_sql("select code from phenomenon").scalars().all()),
        municipalities=frozenset(
            conn.exec_driver_sql("select gm_code from municipality").scalars().all()
        ),
        node_municipality={n.code: n.municipality_code for n in nodes},
        foreign_nodes=tuple((n.lat, n.lon) for n in nodes if n.country != "NL"),
        facilitator_categories=frozenset(
            conn.exec_driver_sql("select code from facilitator_category").scalars().all()
        ),
    )
