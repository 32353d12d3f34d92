"""robots.txt with protego: what fitbrief may fetch, how slowly, and where the sitemaps are."""

from __future__ import annotations

from dataclasses import dataclass, field

from protego import Protego

USER_AGENT_TOKEN = "fitbrief"


@dataclass
class RobotsPolicy:
    """Parsed robots.txt of one host (an absent file allows everything)."""

    parser: Protego | None = None
    sitemaps: list[str] = field(default_factory=list)

    @classmethod
    def parse(cls, text: str) -> RobotsPolicy:
        parser = Protego.parse(text)
        return cls(parser, list(parser.sitemaps))

    def allowed(self, url: str) -> bool:
        return self.parser is None or bool(self.parser.can_fetch(url, USER_AGENT_TOKEN))

    def crawl_delay(self) -> float:
        if self.parser is None:
            return 0.0
        delay = self.parser.crawl_delay(USER_AGENT_TOKEN)
        return float(delay) if delay else 0.0
