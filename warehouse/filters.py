"""What the viewer is looking at: one frozen value, language-independent codes only, that
round-trips to URL query parameters so a shared link reproduces a view exactly."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
CODE = re.compile(r"^[A-Za-z0-9_\-]{1,24}$")
LIST_FIELDS = ("regions", "municipalities", "phenomena", "agencies", "handling")


@dataclass(frozen=True)
class Filters:
    start: dt.date | None = None  # first day of the first month, inclusive
    end: dt.date | None = None  # first day of the last month, inclusive
    regions: tuple[str, ...] = ()
    municipalities: tuple[str, ...] = ()
    phenomena: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()  # owning agencies
    handling: tuple[str, ...] = ()
    extra: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)

    def to_query(self) -> dict[str, str]:
        """Query parameters (only the ones set), e.g. {"van": "2024-01", "fenomenen": "A,B"}."""
        out: dict[str, str] = {}
        if self.start:
            out[PARAM["start"]] = self.start.strftime("%Y-%m")
        if self.end:
            out[PARAM["end"]] = self.end.strftime("%Y-%m")
        for name in LIST_FIELDS:
            values = getattr(self, name)
            if values:
                out[PARAM[name]] = ",".join(values)
        return out

    @classmethod
    def from_query(cls, params: Mapping[str, str | Sequence[str]]) -> tuple[Filters, list[str]]:
        """Parse query parameters; malformed values are dropped and named in the problems list,
        so a mangled link opens a sensible view and says what it ignored."""
        problems: list[str] = []
        values: dict[str, object] = {}
        for name in ("start", "end"):
            raw = _one(params.get(PARAM[name]))
            if raw:
                match = MONTH.match(raw)
                if match:
                    values[name] = dt.date(int(match[1]), int(match[2]), 1)
                else:
                    problems.append(f"{PARAM[name]}={raw!r}")
        for name in LIST_FIELDS:
            raw = _one(params.get(PARAM[name]))
            if raw:
                items = [v.strip() for v in raw.split(",") if v.strip()]
                good = tuple(dict.fromkeys(v for v in items if CODE.match(v)))
                problems += [f"{PARAM[name]}={v!r}" for v in items if not CODE.match(v)]
                values[name] = good
        filters = cls(**values)  # type: ignore[arg-type]
        if filters.start and filters.end and filters.start > filters.end:
            problems.append("van > tot")
            filters = replace(filters, start=filters.end, end=filters.start)
        return filters, problems

    def cache_key(self) -> tuple:
        return tuple(getattr(self, f.name) for f in fields(self) if f.compare)


# Dutch parameter names: the links analysts share are read by Dutch colleagues.
PARAM = {
    "start": "van",
    "end": "tot",
    "regions": "regios",
    "municipalities": "gemeenten",
    "phenomena": "fenomenen",
    "agencies": "partners",
    "handling": "codes",
}


def _one(value: str | Sequence[str] | None) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return value[-1] if value else None
