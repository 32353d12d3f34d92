"""Build src/fitbrief/data/norms.json: how much of a typical company's value text is about each
dimension, so a company's emphasis is read relative to other companies (numbers only; no text
is shipped).

Reference companies, each read by the product's own profile code (own-voice filters, the
shipped classifier, the bundled model):

* the 882 remoteintech company profiles (../shared/eval/company-profiles-remoteintech, ISC),
  every section but the ones the dataset asks every company to write about remote work
  ("Remote status", "Remote policy", ...) and plain facts (size, region, technologies,
  offices).  These are remote-first companies: without that correction every one of them
  would "emphasise" remote work, and a typical company would look more remote than it is;
* the dev organisations of tests/real/values (their values, culture and careers statements).

Companies whose text states no value are left out (they say nothing about a typical share).
Run it again whenever the classifier, the taxonomy or the profile method changes.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from pathlib import Path

import numpy as np
from _common import ROOT, eval_dir

from fitbrief.analysis.culture import Norms, build_profile
from fitbrief.app import App
from fitbrief.config import load_settings
from fitbrief.pipeline.culture import passage_inputs
from fitbrief.records import Passage

OUT = ROOT / "src" / "fitbrief" / "data" / "norms.json"
SKIP_SECTIONS = re.compile(r"remote|size|region|technolog|office|location|timezone", re.I)


def remoteintech() -> dict[str, list[Passage]]:
    path = eval_dir("company-profiles-remoteintech") / "company_profiles.jsonl"
    companies = {}
    for line in path.open(encoding="utf-8"):
        record = json.loads(line)
        name = record["front_matter"].get("title") or record["file"]
        passages = [
            Passage(" ".join(part.split()), section, f"remoteintech:{record['file']}", "about")
            for section, body in record.get("sections", {}).items()
            if not SKIP_SECTIONS.search(section)
            for part in str(body).split("\n\n")
            if len(part.split()) >= 5 and not part.strip().startswith(("|", "!", "#"))
        ]
        if passages:
            companies[f"remoteintech: {name}"] = passages
    return companies


def dev_organisations() -> dict[str, list[Passage]]:
    companies: dict[str, list[Passage]] = {}
    kinds = {"handbook": "values", "culture": "values", "mission": "about", "benefits": "careers"}
    for line in (ROOT / "tests" / "real" / "values" / "statements.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        if row["split"] != "dev":
            continue
        kind = kinds.get(row["page_kind"], row["page_kind"])
        companies.setdefault(row["company"], []).append(
            Passage(row["text"], row["heading"], row["url"] or row["path"], kind)
        )
    return companies


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(environ={}).replace(
            "storage", database=str(Path(tmp) / "norms.duckdb")
        )
        app = App(settings)
        corpora = {**remoteintech(), **dev_organisations()}
        texts = {name: passage_inputs(ps) for name, ps in corpora.items()}
        app.vectors([t for ts in texts.values() for t in ts])  # one embedding pass for all
        flat = Norms(1, 1, {})  # shares do not depend on the norms
        pooled = {d: 0.0 for d in app.taxonomy.ids}
        sizes = []
        shares: dict[str, list[float]] = {d: [] for d in app.taxonomy.ids}
        counted = 0
        for name, passages in corpora.items():
            profile = build_profile(
                app.classifier,
                passages,
                app.vectors(texts[name]),
                texts[name],
                settings.values.min_probability,
                norms=flat,
            )
            if profile.value_passages == 0:
                continue
            counted += 1
            sizes.append(profile.value_passages)
            for d in shares:
                shares[d].append(profile[d].share)
                pooled[d] += profile[d].share * profile.value_passages
        total = sum(sizes)
        dims = {
            d: {
                # Pooled over all reference value text: most reference companies state only one
                # or two values, so a per-company distribution would be mostly zeros.
                "typical": round(pooled[d] / total, 4),
                "companies_addressing": round(float((np.array(values) > 0).mean()), 4),
            }
            for d, values in shares.items()
        }
        OUT.write_text(
            json.dumps(
                {
                    "about": "Per dimension: the share of a company's value text about it, over "
                    "reference companies (built by bench/build_norms.py; numbers only).",
                    "sources": [
                        "remoteintech/remote-jobs company profiles (ISC), via "
                        "../shared/eval/company-profiles-remoteintech, remote-policy sections "
                        "left out",
                        "tests/real/values/statements.jsonl, dev organisations",
                    ],
                    "model": app.vectors.model_id,
                    "companies": counted,
                    "value_passages": total,
                    "dimensions": dims,
                },
                indent=1,
            )
            + "\n"
        )
    print(
        f"norms from {counted} companies ({total} value passages; median per company "
        f"{np.median(sizes):.0f}) written to {OUT}"
    )
    for d, v in dims.items():
        print(
            f"  {d:14} typical share {v['typical']:.3f}; addressed by "
            f"{v['companies_addressing']:.0%} of companies"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
