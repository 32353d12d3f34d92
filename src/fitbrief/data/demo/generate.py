"""Regenerates the demo company sites under data/demo/sites from the content below.

Run `python data/demo/generate.py` after editing; the generated files are committed so the demo
needs nothing but this folder.  Four fictional companies with contrasting cultures.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

HERE = Path(__file__).parent
SITES = HERE / "sites"

COMPANIES = {
    "rocketly": {
        "name": "Rocketly",
        "host": "127.0.0.2",
        "tagline": "Ship growth experiments in minutes",
        "ats": ("greenhouse", "rocketly"),
        "home": [
            "Rocketly is the experimentation platform for growth teams. Marketers and "
            "engineers launch, measure and scale product experiments in minutes instead of "
            "weeks.",
            "Over 2,000 fast-growing companies run their growth experiments on Rocketly every day.",
        ],
        "about": [
            (
                "Our story",
                "Rocketly was founded in 2021 by two growth engineers who were "
                "tired of waiting weeks to test an idea. We raised our Series B in 2024 and "
                "have 140 employees in Austin and Lisbon.",
            ),
            (
                "Our mission",
                "Our mission is to help every team learn faster than its "
                "competitors by turning ideas into experiments the same day.",
            ),
        ],
        "values": [
            (
                "Move fast",
                "We move fast and ship every day. Speed is a feature, and most "
                "decisions are reversible, so we decide quickly and iterate.",
            ),
            (
                "Experiment relentlessly",
                "We test bold ideas constantly, celebrate "
                "failed experiments that teach us something, and challenge the status quo.",
            ),
            (
                "Win together, win big",
                "We set ambitious goals, measure everything and "
                "hold a high bar for performance. We play to win.",
            ),
            (
                "Own it",
                "Everyone is an owner. Small teams take a project from idea to "
                "launch without waiting for permission.",
            ),
        ],
        "careers": [
            "We are hiring builders who thrive on speed and ambiguity. Expect a "
            "fast-paced environment where priorities change and impact is visible "
            "every week.",
            "Competitive salary, meaningful equity and a top-performer "
            "bonus. Promotions are fast for people who deliver results.",
        ],
        "team": [
            "Maya Chen, CEO, led growth at two unicorns before founding Rocketly.",
            "Leo Duarte, CTO, built the experimentation engine behind our platform.",
        ],
        "product": [
            "Rocketly Experiments lets you launch A/B tests and feature flags from one dashboard.",
            "Rocketly Insights turns experiment results into decisions "
            "with automatic statistical analysis.",
        ],
        "posts": [
            (
                "2026-10-02",
                "launch-week",
                "Launch week: five features in five days",
                "We shipped five major features in five days, including real-time experiment "
                "results and a new feature-flag SDK.",
            ),
            (
                "2026-06-15",
                "series-b",
                "Rocketly raises a 60 million dollar Series B",
                "We raised a Series B led by Northstar Ventures to expand into Europe and "
                "double the engineering team.",
            ),
            (
                "2025-11-20",
                "how-we-ship",
                "How we ship to production 40 times a day",
                "Our engineers deploy to production dozens of times a day. Here is the "
                "tooling and the habits that make shipping fast and safe.",
            ),
        ],
        "press": (
            "2026-06-15",
            "Rocketly opens Lisbon office to lead European expansion",
            "Rocketly today announced a new office in Lisbon, Portugal, which will house "
            "60 engineers by the end of 2027.",
        ),
    },
    "northwind": {
        "name": "Northwind Assurance",
        "host": "127.0.0.3",
        "tagline": "Insurance you can count on since 1952",
        "ats": ("lever", "northwind"),
        "home": [
            "Northwind Assurance provides life, property and commercial insurance to 3 "
            "million customers across North America.",
            "For more than seventy years "
            "families and businesses have relied on Northwind to protect what matters.",
        ],
        "about": [
            (
                "Our history",
                "Founded in 1952 in Hartford, Connecticut, Northwind "
                "Assurance has grown steadily into a financially strong insurer with 12,000 "
                "employees and an A+ rating.",
            ),
            (
                "Our mission",
                "Our mission is to protect our customers' futures through "
                "prudent, reliable and fair insurance.",
            ),
        ],
        "values": [
            (
                "Integrity in everything",
                "We act with integrity and hold ourselves to "
                "the highest ethical standards. We are transparent with regulators, "
                "customers and each other.",
            ),
            (
                "Careful by design",
                "We follow well-defined processes and rigorous "
                "controls. Accuracy and compliance come before speed, and every change is "
                "reviewed carefully.",
            ),
            (
                "Built to last",
                "We grow responsibly and plan for the long term. Many of "
                "our colleagues build careers of twenty years or more with us, with stable "
                "roles and clear responsibilities.",
            ),
            (
                "Rewarding commitment",
                "We offer a defined pension, comprehensive health "
                "benefits, annual bonuses and clear paths for advancement.",
            ),
        ],
        "careers": [
            "Join a stable, respected company where clear roles, structured training "
            "and well-defined procedures help you do excellent work.",
            "Benefits include a pension plan, tuition reimbursement, and predictable "
            "hours in our Hartford and Toronto offices.",
        ],
        "team": [
            "Eleanor Briggs, President and CEO, has served Northwind for 28 years.",
            "Samuel Osei, Chief Risk Officer, leads our governance and risk management.",
        ],
        "product": [
            "Northwind Life offers term and whole-life policies with guaranteed benefits.",
            "Northwind Commercial protects small and mid-sized businesses "
            "against property and liability losses.",
        ],
        "posts": [
            (
                "2026-09-10",
                "annual-results",
                "Northwind reports a record year of stable growth",
                "Premiums grew 4 percent while our claims reserves remain among "
                "the strongest in the industry.",
            ),
            (
                "2026-03-02",
                "claims-modernization",
                "Modernizing claims, carefully",
                "Our multi-year claims modernization program replaces legacy systems in "
                "carefully controlled phases, with full regulatory review.",
            ),
            (
                "2025-08-18",
                "ratings-affirmed",
                "A+ financial strength rating affirmed",
                "Independent rating agencies affirmed our A+ rating for the twentieth "
                "consecutive year.",
            ),
        ],
        "press": (
            "2026-09-10",
            "Northwind Assurance announces 2026 annual results",
            "Northwind Assurance reported net income of 1.2 billion dollars and "
            "announced a continued dividend.",
        ),
    },
    "tidewater": {
        "name": "Tidewater Health Collective",
        "host": "127.0.0.4",
        "tagline": "Community health care for everyone",
        "ats": ("ashby", "tidewater"),
        "home": [
            "Tidewater Health Collective builds free digital tools that help community "
            "clinics reach patients who are often left behind.",
            "Our software supports "
            "400 clinics serving 2 million patients in underserved communities.",
        ],
        "about": [
            (
                "Who we are",
                "Tidewater is a mission-driven public-benefit company founded "
                "in 2016. Our 90 staff work from Baltimore and New Orleans.",
            ),
            (
                "Our mission",
                "Our mission is to make quality health care reachable for "
                "every community, regardless of income or background.",
            ),
        ],
        "values": [
            (
                "People before profit",
                "We exist to improve lives. We measure our success "
                "by our impact on patients and communities, not by revenue.",
            ),
            (
                "Everyone belongs",
                "We build diverse teams and an inclusive workplace "
                "where people of every background, identity and ability belong. We publish "
                "our pay equity data every year.",
            ),
            (
                "Care for each other",
                "We treat each other with kindness and respect, "
                "assume good intent and support colleagues through hard times.",
            ),
            (
                "Sustainable pace",
                "Caring work requires rest. We protect a sustainable "
                "pace, flexible hours and generous paid leave.",
            ),
        ],
        "careers": [
            "Do meaningful work with people who care. Every role at Tidewater helps a "
            "clinic serve its community better.",
            "We offer flexible schedules, "
            "five weeks of paid leave, mental health support and a volunteer day each "
            "month.",
        ],
        "team": [
            "Dr. Amara Johnson, Executive Director, spent fifteen years as a community physician.",
            "Rafael Ortiz, Head of Engineering, previously built public health systems.",
        ],
        "product": [
            "Tidewater Connect sends appointment reminders in 30 languages.",
            "Tidewater Records gives small clinics a simple, secure patient record.",
        ],
        "posts": [
            (
                "2026-10-20",
                "thirty-languages",
                "Reminders now in 30 languages",
                "Patients can now receive reminders in 30 languages, which cut missed "
                "appointments by a fifth in pilot clinics.",
            ),
            (
                "2026-05-04",
                "equity-report",
                "Our 2026 pay equity report",
                "We publish our pay equity and diversity data so our community can hold us "
                "accountable.",
            ),
            (
                "2025-12-01",
                "volunteer-days",
                "What 1,000 volunteer hours taught us",
                "Our team spent 1,000 hours volunteering in partner clinics last year.",
            ),
        ],
        "press": (
            "2026-04-12",
            "Tidewater receives foundation grant to expand rural care",
            "Tidewater Health Collective received a grant to bring its tools to 200 rural clinics.",
        ),
    },
    "quietloop": {
        "name": "Quietloop",
        "host": "127.0.0.5",
        "tagline": "Calm infrastructure monitoring",
        "ats": ("recruitee", "quietloop"),
        "home": [
            "Quietloop is a remote-first company that makes calm, reliable infrastructure "
            "monitoring for engineering teams.",
            "Our 60 engineers work from 18 countries with no central office.",
        ],
        "about": [
            (
                "Our story",
                "Quietloop started in 2018 as an open-source project and "
                "became a bootstrapped, profitable company owned by its founders and team.",
            ),
            (
                "Our mission",
                "Our mission is to make on-call boring by building "
                "monitoring that is accurate, quiet and trustworthy.",
            ),
        ],
        "values": [
            (
                "Remote by default",
                "We are remote-first and asynchronous. Work from "
                "anywhere, set your own hours, and keep a healthy balance between work and "
                "life. No late nights, no weekend work.",
            ),
            (
                "Craft over speed",
                "We sweat the details, review every change carefully "
                "and would rather ship fewer things that work really well.",
            ),
            (
                "Trust and autonomy",
                "We hire experienced people and trust them. Teams "
                "choose their own priorities and tools, and nobody micromanages.",
            ),
            (
                "Always learning",
                "Everyone has a yearly learning budget, time for "
                "conference talks and a mentor. We grow our people into senior roles.",
            ),
            (
                "Write it down, share it",
                "We collaborate in writing, share knowledge "
                "openly and help each other through thoughtful code review.",
            ),
        ],
        "careers": [
            "Work from anywhere with a team that values focus and craft. We hire "
            "slowly and keep people for a long time.",
            "Benefits: a home-office budget, a learning budget, four-day weeks in "
            "August and six weeks of paid time off.",
        ],
        "team": [
            "Ines Kowalski, co-founder, maintains the open-source Quietloop agent.",
            "Tomas Berg, co-founder, leads our small product team.",
        ],
        "product": [
            "Quietloop Monitor collects metrics and alerts only when a human needs to act.",
            "Quietloop Status pages keep your customers informed during incidents.",
        ],
        "posts": [
            (
                "2026-09-28",
                "async-handbook",
                "Our asynchronous work handbook",
                "We published our handbook on asynchronous collaboration, documentation "
                "and healthy on-call.",
            ),
            (
                "2026-04-09",
                "four-day-august",
                "Why we work four-day weeks in August",
                "Rest makes better engineers. Every August the whole company works four-day weeks.",
            ),
            (
                "2025-10-14",
                "alert-fatigue",
                "Cutting alert noise by 80 percent",
                "How careful defaults and anomaly detection reduced our customers' pages.",
            ),
        ],
        "press": (
            "2026-02-17",
            "Quietloop 3.0 released with quiet alerting",
            "Quietloop released version 3.0 of its monitoring platform, featuring "
            "noise-free alerting.",
        ),
    },
}

NAV = [
    "Home:/",
    "About:/about/",
    "Values:/values/",
    "Careers:/careers/",
    "Team:/team/",
    "Product:/product/",
    "Blog:/blog/",
    "Press:/press/",
]


def page(c: dict, title: str, body: str, extra_head: str = "") -> str:
    nav = "".join(f'<li><a href="{h}">{t}</a></li>' for t, h in (x.split(":") for x in NAV))
    e = html.escape
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{e(title)} | {e(c["name"])}</title>
<meta name="description" content="{e(c["tagline"])}">{extra_head}
<link rel="stylesheet" href="/static/site.css"></head>
<body>
<div class="cookie-banner" id="cookie-consent"><p>We use cookies to improve your experience.
By continuing to browse you accept our use of cookies.</p><button>Accept all</button></div>
<header class="site-header"><a class="logo" href="/">{e(c["name"])}</a>
<nav class="main-nav"><ul>{nav}</ul></nav></header>
<main id="content">
{body}
</main>
<aside class="sidebar"><h3>Newsletter</h3><p>Subscribe to our newsletter for monthly updates.</p></aside>
<footer class="site-footer"><p>&copy; 2026 {e(c["name"])}. All rights reserved.</p>
<ul><li><a href="/privacy/">Privacy policy</a></li><li><a href="/terms/">Terms</a></li>
<li><a href="https://twitter.example/{e(c["name"].split()[0].lower())}">Twitter</a></li></ul>
</footer></body></html>
"""


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def build_site(key: str, c: dict) -> None:
    root = SITES / key
    e = html.escape
    write(
        root / "index.html",
        page(
            c,
            "Home",
            f"<h1>{e(c['tagline'])}</h1>"
            + "".join(f"<p>{e(p)}</p>" for p in c["home"])
            + '<p><a href="/careers/">See open roles</a></p>',
        ),
    )
    write(
        root / "about" / "index.html",
        page(
            c,
            "About us",
            "<h1>About us</h1>" + "".join(f"<h2>{e(h)}</h2><p>{e(t)}</p>" for h, t in c["about"]),
        ),
    )
    write(
        root / "values" / "index.html",
        page(
            c,
            "Our values",
            "<h1>Our values</h1>"
            "<p>These are the principles that guide how we work:</p>"
            + "".join(f"<section><h2>{e(h)}</h2><p>{e(t)}</p></section>" for h, t in c["values"]),
        ),
    )
    kind, board = c["ats"]
    board_links = {
        "greenhouse": f"https://boards.greenhouse.io/{board}",
        "lever": f"https://jobs.lever.co/{board}",
        "ashby": f"https://jobs.ashbyhq.com/{board}",
        "recruitee": f"https://{board}.recruitee.com/",
    }
    careers = "<h1>Careers</h1>" + "".join(f"<p>{e(p)}</p>" for p in c["careers"])
    careers += f'<p>Browse all open roles on <a href="{board_links[kind]}">our job board</a>.</p>'
    head = ""
    if key == "quietloop":
        posting = {
            "@context": "https://schema.org",
            "@type": "JobPosting",
            "title": "Site Reliability Engineer",
            "identifier": {"@type": "PropertyValue", "value": "QL-SRE-7"},
            "datePosted": "2026-10-01",
            "employmentType": "FULL_TIME",
            "jobLocationType": "TELECOMMUTE",
            "hiringOrganization": {"@type": "Organization", "name": "Quietloop"},
            "baseSalary": {
                "@type": "MonetaryAmount",
                "currency": "EUR",
                "value": {
                    "@type": "QuantitativeValue",
                    "minValue": 75000,
                    "maxValue": 95000,
                    "unitText": "YEAR",
                },
            },
            "description": "<p>Keep Quietloop calm and reliable.</p><h3>Responsibilities</h3>"
            "<ul><li>Run our Kubernetes clusters on AWS</li><li>Improve "
            "on-call tooling and incident reviews</li></ul><h3>Requirements"
            "</h3><ul><li>4+ years operating Linux systems in production</li>"
            "<li>Experience with Terraform and Prometheus</li><li>Clear "
            "written communication</li></ul>",
        }
        head = '\n<script type="application/ld+json">' + json.dumps(posting) + "</script>"
        careers += (
            "<h2>Featured role: Site Reliability Engineer</h2><p>Remote, Europe. "
            "Keep Quietloop calm and reliable.</p>"
        )
    write(root / "careers" / "index.html", page(c, "Careers", careers, head))
    write(
        root / "team" / "index.html",
        page(
            c,
            "Leadership team",
            "<h1>Leadership team</h1>" + "".join(f"<p>{e(p)}</p>" for p in c["team"]),
        ),
    )
    write(
        root / "product" / "index.html",
        page(c, "Product", "<h1>Products</h1>" + "".join(f"<p>{e(p)}</p>" for p in c["product"])),
    )
    posts = []
    for day, slug, title, text in c["posts"]:
        url = f"/blog/{day[:4]}/{slug}/"
        posts.append((url, day, title))
        write(
            root / url.strip("/") / "index.html",
            page(
                c,
                title,
                f'<article><h1>{e(title)}</h1><p class="byline">By the {e(c["name"])} team, '
                f'<time datetime="{day}">{day}</time></p><p>{e(text)}</p><p>{e(text)} We will share '
                f"more as the work continues.</p></article>",
                f'\n<meta property="article:published_time" content="{day}T09:00:00Z">',
            ),
        )
    write(
        root / "blog" / "index.html",
        page(
            c,
            "Blog",
            "<h1>Blog</h1><ul>"
            + "".join(
                f'<li><a href="{u}">{e(t)}</a> <time datetime="{d}">{d}</time></li>'
                for u, d, t in posts
            )
            + "</ul>",
        ),
    )
    day, title, text = c["press"]
    write(
        root / "press" / "release" / "index.html",
        page(
            c,
            title,
            f'<article><h1>{e(title)}</h1><p><time datetime="{day}">{day}</time></p>'
            f"<p>{e(text)}</p></article>",
            f'\n<meta property="article:published_time" content="{day}T08:00:00Z">',
        ),
    )
    write(
        root / "press" / "index.html",
        page(
            c,
            "Press",
            f'<h1>Newsroom</h1><ul><li><a href="/press/release/">{e(title)}</a> ({day})</li></ul>',
        ),
    )
    write(
        root / "privacy" / "index.html",
        page(
            c,
            "Privacy policy",
            "<h1>Privacy policy</h1>"
            "<p>By using this site you agree to the processing of personal data as described "
            "here.</p>",
        ),
    )
    write(
        root / "internal" / "index.html",
        page(
            c,
            "Internal",
            "<h1>Internal wiki</h1>"
            "<p>This page is disallowed by robots.txt and must never be crawled.</p>",
        ),
    )
    write(
        root / "robots.txt",
        f"User-agent: *\nDisallow: /internal/\nCrawl-delay: 0\n\n"
        f"Sitemap: http://{c['host']}:{{port}}/sitemap.xml\n",
    )
    urls = [
        "/",
        "/about/",
        "/values/",
        "/careers/",
        "/team/",
        "/product/",
        "/blog/",
        "/press/",
        "/press/release/",
        "/internal/",
    ] + [u for u, _, _ in posts]
    write(
        root / "sitemap.xml",
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://'
        'www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "".join(f"  <url><loc>http://{c['host']}:{{port}}{u}</loc></url>\n" for u in urls)
        + "</urlset>\n",
    )


