"""The extraction stage over stored pages: pages -> documents and passages.

Re-runs only for pages whose content hash changed since they were last extracted, so an
unchanged page is never re-parsed and its passages (and their embeddings) stay as they are.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from fitbrief.crawl.crawler import stored_text
from fitbrief.db import Database, fetch_dicts
from fitbrief.extract import Document, extract, read_source
from fitbrief.textutil import decode_text, sha256_text, squash


def passages_from_files(paths: Sequence[str]) -> list[dict[str, Any]]:
    """Passages of local files read as one company's pages (``fitbrief values profile``):
    HTML through the extractor; plain text and Markdown by paragraph under its # heading."""
    passages: list[dict[str, Any]] = []
    for name in paths:
        data, _ = read_source(name)
        if name.endswith((".html", ".htm", ".html.gz")) or b"<html" in data[:2000].lower():
            doc = extract(data, None)
            kind = doc.kind if doc.kind != "other" else "text"
            passages += [
                {"text": p.text, "heading": p.heading, "url": name, "kind": kind, "id": None}
                for p in doc.passages
            ]
            continue
        text = decode_text(data, f"{name}: not HTML, and the file")
        heading = ""
        for block in text.replace("\r\n", "\n").split("\n\n"):
            block = block.strip()
            if block.startswith("#"):
                heading = block.lstrip("# ").split("\n")[0]
                block = "\n".join(block.split("\n")[1:]).strip()
            if len(block.split()) >= 3:
                passages.append(
                    {
                        "text": squash(block),
                        "heading": heading,
                        "url": name,
                        "kind": "text",
                        "id": None,
                    }
                )
    return passages


def extract_company(db: Database, company_id: int) -> list[tuple[int, Document]]:
    """Extract every stored page of a company whose content changed; returns what it did."""
    with db.connect(read_only=True) as con:
        pending = fetch_dicts(
            con,
            """
            SELECT p.id, p.final_url, p.url, p.body, p.sha256 FROM pages p
            LEFT JOIN documents d ON d.page_id = p.id
            WHERE p.company_id = ? AND p.body IS NOT NULL
              AND (d.page_id IS NULL OR d.sha256 <> p.sha256)
              AND (p.content_type IS NULL OR p.content_type NOT LIKE '%xml%')
            """,
            [company_id],
        )
    done = [
        (page["id"], extract(stored_text(page), page["final_url"] or page["url"]))
        for page in pending
    ]
    if not done:
        return done
    # The crawler stored each body's hash: the document records which content it came from.
    hashes = {page["id"]: page["sha256"] for page in pending}
    with db.connect() as con:
        con.execute("BEGIN TRANSACTION")
        for page_id, doc in done:
            con.execute("DELETE FROM passages WHERE page_id = ?", [page_id])
            con.execute("DELETE FROM documents WHERE page_id = ?", [page_id])
            con.execute(
                "INSERT INTO documents (page_id, sha256, title, description, lang, canonical,"
                " published, kind, kind_confidence, text, json_ld)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    page_id,
                    hashes[page_id],
                    doc.title,
                    doc.description,
                    doc.lang,
                    doc.canonical,
                    doc.date,
                    doc.kind,
                    doc.kind_confidence,
                    doc.text,
                    json.dumps(doc.json_ld, default=str),
                ],
            )
            if doc.passages:
                con.executemany(
                    "INSERT INTO passages (page_id, position, heading, text, sha256)"
                    " VALUES (?, ?, ?, ?, ?)",
                    [
                        [page_id, p.position, p.heading, p.text, sha256_text(p.text)]
                        for p in doc.passages
                    ],
                )
        con.execute("COMMIT")
    return done


def passages_by_company(con: Any, company_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Passages of several companies in one query (``compare`` reads hundreds at once)."""
    rows = fetch_dicts(
        con,
        """
        SELECT p.company_id, s.id, s.page_id, s.position, s.heading, s.text, s.sha256,
               coalesce(p.final_url, p.url) AS url, d.title, d.kind, d.published,
               p.fetched_at
        FROM passages s JOIN pages p ON p.id = s.page_id JOIN documents d ON d.page_id = p.id
        WHERE p.company_id IN (SELECT unnest(?::INTEGER[]))
        ORDER BY p.company_id, s.page_id, s.position
        """,
        [company_ids],
    )
    result: dict[int, list[dict[str, Any]]] = {cid: [] for cid in company_ids}
    for row in rows:
        result[row.pop("company_id")].append(row)
    return result
