"""Build ``pipeline/data/vocab/names.json``: Swedish first names and surnames for the people component.

The names come from the Swedish person provider of Faker (``faker.providers.person.sv_SE``, MIT licence),
a development tool only: install it into the dev environment (``pip install faker``), run

    python scripts/build_name_lexicon.py

and commit the JSON. The product reads only the JSON; Faker is not a runtime dependency.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "pipeline" / "data" / "vocab" / "names.json"


def build() -> dict[str, object]:
    """The lexicon as a JSON-ready dict (first names, surnames, sorted and deduplicated)."""
    try:
        import faker
        from faker.providers.person.sv_SE import Provider
    except ImportError:
        sys.stderr.write("build_name_lexicon: faker is not installed; run `pip install faker` in the dev venv\n")
        raise SystemExit(2) from None
    first = sorted(set(Provider.first_names_female) | set(Provider.first_names_male))
    last = sorted(set(Provider.last_names))
    return {
        "_doc": (
            "Swedish first names and surnames, used to confirm and complete person names (captions, lists, "
            "contact blocks) and to reject capitalised non-names such as police areas. Extracted by "
            f"scripts/build_name_lexicon.py from Faker {faker.VERSION} (faker.providers.person.sv_SE), "
            "https://github.com/joke2k/faker, MIT licence, Copyright (c) 2012 Daniele Faraglia. "
            "Do not edit by hand; rerun the script."
        ),
        "first_names": first,
        "surnames": last,
    }


def main() -> int:
    """Write the lexicon to ``pipeline/data/vocab/names.json``."""
    data = build()
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(data['first_names'])} first names, {len(data['surnames'])} surnames")  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
