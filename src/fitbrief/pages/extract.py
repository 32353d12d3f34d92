"""Page understanding: HTML -> main text, metadata, JSON-LD, page kind and passages.

Main text comes from trafilatura, unless it keeps much less than fitbrief's own finder, which
follows the readability idea (score containers by the paragraphs inside them, take the best and
its worthy siblings) on a tree stripped of navigation, banners and other boilerplate by tag,
ARIA role and class/id: trafilatura is the more accurate on real pages, and the own finder
keeps the short sections of values pages that trafilatura's text-density rules drop (both
measured by bench/bench_extract.py; see the README).  Metadata, JSON-LD, links and page kinds
come from selectolax (Lexbor).
"""

from __future__ import annotations

import codecs
import gzip
import json
import re
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from fitbrief.errors import ExtractionError
from fitbrief.pages.kinds import kind_scores, url_words
from fitbrief.records import HEADING_SEPARATOR
from fitbrief.textutil import parse_date, sentences, squash

MAX_HTML_CHARS = 6_000_000  # a bounded time for pathological pages: the rest is cut off
# Main text: trafilatura's unless it keeps less than this share of what fitbrief's own finder
# reads (chosen on the dev split of bench_extract's second benchmark; see README).
MIN_TRAFILATURA_SHARE = 0.6

_JUNK_TAGS = [
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "iframe",
    "button",
    "select",
    "textarea",
    "input",
    "nav",
    "object",
    "embed",
    "canvas",
    "dialog",
    "figure",
    "menu",
    "label",
]
# Removed only when they do not hold most of the page (ASP.NET wraps whole pages in a form).
_JUNK_IF_SMALL = "form, aside, footer, header"
_JUNK_ROLES = (
    "[role=navigation], [role=banner], [role=contentinfo], [role=complementary],"
    " [role=dialog], [role=alertdialog], [role=search], [aria-hidden=true], [hidden]"
)
# Class/id words that mark boilerplate.  "Strong" ones go unless the node is plainly an article
# wrapper; "weak" ones (a "has-sidebar" layout class) go only when little prose sits inside.
_STRONG_WORDS = frozenset(
    [
        "cookie",
        "cookies",
        "consent",
        "gdpr",
        "comment",
        "comments",
        "newsletter",
        "subscribe",
        "subscription",
        "signup",
        "share",
        "sharing",
        "social",
        "related",
        "recommended",
        "outbrain",
        "taboola",
        "disqus",
        "popup",
        "modal",
        "overlay",
        "breadcrumb",
        "breadcrumbs",
        "pagination",
        "pager",
        "advert",
        "advertisement",
        "sponsor",
        "sponsored",
        "skip",
        "sr-only",
        "visually-hidden",
        "read-more",
        "readmore",
        "more-stories",
        "trending",
        "most-popular",
        "promo",
    ]
)
_WEAK_WORDS = frozenset(
    [
        "nav",
        "navbar",
        "navigation",
        "menu",
        "footer",
        "site-header",
        "siteheader",
        "header",
        "masthead",
        "sidebar",
        "banner",
        "widget",
        "toolbar",
        "byline",
        "author",
        "tags",
        "taglist",
        "hidden",
        "ad",
        "ads",
        "print-only",
    ]
)


def _junk_strength(name: str) -> str | None:
    """'strong', 'weak' or None for a class/id string, by whole words and word pairs."""
    words = name.lower().replace("_", " ").replace("-", " ").split()
    found: str | None = None
    for i, word in enumerate(words):
        pair = f"{word}-{words[i + 1]}" if i + 1 < len(words) else ""
        if word in _STRONG_WORDS or pair in _STRONG_WORDS:
            return "strong"
        if word in _WEAK_WORDS or pair in _WEAK_WORDS:
            found = "weak"
    return found


