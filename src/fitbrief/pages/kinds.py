"""What a company page is: one vocabulary shared by the crawler's link ranking and extraction."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# Kind -> words that signal it in a URL path, link text, title or heading.  Order matters only
# for ties.  "priority" is how much interview research a page of that kind is worth fetching.
KIND_WORDS: dict[str, tuple[str, ...]] = {
    "values": (
        "values",
        "culture",
        "principles",
        "manifesto",
        "how we work",
        "how-we-work",
        "what we believe",
        "beliefs",
        "handbook",
        "code of conduct",
        "ethos",
        "our way",
        "diversity",
        "inclusion",
        "dei",
        "belonging",
        "sustainability",
        "impact",
    ),
    "about": (
        "about",
        "about us",
        "about-us",
        "company",
        "who we are",
        "who-we-are",
        "our story",
        "story",
        "mission",
        "history",
        "vision",
        "purpose",
        "overview",
    ),
    "careers": (
        "careers",
        "career",
        "jobs",
        "join us",
        "join-us",
        "join",
        "hiring",
        "work with us",
        "work-with-us",
        "open positions",
        "openings",
        "benefits",
        "life at",
        "working at",
    ),
    "team": ("team", "leadership", "people", "founders", "management", "board", "our team"),
    "press": (
        "press",
        "newsroom",
        "news",
        "media",
        "press release",
        "press-releases",
        "announcements",
        "in the news",
        "investors",
        "investor relations",
    ),
    "post": ("blog", "posts", "articles", "stories", "engineering", "insights", "updates"),
    "product": (
        "product",
        "products",
        "platform",
        "features",
        "solutions",
        "services",
        "pricing",
        "customers",
        "use cases",
        "how it works",
    ),
    "legal": (
        "privacy",
        "terms",
        "cookies",
        "legal",
        "imprint",
        "impressum",
        "gdpr",
        "accessibility",
        "security",
    ),
}

# How much a page of each kind is worth to interview research (crawl order).
KIND_PRIORITY: dict[str, float] = {
    "values": 10.0,
    "about": 9.0,
    "careers": 8.0,
    "team": 6.0,
    "press": 6.0,
    "post": 5.0,
    "product": 5.0,
    "job": 4.0,
    "home": 7.0,
    "other": 1.0,
    "legal": 0.0,
}

_PATTERNS = {
    kind: re.compile(r"(?<![a-z])(" + "|".join(re.escape(w) for w in words) + r")(?![a-z])")
    for kind, words in KIND_WORDS.items()
}


def url_words(url: str) -> str:
    """The path of a URL as lower-case words ("/about-us/our_values" -> "about us our values")."""
    path = urlsplit(url).path.lower()
    return re.sub(r"[/_\-.+%]+", " ", path).strip()


def kind_scores(*texts: str) -> dict[str, float]:
    """Count kind words in the given texts (URL words, link text, title, headings)."""
    scores: dict[str, float] = {}
    for text in texts:
        lowered = text.lower()
        for kind, pattern in _PATTERNS.items():
            hits = len(pattern.findall(lowered))
            if hits:
                scores[kind] = scores.get(kind, 0.0) + hits
    return scores


def link_priority(url: str, link_text: str = "") -> float:
    """How promising an unfetched URL is for interview research; higher is fetched first."""
    words = url_words(url)
    if not words:
        return KIND_PRIORITY["home"]
    scores = kind_scores(words, link_text)
    if not scores:
        return KIND_PRIORITY["other"] / (1 + words.count(" "))
    best = max(scores, key=lambda k: (scores[k] * KIND_PRIORITY[k], KIND_PRIORITY[k]))
    # Deep paths (one blog post among hundreds) are worth less than section pages.
    depth = urlsplit(url).path.strip("/").count("/")
    return KIND_PRIORITY[best] + min(scores[best], 3) * 0.5 - depth * 0.7
