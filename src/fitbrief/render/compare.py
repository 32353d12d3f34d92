"""The comparison across employers: one row per company, and a self-contained HTML page with
the ranking and a per-dimension heatmap of emphasis."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from fitbrief.analysis.fit import FitResult
from fitbrief.analysis.taxonomy import Taxonomy
from fitbrief.render.brief import template_env


@dataclass
class CompareRow:
    rank: int
    name: str
    score: float | None
    confidence: float
    verdict: str
    top_match: str | None
    top_mismatch: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


COMPARE_COLUMNS = ["rank", "name", "score", "confidence", "verdict", "top_match", "top_mismatch"]


def compare_rows(results: list[FitResult]) -> list[CompareRow]:
    """One row per company in rank order (unscored last)."""
    return [
        CompareRow(
            i,
            r.company,
            r.score,
            r.confidence,
            r.verdict,
            r.matches[0].name if r.matches else None,
            r.mismatches[0].name if r.mismatches else None,
        )
        for i, r in enumerate(results, 1)
    ]


def render_compare_html(results: list[FitResult], taxonomy: Taxonomy) -> str:
    """A self-contained page: the ranking and a per-dimension heatmap of emphasis."""
    return (
        template_env()
        .get_template("compare.html")
        .render(rows=compare_rows(results), results=results, dims=taxonomy.ids)
    )
