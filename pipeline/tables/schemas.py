"""The one place where every Parquet table's pyarrow schema is defined.

Everything that writes or documents a table (the store, the data dictionary,
the loader) derives from :data:`SCHEMAS`. Changing a schema means bumping
:data:`SCHEMA_VERSION` and regenerating ``docs/data_dictionary.md``
(``samverkan dictionary --write``).
"""

from __future__ import annotations

import pyarrow as pa

SCHEMA_VERSION = "2"

UTC_TS = pa.timestamp("us", tz="UTC")


def _f(name: str, type_: pa.DataType, doc: str, nullable: bool = True) -> pa.Field:
    """Build a field carrying its description in the field metadata."""
    return pa.field(name, type_, nullable=nullable, metadata={"doc": doc})


ARTICLES = pa.schema(
    [
        _f("article_id", pa.string(), "Stable id: hash of the canonical URL, or of the text for text-only input.", False),
        _f("source_id", pa.string(), "Id of the source in the registry ('file' for text input)."),
        _f("url", pa.string(), "URL the article was fetched from (null for local files)."),
        _f("canonical_url", pa.string(), "Canonical URL used for de-duplication."),
        _f("title", pa.string(), "Article title."),
        _f("published", pa.date32(), "Publication date."),
        _f("published_source", pa.string(), "Where the publication date came from: given, metadata, byline, updated, fetched, none."),
        _f("modified", pa.date32(), "Last modified date if the page states one."),
        _f("language", pa.string(), "ISO 639-1 language code detected from the text."),
        _f("text", pa.large_string(), "Main text; all character offsets in other tables point into this."),
        _f("text_sha256", pa.string(), "SHA-256 of text (UTF-8)."),
        _f("fetched_at", UTC_TS, "When the raw response was fetched (UTC)."),
        _f("raw_id", pa.string(), "Id of the raw/ record this row was extracted from."),
        _f("is_relevant", pa.bool_(), "True when the article is about crime prevention or collaboration against crime."),
        _f(
            "relevance_score",
            pa.float64(),
            "Weighted-cue relevance score in [0, 1]; is_relevant also needs a crime cue and prevention/collaboration (action) cues, "
            "so a score above the threshold can come with is_relevant = false.",
        ),
        _f("extractor_version", pa.string(), "Version of extraction code, rules and model that produced the rows."),
    ]
)

COLLABORATIONS = pa.schema(
    [
        _f("collaboration_id", pa.string(), "Stable id: article_id + ordinal.", False),
        _f("article_id", pa.string(), "Article the collaboration is described in.", False),
        _f("type", pa.string(), "samverkansoverenskommelse, medborgarlofte, natverk, handlingsplan, avsiktsforklaring or other."),
        _f("name", pa.string(), "Name of the collaboration if it has one."),
        _f("period_start", pa.date32(), "First day of the period the collaboration covers."),
        _f("period_end", pa.date32(), "Last day of the period the collaboration covers."),
        _f("decided_on", pa.date32(), "Date the collaboration was decided or signed."),
        _f("evidence", pa.string(), "The sentence that names the collaboration."),
        _f("start_char", pa.int32(), "Start offset of the evidence in articles.text."),
        _f("end_char", pa.int32(), "End offset (exclusive) of the evidence in articles.text."),
    ]
)

COLLABORATION_PARTIES = pa.schema(
    [
        _f("collaboration_id", pa.string(), "Collaboration.", False),
        _f("article_id", pa.string(), "Article.", False),
        _f("party_kind", pa.string(), "kommun, myndighet, region, lansstyrelse or organisation."),
        _f("party_id", pa.string(), "SCB code for a kommun; slug for others (polismyndigheten, lansstyrelse:10, ...)."),
        _f("party_name", pa.string(), "Normalised name of the party."),
        _f("start_char", pa.int32(), "Start offset of the first mention naming the party."),
        _f("end_char", pa.int32(), "End offset of that mention."),
    ]
)

PRIORITY_AREAS = pa.schema(
    [
        _f("article_id", pa.string(), "Article.", False),
        _f("collaboration_id", pa.string(), "Collaboration the area belongs to (null if none)."),
        _f("area_code", pa.string(), "Priority area code (see vocabulary)."),
        _f("area_group", pa.string(), "Group of the area code."),
        _f("text", pa.string(), "Text as written."),
        _f("start_char", pa.int32(), "Start offset in articles.text."),
        _f("end_char", pa.int32(), "End offset in articles.text."),
    ]
)

