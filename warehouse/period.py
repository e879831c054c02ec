"""Reporting periods for briefings: "2024-Q3", "2024-07" or "2024", and the period before."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from warehouse.periods import add_months

PATTERN = re.compile(r"^(\d{4})(?:-(?:Q([1-4])|(0[1-9]|1[0-2])))?$")


@dataclass(frozen=True)
class Period:
    label: str
    start: dt.date  # first day of the first month
    months: int

    @property
    def end(self) -> dt.date:
        """First day of the last month (inclusive, as in Filters)."""
        return add_months(self.start, self.months - 1)

    def previous(self) -> Period:
        start = add_months(self.start, -self.months)
        if self.months == 3:
            label = f"{start.year}-Q{(start.month - 1) // 3 + 1}"
        elif self.months == 12:
            label = str(start.year)
        else:
            label = start.strftime("%Y-%m")
        return Period(label, start, self.months)

    @classmethod
    def parse(cls, text: str) -> Period:
        match = PATTERN.match(text.strip())
        if not match:
            raise ValueError(f"unknown period {text!r}: use e.g. 2024-Q3, 2024-07 or 2024")
        year = int(match[1])
        if match[2]:
            return cls(text.strip(), dt.date(year, 3 * int(match[2]) - 2, 1), 3)
        if match[3]:
            return cls(text.strip(), dt.date(year, int(match[3]), 1), 1)
        return cls(text.strip(), dt.date(year, 1, 1), 12)
