"""A table of figures: what every measure returns, and what the pages, the API, the PDF, the
CSV and the XLSX workbook all show, so that they cannot disagree."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list]
    # How to draw it: {"kind": "bar" | "stacked" | "line", "series": [column indexes]}
    chart: dict | None = None
    note: str = ""
    summary: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Table:
        return cls(**data)

    def row(self, label: str) -> list:
        return next(row for row in self.rows if row[0] == label)