_GOOD_NAME = re.compile(r"article|content|entry|post|story|body|main|text|prose", re.I)
_BLOCK_SEL = "p, h1, h2, h3, h4, h5, h6, li, blockquote, pre, td, dd, dt, figcaption, div"
_NESTED_SEL = "p, h1, h2, h3, h4, h5, h6, li, blockquote, pre, td, dd, dt, div, ul, ol, table"
_INLINE = {
    "a",
    "b",
    "strong",
    "em",
    "i",
    "span",
    "code",
    "br",
    "small",
    "sup",
    "sub",
    "mark",
    "abbr",
    "cite",
    "q",
    "time",
    "u",
    "s",
}
_SCORED = {"p", "td", "pre", "blockquote", "li", "div", "dd"}
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_BOILER_LINE = re.compile(
    r"^(advertisement|share( this)?( article| story)?|read more|continue reading|"
    r"sign up.*newsletter|subscribe.*|related( articles| stories)?|tweet|email|print)$",
    re.IGNORECASE,
)


@dataclass
class Block:
    """One block of main text in document order."""

    tag: str
    text: str
    level: int = 0  # heading level, 0 for body text


@dataclass
class ExtractedPassage:
    """A paragraph-sized unit of a page, with the headings it sits under."""

    position: int
    heading: str
    text: str


@dataclass
class Document:
    """Everything extraction learns from one page."""

    url: str | None
    title: str = ""
    description: str = ""
    lang: str = ""
    canonical: str = ""
    date: date | None = None
    kind: str = "other"
    kind_confidence: float = 0.0
    text: str = ""
    json_ld: list[dict[str, Any]] = field(default_factory=list)
    passages: list[ExtractedPassage] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["date"] = self.date.isoformat() if self.date else None
        return data


# --------------------------------------------------------------------------- decoding

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.I)


def _valid_codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None


def charset_from_content_type(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type header, if it names a known codec."""
    if not content_type:
        return None
    m = re.search(r"charset\s*=\s*([^\s;]+)", content_type, re.I)
    return _valid_codec(m.group(1)) if m else None


def decode_html(data: bytes, content_type: str | None = None) -> str:
    """Bytes -> text: the header's charset, then ``<meta charset>``, then detection."""
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace")
    encoding = charset_from_content_type(content_type)
    if not encoding:
        m = _META_CHARSET.search(data[:4096])
        encoding = _valid_codec(m.group(1).decode("ascii", "ignore")) if m else None
    if encoding:
        # Browsers read "latin-1" pages as windows-1252; so do we (curly quotes survive).
        if encoding in ("latin-1", "iso8859-1", "ascii"):
            encoding = "cp1252"
        return data.decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


# --------------------------------------------------------------------------- metadata


def _meta(tree: LexborHTMLParser, *names: str) -> str:
    for name in names:
        node = tree.css_first(
            f'meta[property="{name}"], meta[name="{name}"], meta[itemprop="{name}"]'
        )
        if node is not None:
            content = node.attributes.get("content")
            if content and content.strip():
                return squash(content)
    return ""


def parse_json_ld(tree: LexborHTMLParser) -> list[dict[str, Any]]:
    """Every JSON-LD object on the page, with ``@graph`` and top-level lists flattened."""
    objects: list[dict[str, Any]] = []
    for script in tree.css('script[type="application/ld+json"]'):
        raw = script.text(deep=True).strip()
        if not raw:
            continue
        try:
            data = json.loads(raw)
        except ValueError:
            # Common breakage: trailing commas, or several objects glued together.
            try:
                data = json.loads(re.sub(r",\s*([}\]])", r"\1", raw))
            except ValueError:
                continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                if "@graph" in item and isinstance(item["@graph"], list):
                    stack.extend(reversed(item["@graph"]))
                    rest = {k: v for k, v in item.items() if k not in ("@graph", "@context")}
                    if "@type" in rest:
                        objects.append(rest)
                else:
                    objects.append(item)
    return objects


def json_ld_types(obj: dict[str, Any]) -> set[str]:
    """The ``@type`` values of a JSON-LD object as a set of strings."""
    value = obj.get("@type", [])
    values = value if isinstance(value, list) else [value]
    return {str(v) for v in values}


_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})(?:[/-](\d{1,2}))?/")


