"""Generate pipeline/data/sources/kommuner.toml: one [[source]] per kommun (all 290).

Names and SCB codes come from pipeline/data/kommuner.csv. The website host is the
transliterated kommun name + ".se" (å/ä → a, ö → o, spaces dropped, hyphens kept) unless the
kommun is listed in HOSTS below; the registry name is "<genitive> kommun" unless listed in NAMES.
Start URLs are site roots: discovery finds feeds (rel=alternate), sitemaps (robots.txt) and
news listings from there. For the kommuner in the facts file pipeline/data/sources/kommun_news.toml
(news pages, feeds and news hosts seen on stored public pages or in stored public repository files,
each with where it was seen) the news pages and feeds come first, the site root stays last as a
fallback, extra news hosts go to ``hosts``, and the entry gets ``verified = "stored page: <where>"``.
The script prints the coverage: how many kommuner have a verified news start URL.

Run: PYTHONPATH=. python scripts/make_kommun_registry.py
"""

from __future__ import annotations

import csv
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CSV = ROOT / "pipeline" / "data" / "kommuner.csv"
OUT = ROOT / "pipeline" / "data" / "sources" / "kommuner.toml"
FACTS = ROOT / "pipeline" / "data" / "sources" / "kommun_news.toml"

# Hosts that do not follow the "<name>.se" rule.
HOSTS = {
    "Stockholm": "start.stockholm",
    "Habo": "habokommun.se",  # habo.se is Håbo
    "Håbo": "habo.se",
    "Ängelholm": "engelholm.se",
    "Hällefors": "hellefors.se",
    "Härjedalen": "herjedalen.se",
    "Dals-Ed": "dalsed.se",
}

# Ids that would collide after transliteration (Habo and Håbo); the id follows the host.
IDS = {"Habo": "habokommun", "Håbo": "habo"}

# How the kommun calls itself where "<genitive> kommun" is not it.
NAMES = {
    "Stockholm": "Stockholms stad",
    "Göteborg": "Göteborgs Stad",
    "Malmö": "Malmö stad",
    "Helsingborg": "Helsingborgs stad",
    "Västerås": "Västerås stad",
    "Borås": "Borås Stad",
    "Solna": "Solna stad",
    "Sundbyberg": "Sundbybergs stad",
    "Lidingö": "Lidingö stad",
    "Vaxholm": "Vaxholms stad",
    "Mölndal": "Mölndals stad",
    "Trollhättan": "Trollhättans stad",
    "Landskrona": "Landskrona stad",
    "Haparanda": "Haparanda stad",
    "Gotland": "Region Gotland",
    "Falun": "Falu kommun",
    "Kalmar": "Kalmar kommun",
    "Orust": "Orust kommun",
}

_TRANSLIT = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u"})


def slug(name: str) -> str:
    """Registry id: lower case, å/ä/ö transliterated, spaces and other separators as '-'."""
    s = name.lower().translate(_TRANSLIT)
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


def default_host(name: str) -> str:
    """Website host by the default rule: transliterated name without spaces + .se."""
    s = name.lower().translate(_TRANSLIT).replace(" ", "")
    return re.sub(r"[^a-z0-9-]", "", s) + ".se"


def genitive(name: str) -> str:
    """Name in the genitive as used before "kommun" (Lerum → Lerums, Täby → Täby)."""
    last = name[-1].lower()
    if last in "sxz" or last in "aeiouyåäö":
        return name
    return name + "s"


@dataclass(frozen=True)
class NewsFact:
    """One kommun's news start pages as seen on a stored public page (a row of the facts file)."""

    code: str
    name: str
    news: tuple[str, ...]
    feeds: tuple[str, ...] = ()
    hosts: tuple[str, ...] = ()
    seen: str = ""
    evidence: str = "listing"

    @property
    def verified(self) -> str:
        """The registry's ``verified`` value: where the start URL was seen."""
        return f"stored page: {self.seen}" if self.seen else "stored page"


