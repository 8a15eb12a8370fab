"""Find one article in the ``articles`` table by whatever the user has at hand.

``samverkan show`` and ``samverkan reprocess`` both resolve their argument with
:func:`match_article`, which accepts, in this order:

1. an ``article_id``;
2. a ``raw_id`` (the raw/ record the article was extracted from);
3. a URL: the article's ``url`` or ``canonical_url``, compared after canonicalisation
   (:func:`pipeline.urls.canonicalize`, so a fragment or tracking parameter does not matter);
4. a unique prefix of an ``article_id`` (at least :data:`MIN_PREFIX` characters).
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.errors import AmbiguousArticleError, ArticleLookupError
from pipeline.urls import canonicalize

MIN_PREFIX = 6
"""Shortest ``article_id`` prefix accepted."""


def looks_like_url(ref: str) -> bool:
    """True for what can only be a URL (not an id)."""
    return "/" in ref or ":" in ref


def _canonical(url: str) -> str:
    try:
        return canonicalize(url)
    except ValueError:  # not a URL after all: compare lightly
        return url.strip().split("#")[0].rstrip("/")


def match_article(
    ref: str,
    article_ids: Sequence[str],
    urls: Sequence[str | None],
    canonical_urls: Sequence[str | None],
    raw_ids: Sequence[str | None],
    where: str,
) -> int:
    """Index of the article that ``ref`` names (columns of the ``articles`` table, in one order).

    Raises :class:`pipeline.errors.ArticleLookupError` naming ``ref`` and ``where`` (the folder
    searched) if no article matches (:class:`pipeline.errors.AmbiguousArticleError` if an id prefix
    matches several).
    """
    key = str(ref).strip()
    for column in (article_ids, raw_ids):
        for i, value in enumerate(column):
            if value == key:
                return i
    if looks_like_url(key):
        wanted = {key, _canonical(key)}
        for i, (url, canonical) in enumerate(zip(urls, canonical_urls, strict=True)):
            if url in wanted or canonical in wanted or (url and _canonical(url) in wanted):
                return i
    elif len(key) >= MIN_PREFIX:
        hits = [i for i, a in enumerate(article_ids) if a.startswith(key)]
        if len(hits) > 1:
            raise AmbiguousArticleError(f"article id prefix {key!r} matches {len(hits)} articles in {where}; give more characters")
        if hits:
            return hits[0]
    raise ArticleLookupError(
        f"no article with id or URL {key!r} in {where} ({len(article_ids)} articles). "
        "Use an article_id (or its first 6+ characters), the article URL or a raw_id from the articles table, "
        "or run `samverkan reprocess URL` to fetch and process it."
    )
