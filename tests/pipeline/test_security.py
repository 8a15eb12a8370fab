"""Security gaps not covered elsewhere: redirect targets never requested, size caps, no shell, raw paths."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.crawl.discover import MAX_XML_BYTES, DiscoveryParseError, parse_feed, parse_sitemap
from pipeline.crawl.fetch import PoliteFetcher, RequestEvent
from pipeline.raw.store import RawStore
from pipeline.text.extract import MAX_BODY_BYTES, ExtractError, extract_file
from tests.support.server import Reply, SiteServer

REPO = Path(__file__).resolve().parents[2]
FORBIDDEN = ["http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/intern", "http://[::1]/x",
             "file:///etc/passwd", "http://evil.example/steal", "gopher://127.0.0.1:70/"]


@pytest.mark.parametrize("target", FORBIDDEN)
def test_redirect_to_other_or_private_host_is_never_requested(target: str) -> None:
    seen: list[RequestEvent] = []
    with SiteServer() as srv:
        srv.script("/go", Reply(302, "", {"Location": target}))
        with PoliteFetcher(default_interval=0.0, timeout=2.0, retries=1, backoff=0.01, recorder=seen.append) as f:
            res = f.fetch(srv.url("/go"), allowed_hosts={srv.host}, allow_private=True)
        assert res.outcome != "ok" and res.body == b""
        assert {e.host for e in seen} <= {srv.host}, [e.url for e in seen]
        assert [r.path for r in srv.log if r.path != "/robots.txt"] == ["/go"]


@pytest.mark.parametrize("target", FORBIDDEN)
def test_direct_request_to_forbidden_url_never_leaves(target: str) -> None:
    seen: list[RequestEvent] = []
    with PoliteFetcher(default_interval=0.0, timeout=2.0, retries=1, recorder=seen.append) as f:
        res = f.fetch(target, allowed_hosts={"www.ale.se"})
    assert res.outcome == "error"
    assert all(e.status is None for e in seen)


def test_feed_and_sitemap_larger_than_cap_refused() -> None:
    big = b"<rss><channel>" + b"<item><link>https://x.se/a</link></item>" * (MAX_XML_BYTES // 40 + 10) + b"</channel></rss>"
    assert len(big) > MAX_XML_BYTES
    with pytest.raises(DiscoveryParseError, match="larger than"):
        parse_feed(big, "https://x.se/")
    with pytest.raises(DiscoveryParseError, match="larger than"):
        parse_sitemap(big)


def test_entity_bomb_in_feed_blocked() -> None:
    bomb = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
            b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;">]>'
            b"<rss><channel><item><title>&d;</title><link>https://x.se/a</link></item></channel></rss>")
    with pytest.raises(DiscoveryParseError):
        parse_feed(bomb, "https://x.se/")


def test_extract_file_over_cap_refused_without_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.html"
    with open(path, "wb") as fh:  # sparse: the size is what counts
        fh.truncate(MAX_BODY_BYTES + 1)
    with pytest.raises(ExtractError, match="cap"):
        extract_file(path)


def test_no_shell_in_pipeline_or_flows() -> None:
    bad = re.compile(r"shell\s*=\s*True|os\.system\s*\(|os\.popen\s*\(|subprocess\.getoutput|commands\.getoutput")
    hits = [f"{p}:{i}" for folder in ("pipeline", "flows") for p in sorted((REPO / folder).rglob("*.py"))
            for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if bad.search(line)]
    assert hits == []


@pytest.mark.parametrize("url", ["http://x.se/%2e%2e/%2e%2e/%2E%2E/etc/passwd", "http://x.se/a/../../../../tmp/evil",
                                 "http://x.se/..%2F..%2F..%2Fraw.json"])
def test_raw_file_names_cannot_traverse(tmp_path: Path, url: str) -> None:
    from datetime import UTC, datetime

    root = tmp_path / "data" / "raw"
    store = RawStore(root)
    rec = store.put(source_id="x", url=url, final_url=url, status=200, headers={}, body=b"<p>x</p>",
                    fetched_at=datetime(2025, 1, 1, tzinfo=UTC))
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert files and all(root in p.parents for p in files)
    assert all(".." not in p.name and "passwd" not in p.name and "evil" not in p.name for p in files)
    assert store.get(rec.raw_id).body() == b"<p>x</p>"