def _strings(entry: dict[str, object], field: str, where: str) -> tuple[str, ...]:
    value = entry.get(field, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SystemExit(f"{where}: {field} must be a list of strings. Fix the facts file.")
    return tuple(value)


def load_facts(path: Path = FACTS) -> dict[str, NewsFact]:
    """The facts file by SCB code; exits with one line naming the entry if an entry is malformed."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    facts: dict[str, NewsFact] = {}
    for i, entry in enumerate(data.get("kommun", [])):
        where = f"{path}: [[kommun]] #{i + 1} (code {entry.get('code')!r})"
        unknown = set(entry) - {"code", "name", "news", "feeds", "hosts", "seen", "evidence"}
        if unknown:
            raise SystemExit(f"{where}: unknown field {sorted(unknown)[0]!r}. Use the fields listed in _doc.")
        code, name = entry.get("code"), entry.get("name")
        if not isinstance(code, str) or not isinstance(name, str) or code in facts:
            raise SystemExit(f"{where}: code and name must be strings and each code listed once.")
        news = _strings(entry, "news", where)
        if not news:
            raise SystemExit(f"{where}: news is empty. List at least one news start URL.")
        evidence = entry.get("evidence", "listing")
        if evidence not in ("listing", "article"):
            raise SystemExit(f"{where}: evidence must be \"listing\" or \"article\".")
        facts[code] = NewsFact(
            code, name, news, _strings(entry, "feeds", where), _strings(entry, "hosts", where),
            str(entry.get("seen", "")), str(evidence),
        )
    return facts


def site_root(name: str) -> str:
    """The kommun's website root URL."""
    host = HOSTS.get(name, default_host(name))
    return f"https://www.{host}/" if not host.startswith("start.") else f"https://{host}/"


def _toml_str(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render(rows: list[dict[str, str]], facts: dict[str, NewsFact]) -> str:
    """The registry text for the kommun rows, with the news facts applied."""
    names = {row["kommun_code"]: row["name"] for row in rows}
    for code, known in facts.items():
        if names.get(code) != known.name:
            raise SystemExit(f"{FACTS}: code {code} is {names.get(code)!r} in kommuner.csv, not {known.name!r}.")
    lines = [
        "# All 290 Swedish kommuner. Generated by scripts/make_kommun_registry.py; edit the script or",
        "# kommun_news.toml (the facts file), not this file.",
        "# start_urls end with the site root; discovery finds feeds, sitemaps (robots.txt) and news listings.",
        '# Entries with verified = "stored page…" start at news pages and feeds seen where `verified` says.',
        "",
    ]
    for row in rows:
        code, name = row["kommun_code"], row["name"]
        title = NAMES.get(name, f"{genitive(name)} kommun")
        fact = facts.get(code)
        urls = [*fact.news, *fact.feeds] if fact else []
        urls.append(site_root(name))
        lines += [
            "[[source]]",
            f'id = "{IDS.get(name, slug(name))}"',
            f'name = "{title}"',
            'kind = "kommun"',
            f'kommun = "{code}"',
            "start_urls = [" + ", ".join(_toml_str(u) for u in dict.fromkeys(urls)) + "]",
        ]
        if fact and fact.hosts:
            lines.append("hosts = [" + ", ".join(_toml_str(h) for h in fact.hosts) + "]")
        if fact:
            lines.append(f"verified = {_toml_str(fact.verified)}")
            if fact.evidence == "article":
                lines.append('note = "start URL is the news section of the stored article named in verified"')
        lines.append("")
    return "\n".join(lines)


def coverage(facts: dict[str, NewsFact]) -> str:
    """One line: how many kommuner have a verified news start URL (and of which evidence)."""
    listing = sum(1 for f in facts.values() if f.evidence == "listing")
    feeds = sum(1 for f in facts.values() if f.feeds)
    hosts = sum(1 for f in facts.values() if f.hosts)
    return (f"coverage: {len(facts)} of 290 kommuner have a verified news start URL "
            f"({listing} seen as the listing itself, {len(facts) - listing} as the section of a seen article; "
            f"{feeds} with a feed, {hosts} with extra news hosts)")


def read_rows() -> list[dict[str, str]]:
    """The kommun rows of pipeline/data/kommuner.csv."""
    with CSV.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def main() -> None:
    """Write the registry file and print the coverage."""
    rows = read_rows()
    OUT.write_text(render(rows, load_facts()), encoding="utf-8")
    print(f"wrote {len(rows)} sources to {OUT}")
    print(coverage(load_facts()))


if __name__ == "__main__":
    main()
