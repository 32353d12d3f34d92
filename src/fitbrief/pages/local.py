"""Local files read as one company's pages (``fitbrief values profile``): HTML through the
extractor; plain text and Markdown by paragraph under its # heading."""

from __future__ import annotations

from collections.abc import Sequence

from fitbrief.pages.extract import extract, read_source
from fitbrief.records import Passage
from fitbrief.textutil import decode_text, squash


def passages_from_files(paths: Sequence[str]) -> list[Passage]:
    """The passages of each file, in order."""
    passages: list[Passage] = []
    for name in paths:
        data = read_source(name)
        if name.endswith((".html", ".htm", ".html.gz")) or b"<html" in data[:2000].lower():
            doc = extract(data, None)
            kind = doc.kind if doc.kind != "other" else "text"
            passages += [Passage(p.text, p.heading, name, kind) for p in doc.passages]
            continue
        text = decode_text(data, f"{name}: not HTML, and the file")
        heading = ""
        for block in text.replace("\r\n", "\n").split("\n\n"):
            block = block.strip()
            if block.startswith("#"):
                heading = block.lstrip("# ").split("\n")[0]
                block = "\n".join(block.split("\n")[1:]).strip()
            if len(block.split()) >= 3:
                passages.append(Passage(squash(block), heading, name, "text"))
    return passages