PEOPLE = pa.schema(
    [
        _f("article_id", pa.string(), "Article.", False),
        _f("person_id", pa.string(), "Stable id derived from the normalised name (same person, same id across articles).", False),
        _f("name", pa.string(), "Full name as written."),
        _f("role", pa.string(), "Role as written."),
        _f("role_code", pa.string(), "Normalised role code (see vocabulary)."),
        _f("organisation", pa.string(), "Organisation the person speaks for."),
        _f("organisation_id", pa.string(), "SCB code or agency slug of the organisation."),
        _f("party", pa.string(), "Political party (S, M, SD, C, V, KD, L, MP or a local party)."),
        _f("start_char", pa.int32(), "Start offset of the first mention of the person."),
        _f("end_char", pa.int32(), "End offset of that mention."),
    ]
)

DATES = pa.schema(
    [
        _f("article_id", pa.string(), "Article.", False),
        _f("kind", pa.string(), "published, period_start, period_end, decided, meeting, signed or mentioned."),
        _f("date", pa.date32(), "Normalised date; a month or year is its first day, except period_end which is its last day."),
        _f("granularity", pa.string(), "day, month or year."),
        _f("text", pa.string(), "Expression as written."),
        _f("start_char", pa.int32(), "Start offset in articles.text (null for metadata dates)."),
        _f("end_char", pa.int32(), "End offset in articles.text (null for metadata dates)."),
    ]
)

MENTIONS = pa.schema(
    [
        _f("article_id", pa.string(), "Article.", False),
        _f(
            "label",
            pa.string(),
            "KOMMUN, MYNDIGHET, LANSSTYRELSE, REGION, ORGANISATION, PERSON, ROLE, PARTY, DATE, PRIORITY, COLLAB_TYPE, "
            "or a model label (PER, ORG, LOC, MISC).",
        ),
        _f("text", pa.string(), "Span text as written."),
        _f("norm_id", pa.string(), "Normalised id (SCB code, agency slug, role code, area code, ISO date...)."),
        _f("start_char", pa.int32(), "Start offset in articles.text."),
        _f("end_char", pa.int32(), "End offset in articles.text."),
    ]
)

KOMMUNER = pa.schema(
    [
        _f("kommun_code", pa.string(), "SCB kommun code, four digits.", False),
        _f("name", pa.string(), "Kommun name (short form, e.g. 'Lerum')."),
        _f("county_code", pa.string(), "SCB county (län) code, two digits."),
        _f("county_name", pa.string(), "County name."),
    ]
)

RUNS = pa.schema(
    [
        _f("run_id", pa.string(), "Flow run id.", False),
        _f("flow", pa.string(), "nightly, reprocess_article, reprocess_archive, demo."),
        _f("source_id", pa.string(), "Source this row reports on; null for the whole-run summary row."),
        _f("started_at", UTC_TS, "Start (UTC)."),
        _f("finished_at", UTC_TS, "End (UTC)."),
        _f("status", pa.string(), "completed, partial or failed."),
        _f("n_discovered", pa.int64(), "Article URLs discovered that were not archived yet (new, or left pending by an interrupted run)."),
        _f("n_fetched", pa.int64(), "Article bodies downloaded."),
        _f("n_unchanged", pa.int64(), "Pages not downloaded because unchanged or already known."),
        _f("n_skipped", pa.int64(), "Pages skipped (robots, non-HTML, too large, off-host, listing or section page, older than --since)."),
        _f("n_failed", pa.int64(), "Requests or articles that failed."),
        _f("n_articles", pa.int64(), "Articles written."),
        _f("n_relevant", pa.int64(), "Articles judged relevant."),
        _f("errors", pa.string(), "JSON list of error messages."),
    ]
)

AGREEMENTS = pa.schema(
    [
        _f(
            "agreement_id",
            pa.string(),
            "Stable id of the real-world collaboration: 'ag-' + hash of its earliest evidence (see pipeline/agreements).",
            False,
        ),
        _f("type", pa.string(), "samverkansoverenskommelse, medborgarlofte, natverk, handlingsplan, avsiktsforklaring or other."),
        _f("name", pa.string(), "Name of the agreement if a report gives one."),
        _f("period_start", pa.date32(), "First day of the period the agreement covers (null if no report gives one)."),
        _f("period_end", pa.date32(), "Last day of the period the agreement covers (null if no report gives one)."),
        _f("decided_on", pa.date32(), "Date the agreement was decided or signed."),
        _f("first_reported", pa.date32(), "Publication date of the earliest article reporting it."),
        _f("last_reported", pa.date32(), "Publication date of the latest article reporting it."),
        _f("n_articles", pa.int32(), "Number of articles reporting it."),
        _f("n_sources", pa.int32(), "Number of distinct sources (publishers) reporting it."),
        _f("renews", pa.string(), "agreement_id of the earlier agreement of the same type and parties it follows (null if none)."),
        _f("confidence", pa.float64(), "How sure the resolution is that the reports belong together and the period is right, in [0, 1]."),
    ]
)

