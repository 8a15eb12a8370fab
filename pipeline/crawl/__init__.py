"""Crawl stage: sources registry, URLs, polite fetching, discovery, crawl state, per-source crawl."""