def _find_date(
    tree: LexborHTMLParser, url: str | None, json_ld: list[dict[str, Any]]
) -> date | None:
    candidates = [
        _meta(
            tree,
            "article:published_time",
            "og:published_time",
            "datePublished",
            "publish-date",
            "pubdate",
            "date",
            "dc.date",
            "DC.date.issued",
            "sailthru.date",
            "article:modified_time",
            "dateModified",
        ),
    ]
    for obj in json_ld:
        for key in ("datePublished", "dateCreated", "uploadDate", "datePosted", "dateModified"):
            if isinstance(obj.get(key), str):
                candidates.append(obj[key])
    for node in tree.css("time"):
        candidates.append(node.attributes.get("datetime") or node.text(deep=True))
        if len(candidates) > 8:
            break
    for value in candidates:
        found = parse_date(value)
        if found:
            return found
    if url:
        m = _URL_DATE.search(urlsplit(url).path)
        if m:
            return parse_date(f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3) or 1):02d}")
    return None


# --------------------------------------------------------------------------- main text


def _strip_boilerplate(root: LexborNode) -> None:
    root.strip_tags(_JUNK_TAGS)
    doomed: list[LexborNode] = list(root.css(_JUNK_ROLES))
    body_length = len(root.text(deep=True)) or 1
    for node in root.css(_JUNK_IF_SMALL):
        if len(node.text(deep=True)) < 0.4 * body_length:
            doomed.append(node)
    for node in root.css("[class], [id]"):
        attrs = node.attributes
        name = f"{attrs.get('class') or ''} {attrs.get('id') or ''}"
        strength = _junk_strength(name)
        if strength is None or node.tag in ("body", "html", "main", "article"):
            continue
        if _GOOD_NAME.search(name) and "comment" not in name.lower():
            continue
        # A layout wrapper that merely carries a junk-looking class holds most of the page.
        if len(node.text(deep=True)) > 0.4 * body_length:
            continue
        if strength == "strong" or _prose_paragraphs(node) < 3:
            doomed.append(node)
    seen: set[int] = set()
    for node in doomed:
        # Skip nodes inside one already removed (their memory is gone with the parent).
        ancestor, inside = node.parent, False
        while ancestor is not None:
            if ancestor.mem_id in seen:
                inside = True
                break
            ancestor = ancestor.parent
        if not inside:
            seen.add(node.mem_id)
            node.decompose()


def _prose_paragraphs(node: LexborNode) -> int:
    return sum(1 for p in node.css("p") if len(p.text(deep=True)) > 80)


def _block_text(node: LexborNode) -> str:
    tag = node.tag
    # Paragraphs and headings hold only inline content: no need to look for nested blocks.
    if tag == "p" or tag in _HEADINGS or node.css_first(_NESTED_SEL) is None:
        if tag == "div" and node.child is None:
            return ""
        # No separator: inline elements join as a browser shows them ("<a>Reuters</a>, the"
        # is "Reuters, the"); <br> became a space in readability_blocks.
        return squash(node.text(deep=True, separator=""))
    # A container: only its own text; the nested blocks are visited on their own.
    parts = []
    child = node.child
    while child is not None:
        if child.tag == "-text":
            parts.append(child.text_content or "")
        elif child.tag in _INLINE:
            parts.append(child.text(deep=True, separator=""))
        child = child.next
    return squash("".join(parts))


def _link_density(node: LexborNode, text_length: int) -> float:
    if text_length == 0:
        return 1.0
    linked = sum(len(a.text(deep=True)) for a in node.css("a"))
    return min(1.0, linked / text_length)


def _collect_blocks(root: LexborNode) -> list[tuple[LexborNode, Block]]:
    blocks = []
    for node in root.css(_BLOCK_SEL):
        text = _block_text(node)
        if not text or (node.tag == "div" and len(text) < 25):
            continue
        tag = node.tag or ""
        blocks.append((node, Block(tag, text, _HEADINGS.get(tag, 0))))
    return blocks