AGREEMENT_PARTIES = pa.schema(
    [
        _f("agreement_id", pa.string(), "Agreement.", False),
        _f("party_kind", pa.string(), "kommun, myndighet, region, lansstyrelse or organisation."),
        _f("party_id", pa.string(), "SCB code for a kommun; slug for others, after agency aliases (lokalpolisen -> polismyndigheten)."),
        _f("party_name", pa.string(), "Normalised name of the party."),
    ]
)

AGREEMENT_EVIDENCE = pa.schema(
    [
        _f("agreement_id", pa.string(), "Agreement.", False),
        _f("article_id", pa.string(), "Article reporting it.", False),
        _f("collaboration_id", pa.string(), "The article's collaboration row; each collaboration belongs to exactly one agreement.", False),
    ]
)

SCHEMAS: dict[str, pa.Schema] = {
    "articles": ARTICLES,
    "collaborations": COLLABORATIONS,
    "collaboration_parties": COLLABORATION_PARTIES,
    "priority_areas": PRIORITY_AREAS,
    "people": PEOPLE,
    "dates": DATES,
    "mentions": MENTIONS,
    "kommuner": KOMMUNER,
    "runs": RUNS,
    "agreements": AGREEMENTS,
    "agreement_parties": AGREEMENT_PARTIES,
    "agreement_evidence": AGREEMENT_EVIDENCE,
}

# Tables whose rows belong to one article and are replaced together with it.
ARTICLE_TABLES: tuple[str, ...] = (
    "articles",
    "collaborations",
    "collaboration_parties",
    "priority_areas",
    "people",
    "dates",
    "mentions",
)

# Tables derived from the article tables as a whole (pipeline.agreements), rewritten together
# after each commit of article rows.
AGREEMENT_TABLES: tuple[str, ...] = ("agreements", "agreement_parties", "agreement_evidence")

DESCRIPTIONS: dict[str, str] = {
    "articles": "One row per fetched article.",
    "collaborations": "One row per collaboration described in an article.",
    "collaboration_parties": "One row per party of a collaboration.",
    "priority_areas": "One row per priority area named in an article.",
    "people": "One row per person mentioned with a role, per article.",
    "dates": "One row per dated expression.",
    "mentions": "One row per entity span.",
    "kommuner": "Reference table: the 290 kommuner.",
    "runs": "One row per flow run and source.",
    "agreements": "One row per real-world collaboration (agreement), resolved across articles and sources; derived from "
    "collaborations and rewritten after every commit.",
    "agreement_parties": "One row per party of an agreement.",
    "agreement_evidence": "One row per article collaboration behind an agreement (every collaboration has exactly one).",
}


def schema_for(table: str) -> pa.Schema:
    """Return the schema of ``table`` with ``schema_version`` in its metadata."""
    try:
        schema = SCHEMAS[table]
    except KeyError:
        raise KeyError(f"unknown table {table!r}; known tables: {', '.join(SCHEMAS)}") from None
    return schema.with_metadata({b"schema_version": SCHEMA_VERSION.encode(), b"table": table.encode()})


def data_dictionary_markdown() -> str:
    """Render the data dictionary (Markdown) from :data:`SCHEMAS`."""
    lines = [
        "# Data dictionary",
        "",
        f"Generated from `pipeline/tables/schemas.py` (schema_version {SCHEMA_VERSION}). Do not edit by hand:",
        "run `samverkan dictionary --write`.",
        "",
    ]
    for table, schema in SCHEMAS.items():
        lines += [f"## `{table}`", "", DESCRIPTIONS[table], "", "| column | type | nullable | description |", "|---|---|---|---|"]
        for field in schema:
            doc = (field.metadata or {}).get(b"doc", b"").decode()
            lines.append(f"| `{field.name}` | `{field.type}` | {'yes' if field.nullable else 'no'} | {doc} |")
        lines.append("")
    return "\n".join(lines)
