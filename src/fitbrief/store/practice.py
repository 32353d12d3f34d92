"""Practice runs: the answers a user typed to a company's likely questions, as scored."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fitbrief.store.database import Database, company_filter, fetch_dicts

_PARTS = ("situation", "task", "action", "result")


def save_run(
    db: Database,
    company_id: int,
    when: datetime,
    role: str | None,
    answers: Sequence[dict[str, Any]],
) -> int:
    """Store a run and its scored answers in one transaction; returns its id."""
    with db.connect() as con:
        con.execute("BEGIN TRANSACTION")
        try:
            row = con.execute(
                "INSERT INTO practice_runs (company_id, practised_at, role) VALUES (?, ?, ?)"
                " RETURNING id",
                [company_id, when, role],
            ).fetchone()
            assert row is not None
            con.executemany(
                "INSERT INTO practice_answers (run_id, position, question, situation, task,"
                " action, result, quantified, words, seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    [
                        row[0],
                        i,
                        a["question"],
                        *(a["star"][p] for p in _PARTS),
                        a["quantified"],
                        a["words"],
                        a["seconds"],
                    ]
                    for i, a in enumerate(answers)
                ],
            )
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
    return int(row[0])


@dataclass
class PracticeSummary:
    """One practice run, summed up: how complete its answers were."""

    id: int
    company: str
    practised_at: datetime
    role: str | None
    answers: int
    star_parts: float  # mean STAR parts present per answer (0-4)
    quantified: float  # share of answers with a measurable result


def runs(db: Database, company: str | None = None) -> list[PracticeSummary]:
    """Practice runs, oldest first."""
    where, params = company_filter(company)
    with db.connect(read_only=True) as con:
        rows = fetch_dicts(
            con,
            "SELECT r.id, c.name AS company, r.practised_at, r.role, count(a.position) AS answers,"
            " coalesce(avg(a.situation::INT + a.task::INT + a.action::INT + a.result::INT), 0)"
            " AS star_parts,"
            " coalesce(avg(CASE WHEN a.quantified THEN 1 ELSE 0 END), 0) AS quantified"
            " FROM practice_runs r JOIN companies c ON c.id = r.company_id"
            " LEFT JOIN practice_answers a ON a.run_id = r.id "
            + where
            + " GROUP BY r.id, c.name, r.practised_at, r.role ORDER BY r.practised_at, r.id",
            params,
        )
    return [
        PracticeSummary(
            r["id"],
            r["company"],
            r["practised_at"],
            r["role"],
            r["answers"],
            round(float(r["star_parts"]), 2),
            round(float(r["quantified"]), 2),
        )
        for r in rows
    ]
