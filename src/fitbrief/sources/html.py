"""The one HTML-to-text of job postings, used by every source.

Feeds send a posting's body as HTML of every shape: paragraphs and lists, but also nothing but
``<div>`` s, lines split by ``<br>``, lists inside list items, bold "headings", and HTML escaped
once or twice.  ``html_blocks`` walks the tree once and returns every run of text as a block
in document order, tagged with what it is (heading, list item, paragraph or line), so no text
is lost whatever the structure and none is emitted twice.
"""

from __future__ import annotations

import html as htmllib
import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from fitbrief.textutil import squash

# Elements that start a new block of text; everything else is inline.
_BLOCK = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)
_SKIP = frozenset(
    [
        "script",
        "style",
        "iframe",
        "object",
        "embed",
        "noscript",
        "template",
        "svg",
        "button",
        "select",
    ]
)
_HEADINGS = frozenset(["h1", "h2", "h3", "h4", "h5", "h6"])
_BOLD = frozenset(("strong", "b"))
# Escaped markup: "&lt;p&gt;" (once) or "&amp;lt;p&amp;gt;" (twice).
_ESCAPED_TAG = re.compile(r"&(?:amp;)*lt;/?[a-zA-Z][a-zA-Z0-9]*[\s/&]")
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]{2,8});")
# A line that starts with a bullet mark or a list number ("o" is Word's second-level bullet).
BULLET = re.compile(r"^\s*(?:[-•*·▪●◦–+o§]|\d{1,2}[.)])\s+")


def unescape_markup(text: str) -> str:
    """HTML that a feed escaped once or twice, as HTML (plain HTML is left as it is)."""
    for _ in range(3):
        if ("<" in text and re.search(r"<[a-zA-Z/]", text)) or not _ESCAPED_TAG.search(text):
            break
        text = htmllib.unescape(text)
    return text


class _Walker:
    """Collects (tag, text) blocks while walking a tree once."""

    def __init__(self) -> None:
        self.blocks: list[tuple[str, str]] = []
        self.parts: list[str] = []
        self.bold: list[str] = []  # text of the current line that sits in <strong>/<b>
        self.tag = "p"

    def flush(self) -> None:
        text = squash("".join(self.parts))
        bold = squash("".join(self.bold))
        self.parts, self.bold = [], []
        if not text:
            return
        # Feeds escape text twice as often as markup: "R&amp;amp;D" parses to "R&amp;D".
        if _ENTITY.search(text):
            text = squash(htmllib.unescape(text))
        tag = self.tag
        if tag not in _HEADINGS and tag != "li":
            if BULLET.match(text) and len(text) > 2:
                tag, text = "li", BULLET.sub("", text)
            elif len(text) < 80 and (text == bold or (text.endswith(":") and len(text) < 60)):
                tag = "h4"  # a bold line or a short "Requirements:" line reads as a heading
        self.blocks.append((tag, text))

    def walk(self, node: LexborNode, in_bold: bool) -> None:
        child = node.child
        while child is not None:
            name = child.tag or ""
            if name == "-text":
                value = child.text_content or ""
                self.parts.append(value)
                if in_bold:
                    self.bold.append(value)
            elif name == "br":
                self.flush()
            elif name in _SKIP or name.startswith("-"):
                pass
            elif name in _BLOCK:
                self.flush()
                outer = self.tag
                if name in _HEADINGS or name == "li":
                    self.tag = name
                elif outer == "li" or outer in _HEADINGS:
                    pass  # a <p> or <div> inside an item or heading is still that item
                else:
                    self.tag = "p" if name == "p" else "line"
                self.walk(child, in_bold)
                self.flush()
                self.tag = outer
            else:  # inline: its text joins the current line
                self.walk(child, in_bold or name in _BOLD)
            child = child.next


def html_blocks(html: str) -> list[tuple[str, str]]:
    """(tag, text) of every run of text, in order: "h1".."h6"/"h4" for headings (bold-only or
    "…:" lines count), "li" for list items, "p" for paragraphs, "line" for text held in divs or
    split by ``<br>``."""
    html = unescape_markup(html)
    tree = LexborHTMLParser(f"<div>{html}</div>")
    root = tree.body
    if root is None:
        return []
    walker = _Walker()
    walker.walk(root, False)
    walker.flush()
    return walker.blocks


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment, blocks separated by blank lines, items marked "- "."""
    return blocks_to_text(html_blocks(html))


def blocks_to_text(blocks: list[tuple[str, str]]) -> str:
    return "\n\n".join(f"- {text}" if tag == "li" else text for tag, text in blocks)


def blocks_to_html(blocks: list[tuple[str, str]]) -> str:
    """(tag, text) blocks as safe HTML: headings as <h4>, runs of items as one list, plain
    lines as <div> (so they read back as lines) and the rest as <p>; text escaped."""
    out, in_list = [], False
    for tag, text in blocks:
        if (tag == "li") != in_list:
            out.append("<ul>" if tag == "li" else "</ul>")
            in_list = tag == "li"
        name = "h4" if tag in _HEADINGS else tag if tag in ("li", "p") else "div"
        out.append(f"<{name}>{htmllib.escape(text)}</{name}>")
    return "".join(out) + ("</ul>" if in_list else "")
