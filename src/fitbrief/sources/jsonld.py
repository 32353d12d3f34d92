"""JobPosting JSON-LD on crawled career pages (also inside @graph and lists)."""

from __future__ import annotations

from typing import Any

from fitbrief.pages.extract import json_ld_types
from fitbrief.records import Posting
from fitbrief.sources.html import html_to_text, unescape_markup
from fitbrief.sources.normalize import (
    as_object,
    finish,
    parse_time,
    place,
    set_structured_salary,
    titled_html,
)
from fitbrief.textutil import sha256_text


def _name(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("name") or "")
    if isinstance(value, list):
        return ", ".join(_name(v) for v in value if _name(v))
    return str(value or "")


def _places(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    places = []
    for item in items:
        if not isinstance(item, dict):
            continue
        address = as_object(item.get("address"))
        parts = [
            address.get("addressLocality"),
            address.get("addressRegion"),
            _name(address.get("addressCountry")),
        ]
        places.append(place(*parts))  # duplicates (one per office) go in finish
    return places


# JobPosting properties that hold text of the posting beyond its description: shown as titled
# sections, so requirements and duties are found and no text the page carries is dropped.
_SECTIONS = [
    ("responsibilities", "Responsibilities"),
    ("qualifications", "Qualifications"),
    ("skills", "Skills"),
    ("educationRequirements", "Education requirements"),
    ("experienceRequirements", "Experience requirements"),
    ("jobBenefits", "Benefits"),
    ("incentiveCompensation", "Incentive compensation"),
]


def _section_text(value: Any) -> str:
    """A property as HTML: text as it is, a list as items, a typed object by its text."""
    if isinstance(value, list):
        return "<ul>" + "".join(f"<li>{_section_text(v)}</li>" for v in value) + "</ul>"
    if isinstance(value, dict):
        return str(value.get("description") or value.get("name") or "")
    return str(value or "")


def postings_from_json_ld(objects: list[dict[str, Any]], page_url: str) -> list[Posting]:
    """Postings from a page's JSON-LD objects."""
    postings = []
    for obj in objects:
        if "JobPosting" not in json_ld_types(obj):
            continue
        title = str(obj.get("title") or obj.get("name") or "").strip()
        if not title:
            continue
        identifier = obj.get("identifier")
        ident = _name(identifier) if isinstance(identifier, dict) else str(identifier or "")
        if isinstance(identifier, dict) and identifier.get("value"):
            ident = str(identifier["value"])
        url = str(obj.get("url") or page_url)
        locations = _places(obj.get("jobLocation"))
        remote = str(obj.get("jobLocationType") or "").upper() == "TELECOMMUTE"
        employment = obj.get("employmentType")
        posting = Posting(
            source="jsonld",
            source_id=ident or sha256_text(f"{url}|{title}")[:16],
            board=page_url,
            title=title,
            locations=locations or (["Remote"] if remote else []),
            workplace="remote" if remote else None,
            employment_type=", ".join(employment)
            if isinstance(employment, list)
            else (str(employment) if employment else None),
            posted_at=parse_time(obj.get("datePosted")),
            url=url,
            apply_url=url,
            department=_name(obj.get("occupationalCategory")) or None,
            raw=obj,
        )
        salary = obj.get("baseSalary")
        if isinstance(salary, dict):
            value = as_object(salary.get("value"))
            low = value.get("minValue", value.get("value"))
            set_structured_salary(
                posting, low, value.get("maxValue"), salary.get("currency"), value.get("unitText")
            )
        description = unescape_markup(str(obj.get("description") or ""))
        extra = [(title, _section_text(obj[key])) for key, title in _SECTIONS if obj.get(key)]
        if "<" in description:
            postings.append(finish(posting, description + titled_html(extra)))
        else:  # plain text: its lines keep their bullets and "Heading:" lines
            posting.description = "\n\n".join(
                [description, *(f"{title}:\n{html_to_text(body)}" for title, body in extra)]
            ).strip()
            postings.append(finish(posting))
    return postings