def build_ats() -> None:
    ats = SITES / "ats"
    write(
        ats / "v1" / "boards" / "rocketly" / "jobs",
        json.dumps(
            {
                "jobs": [
                    {
                        "id": 4011,
                        "title": "Senior Growth Engineer",
                        "updated_at": "2026-10-05T10:00:00Z",
                        "first_published": "2026-09-20T10:00:00Z",
                        "location": {"name": "Austin, TX"},
                        "absolute_url": "http://127.0.0.2:{port}/careers/",
                        "departments": [{"name": "Engineering"}],
                        "offices": [{"name": "Austin"}],
                        "content": html.escape(
                            "<p>Build the experiments engine that powers 2,000 companies.</p>"
                            "<h3>What you'll do</h3><ul><li>Ship features to production every day</li>"
                            "<li>Own growth experiments end to end</li></ul><h3>Requirements</h3><ul>"
                            "<li>5+ years of experience with TypeScript and React</li><li>Experience with "
                            "A/B testing and SQL</li><li>Thrives in a fast-paced, ambiguous environment</li>"
                            "</ul><p>Salary: $160,000 - $190,000 per year plus equity.</p>"
                        ),
                    },
                    {
                        "id": 4012,
                        "title": "Account Executive",
                        "updated_at": "2026-10-01T10:00:00Z",
                        "location": {"name": "Lisbon, Portugal"},
                        "absolute_url": "http://127.0.0.2:{port}/careers/",
                        "departments": [{"name": "Sales"}],
                        "content": html.escape(
                            "<p>Close ambitious deals.</p><h3>Requirements</h3><ul><li>"
                            "Track record of exceeding quota</li></ul>"
                        ),
                    },
                ],
                "meta": {"total": 2},
            }
        ),
    )
    write(
        ats / "v0" / "postings" / "northwind",
        json.dumps(
            [
                {
                    "id": "nw-001",
                    "text": "Senior Actuarial Analyst",
                    "createdAt": 1759300000000,
                    "categories": {
                        "team": "Actuarial",
                        "location": "Hartford, CT",
                        "commitment": "Full-time",
                        "department": "Finance",
                    },
                    "hostedUrl": "http://127.0.0.3:{port}/careers/",
                    "applyUrl": "http://127.0.0.3:{port}/careers/",
                    "workplaceType": "onsite",
                    "description": "<p>Help price our life products prudently.</p>",
                    "lists": [
                        {
                            "text": "Responsibilities",
                            "content": "<li>Maintain pricing models</li>"
                            "<li>Document assumptions for regulatory review</li>",
                        },
                        {
                            "text": "Qualifications",
                            "content": "<li>FSA or ASA credential</li>"
                            "<li>Strong SQL and Excel skills</li><li>Attention to detail</li>",
                        },
                    ],
                    "salaryRange": {
                        "min": 110000,
                        "max": 135000,
                        "currency": "USD",
                        "interval": "per-year-salary",
                    },
                },
                {
                    "id": "nw-002",
                    "text": "Compliance Specialist",
                    "createdAt": 1758000000000,
                    "categories": {
                        "team": "Risk",
                        "location": "Toronto, ON",
                        "commitment": "Full-time",
                    },
                    "hostedUrl": "http://127.0.0.3:{port}/careers/",
                    "workplaceType": "hybrid",
                    "description": "<p>Keep us compliant.</p>",
                    "lists": [
                        {
                            "text": "Requirements",
                            "content": "<li>3 years of compliance experience</li>",
                        }
                    ],
                },
            ]
        ),
    )
    write(
        ats / "posting-api" / "job-board" / "tidewater",
        json.dumps(
            {
                "jobs": [
                    {
                        "id": "tw-data-1",
                        "title": "Data Analyst, Community Impact",
                        "department": "Impact",
                        "team": "Research",
                        "location": "Baltimore, MD",
                        "isRemote": False,
                        "workplaceType": "Hybrid",
                        "employmentType": "FullTime",
                        "isListed": True,
                        "publishedAt": "2026-09-01T12:00:00Z",
                        "jobUrl": "http://127.0.0.4:{port}/careers/",
                        "applyUrl": "http://127.0.0.4:{port}/careers/",
                        "descriptionHtml": "<p>Measure how our tools improve patient outcomes.</p><h3>What "
                        "you'll do</h3><ul><li>Analyze clinic outcome data</li><li>Share "
                        "findings with community partners</li></ul><h3>What you'll bring"
                        "</h3><ul><li>Experience with Python, SQL and statistics</li><li>"
                        "Commitment to health equity</li></ul>",
                        "descriptionPlain": "Measure how our tools improve patient outcomes.",
                        "compensation": {
                            "summaryComponents": [
                                {
                                    "compensationType": "Salary",
                                    "interval": "1 YEAR",
                                    "currencyCode": "USD",
                                    "minValue": 85000,
                                    "maxValue": 100000,
                                }
                            ]
                        },
                    },
                ]
            }
        ),
    )
    write(
        ats / "r" / "quietloop" / "api" / "offers" / "index.json",
        json.dumps(
            {
                "offers": [
                    {
                        "id": 901,
                        "title": "Backend Engineer (Go)",
                        "department": "Engineering",
                        "location": "Remote, Europe",
                        "remote": True,
                        "employment_type_code": "fulltime",
                        "published_at": "2026-09-15 10:00:00 UTC",
                        "careers_url": "http://127.0.0.5:{port}/careers/",
                        "description": "<p>Build the Quietloop agent and ingestion pipeline.</p><h3>"
                        "Responsibilities</h3><ul><li>Design reliable ingestion services"
                        "</li><li>Review code thoughtfully</li></ul>",
                        "requirements": "<ul><li>Experience with Go and PostgreSQL</li><li>Comfort with "
                        "asynchronous written collaboration</li></ul>",
                        "salary": {
                            "min": "70000",
                            "max": "90000",
                            "currency": "EUR",
                            "period": "year",
                        },
                    },
                ]
            }
        ),
    )


def main() -> None:
    for key, company in COMPANIES.items():
        build_site(key, company)
    build_ats()
    manifest = {
        k: {"name": c["name"], "host": c["host"], "ats": list(c["ats"])}
        for k, c in COMPANIES.items()
    }
    write(HERE / "companies.json", json.dumps(manifest, indent=2) + "\n")


if __name__ == "__main__":
    main()