def _choose_region(root: LexborNode, blocks: list[tuple[LexborNode, Block]]) -> set[int] | None:
    """mem_ids of the container(s) holding the main text, or None to keep the whole body."""
    scores: dict[int, float] = {}
    nodes: dict[int, LexborNode] = {}
    total_text = 0
    for node, block in blocks:
        length = len(block.text)
        total_text += length
        if block.tag not in _SCORED or length < 25:
            continue
        score = 1 + block.text.count(",") + min(length // 100, 3)
        ancestor = node.parent
        for divisor in (1, 2, 3):
            if ancestor is None or ancestor.tag in ("html", "#document"):
                break
            key = ancestor.mem_id
            if key not in scores:
                nodes[key] = ancestor
                name = (
                    f"{ancestor.attributes.get('class') or ''} "
                    f"{ancestor.attributes.get('id') or ''}"
                )
                bonus = 5.0 if ancestor.tag in ("article", "main") else 0.0
                if _GOOD_NAME.search(name):
                    bonus += 3.0
                if ancestor.attributes.get("itemprop") == "articleBody":
                    bonus += 10.0
                scores[key] = bonus
            scores[key] += score / divisor
            ancestor = ancestor.parent
    if not scores:
        return None
    ranked = sorted(scores, key=scores.__getitem__, reverse=True)[:5]
    best_key, best_value = ranked[0], -1.0
    for key in ranked:
        node = nodes[key]
        text_length = len(node.text(deep=True))
        value = scores[key] * (1 - _link_density(node, text_length))
        if value > best_value:
            best_key, best_value = key, value
    best = nodes[best_key]
    region = {best_key}
    parent = best.parent
    if parent is not None:
        threshold = max(10.0, best_value * 0.2)
        sibling = parent.child
        while sibling is not None:
            key = sibling.mem_id
            if key != best_key and key in scores and scores[key] >= threshold:
                region.add(key)
            sibling = sibling.next
    region_text = sum(len(nodes[k].text(deep=True)) for k in region)
    if region_text < 0.25 * total_text and total_text < 3000:
        # Short pages of many small sections (values, about): keep the whole cleaned body.
        return None
    return region


def _inside(node: LexborNode | None, region: set[int]) -> bool:
    while node is not None:
        if node.mem_id in region:
            return True
        node = node.parent
    return False


def readability_blocks(tree: LexborHTMLParser) -> list[Block]:
    """fitbrief's own main-text finder: the page's main text as blocks in document order
    (boilerplate removed).  Changes the tree (boilerplate is taken out of it)."""
    root = tree.body or tree.root
    if root is None:
        return []
    _strip_boilerplate(root)
    for br in root.css("br"):  # a line break reads as a space once lines are joined
        br.replace_with(" ")
    blocks = _collect_blocks(root)
    region = _choose_region(root, blocks)
    kept: list[Block] = []
    seen: set[str] = set()
    for node, block in blocks:
        if region is not None and not _inside(node, region):
            continue
        if _BOILER_LINE.match(block.text):
            continue
        if not block.level and len(block.text) < 200 and _link_density(node, len(block.text)) > 0.6:
            continue
        key = block.text if len(block.text) > 20 else f"{block.tag}:{block.text}"
        if key in seen:  # repeated teasers and captions
            continue
        seen.add(key)
        kept.append(block)
    return kept


_TRAFILATURA_BLOCKS = {"head", "p", "item", "row", "quote", "code"}
_TRAFILATURA_INLINE = {"hi", "ref", "del", "graphic"}


def trafilatura_blocks(html: str, url: str | None) -> list[Block]:
    """The main text as trafilatura finds it (its tree keeps headings, paragraphs and list
    items), as blocks in document order; [] when it finds none."""
    import trafilatura

    found = trafilatura.bare_extraction(
        html,
        url=url,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        with_metadata=False,
        deduplicate=False,
    )
    body = getattr(found, "body", None)
    if body is None:
        return []
    blocks: list[Block] = []
    taken: set[Any] = set()
    for node in body.iter():
        if node.tag not in _TRAFILATURA_BLOCKS or any(a in taken for a in node.iterancestors()):
            continue
        taken.add(node)
        if node.tag == "row":
            text = squash(" | ".join(_xml_text(c) for c in node.iter("cell")))
        else:
            text = squash(_xml_text(node))
        if not text:
            continue
        if node.tag == "head":
            rend = node.get("rend") or "h3"
            level = int(rend[1]) if len(rend) == 2 and rend[1].isdigit() else 3
            blocks.append(Block(f"h{level}", text, level))
        else:
            tag = {"item": "li", "row": "li", "quote": "blockquote", "code": "pre"}
            blocks.append(Block(tag.get(node.tag, "p"), text))
    return blocks


def _xml_text(node: Any) -> str:
    """The text of a trafilatura element as a browser shows it: inline parts joined as they
    are ("<hi>Reuters</hi>, the"), a line break (<lb/>) as a space."""
    parts = [node.text or ""]
    for child in node:
        if child.tag == "lb":
            parts.append(" ")
        elif child.tag in _TRAFILATURA_INLINE:
            parts.append(_xml_text(child))
        else:  # a nested block (a list in a list item, a cell): words apart
            parts.append(f" {_xml_text(child)} ")
        parts.append(child.tail or "")
    return "".join(parts)


def main_blocks(html: str, url: str | None, tree: LexborHTMLParser) -> list[Block]:
    """The page's main text as blocks: trafilatura's, unless it finds little on a page that
    fitbrief's own finder reads fully (short pages of many small sections, such as values
    pages, where a text-density extractor drops the short ones)."""
    return pick_main(readability_blocks(tree), trafilatura_blocks(html, url))


def pick_main(
    ours: list[Block], theirs: list[Block], min_share: float = MIN_TRAFILATURA_SHARE
) -> list[Block]:
    """trafilatura's blocks (``theirs``) unless they hold less than ``min_share`` of the
    characters fitbrief's own finder kept (``ours``)."""
    ours_chars = sum(len(b.text) for b in ours)
    theirs_chars = sum(len(b.text) for b in theirs)
    return ours if theirs_chars < min_share * ours_chars else theirs


# --------------------------------------------------------------------------- passages

PASSAGE_TARGET = 500  # characters: about a paragraph, the unit the model embeds well


def build_passages(blocks: list[Block], title: str = "") -> list[ExtractedPassage]:
    """Group blocks into paragraph-sized passages that keep their heading path."""
    passages: list[ExtractedPassage] = []
    path: list[tuple[int, str]] = []
    lead_in = ""
    pending_items: list[str] = []

    def heading() -> str:
        return HEADING_SEPARATOR.join(text for _, text in path)

    def emit(text: str) -> None:
        text = squash(text)
        if len(text) < 12 or len(text.split()) < 3:
            return
        chunks = [text]
        if len(text) > PASSAGE_TARGET * 1.6:
            chunks, current = [], ""
            for sentence in sentences(text):
                if current and len(current) + len(sentence) > PASSAGE_TARGET:
                    chunks.append(current)
                    current = ""
                current = f"{current} {sentence}".strip()
            if current:
                chunks.append(current)
        for chunk in chunks:
            passages.append(ExtractedPassage(len(passages), heading(), chunk))

    def flush_items() -> None:
        nonlocal pending_items
        if pending_items:
            prefix = f"{lead_in} " if lead_in else ""
            emit(prefix + "; ".join(pending_items))
            pending_items = []

    for block in blocks:
        if block.level:
            flush_items()
            lead_in = ""
            while path and path[-1][0] >= block.level:
                path.pop()
            if block.level == 1 and block.text == title:
                continue
            path.append((block.level, block.text))
            continue
        if block.tag in ("li", "dd", "dt"):
            if len(block.text) >= 80:
                flush_items()
                emit((f"{lead_in} " if lead_in else "") + block.text)
            else:
                pending_items.append(block.text)
            continue
        flush_items()
        lead_in = block.text if block.text.endswith(":") else ""
        if not lead_in:
            emit(block.text)
    flush_items()
    return passages


# --------------------------------------------------------------------------- kind

_JOB_URL = re.compile(r"/(jobs?|careers?|positions?|openings?|roles?)/[^/]+[-_0-9][^/]*/?$")
_POST_URL = re.compile(r"/(blog|news|posts?|articles?|stories|press|newsroom|updates)/[^/]+")


def classify_kind(
    url: str | None,
    title: str,
    headings: list[str],
    json_ld: list[dict[str, Any]],
    published: date | None,
) -> tuple[str, float]:
    """The page kind and a confidence in [0, 1]."""
    types = set().union(*(json_ld_types(o) for o in json_ld)) if json_ld else set()
    if "JobPosting" in types:
        return "job", 0.95
    path = urlsplit(url).path if url else ""
    if url is not None and path.strip("/") == "":
        return "home", 0.9
    scores = {k: v * 2 for k, v in kind_scores(url_words(url or "")).items()}
    for k, v in kind_scores(title, *headings[:12]).items():
        scores[k] = scores.get(k, 0.0) + v
    is_article = bool(types & {"Article", "NewsArticle", "BlogPosting", "Report"})
    if _POST_URL.search(path) and (published or is_article):
        press = "press" in path or "newsroom" in path or "release" in title.lower()
        return ("press" if press else "post"), 0.85
    if _JOB_URL.search(path) and "apply" in " ".join(headings).lower():
        return "job", 0.7
    if is_article or (published and not scores):
        scores["post"] = scores.get("post", 0.0) + 2
    if not scores:
        return "other", 0.3
    best = max(scores, key=scores.__getitem__)
    confidence = scores[best] / (sum(scores.values()) + 1.0)
    return best, round(min(0.95, 0.3 + confidence), 2)


# --------------------------------------------------------------------------- entry points


def extract(html: str | bytes, url: str | None = None, content_type: str | None = None) -> Document:
    """Extract a page.  Never raises on odd HTML; an empty result has empty ``text``."""
    if isinstance(html, bytes):
        html = decode_html(html, content_type)
    if len(html) > MAX_HTML_CHARS:
        html = html[:MAX_HTML_CHARS]
    tree = LexborHTMLParser(html)
    doc = Document(url=url)
    html_node = tree.css_first("html")
    doc.lang = (html_node.attributes.get("lang") or "").split("-")[0].lower() if html_node else ""
    doc.json_ld = parse_json_ld(tree)
    title_node = tree.css_first("title")
    doc.title = _meta(tree, "og:title") or (squash(title_node.text()) if title_node else "")
    doc.description = _meta(tree, "description", "og:description")
    canonical = tree.css_first('link[rel="canonical"]')
    if canonical is not None and canonical.attributes.get("href"):
        doc.canonical = urljoin(url or "", canonical.attributes["href"] or "")
    doc.date = _find_date(tree, url, doc.json_ld)
    h1 = tree.css_first("h1")
    h1_text = squash(h1.text()) if h1 is not None else ""
    doc.title = doc.title or h1_text
    blocks = main_blocks(html, url, tree)
    doc.headings = [b.text for b in blocks if b.level]
    doc.text = "\n\n".join(b.text for b in blocks)
    doc.passages = build_passages(blocks, title=h1_text)
    doc.kind, doc.kind_confidence = classify_kind(
        url, doc.title, doc.headings, doc.json_ld, doc.date
    )
    return doc


def read_source(source: str) -> bytes:
    """Bytes of a local file (``.gz`` read transparently) for ``fitbrief extract``."""
    from pathlib import Path

    path = Path(source)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ExtractionError(f"{source}: cannot read: {exc.strerror}") from None
    if source.endswith(".gz") or data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise ExtractionError(f"{source}: not a readable gzip file ({exc})") from None
    return data
