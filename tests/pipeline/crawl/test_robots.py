"""robots.txt as RFC 9309 reads it (protego), checked against a real server on 127.0.0.1.

Each test serves a robots.txt, asks the fetcher for a few paths and checks both the outcome and
that the server never saw a request for a disallowed path. The stdlib ``urllib.robotparser``
gets the precedence and wildcard cases wrong (first match wins, no ``*``/``$``).
"""

import pytest

from pipeline.crawl.fetch import PoliteFetcher
from tests.support.server import Reply, SiteServer, min_gap

UA = "samverkan/0.1 (+https://example.invalid/kontakt; research crawler)"
PAGE = Reply(200, "<html><body><p>sida</p></body></html>")


@pytest.fixture
def server():
    with SiteServer() as srv:
        for path in ("/nyheter", "/nyheter/2024/trygg-stad", "/nyheter/intern/plan", "/dokument/plan.pdf",
                     "/dokument/plan.pdf?version=2", "/dokument/plan.pdfx", "/sok", "/sok?q=trygghet",
                     "/nyheter/arkiv?sida=2", "/nyheter/arkiv", "/a", "/b", "/c"):
            srv.script(path, PAGE)
        yield srv


def _robots(srv: SiteServer, text: str) -> None:
    srv.script("/robots.txt", Reply(200, text, content_type="text/plain"))


def _outcomes(srv: SiteServer, paths: list[str], **kw) -> dict[str, str]:
    opts = {"user_agent": UA, "default_interval": 0.02, "timeout": 2.0, "retries": 0}
    opts.update(kw)
    with PoliteFetcher(**opts) as f:
        return {p: f.fetch(srv.url(p), allowed_hosts={srv.host}, allow_private=True).outcome for p in paths}


def _requested(srv: SiteServer) -> set[str]:
    return {r.path for r in srv.log}


def test_longest_match_wins_whatever_the_order(server):
    # A short Disallow listed first must not hide a longer Allow listed after it.
    _robots(server, "User-agent: *\nDisallow: /nyheter\nAllow: /nyheter/2024/\n")
    got = _outcomes(server, ["/nyheter/2024/trygg-stad", "/nyheter/intern/plan", "/nyheter"])
    assert got == {"/nyheter/2024/trygg-stad": "ok", "/nyheter/intern/plan": "skipped_robots",
                   "/nyheter": "skipped_robots"}
    assert "/nyheter/intern/plan" not in _requested(server) and "/nyheter/2024/trygg-stad" in _requested(server)


def test_longer_disallow_beats_shorter_allow_and_allow_wins_a_tie(server):
    _robots(server, "User-agent: *\nAllow: /nyheter\nDisallow: /nyheter/intern/\nDisallow: /sok\nAllow: /sok\n")
    got = _outcomes(server, ["/nyheter", "/nyheter/intern/plan", "/sok"])
    assert got == {"/nyheter": "ok", "/nyheter/intern/plan": "skipped_robots", "/sok": "ok"}


def test_star_wildcard_matches_any_run_of_characters(server):
    _robots(server, "User-agent: *\nDisallow: /*?q=\nDisallow: /nyheter/*/plan\n")
    got = _outcomes(server, ["/sok?q=trygghet", "/sok", "/nyheter/intern/plan", "/nyheter/2024/trygg-stad"])
    assert got == {"/sok?q=trygghet": "skipped_robots", "/sok": "ok", "/nyheter/intern/plan": "skipped_robots",
                   "/nyheter/2024/trygg-stad": "ok"}
    assert not {"/sok?q=trygghet", "/nyheter/intern/plan"} & _requested(server)


def test_dollar_anchors_the_end_of_the_url(server):
    _robots(server, "User-agent: *\nDisallow: /*.pdf$\n")
    got = _outcomes(server, ["/dokument/plan.pdf", "/dokument/plan.pdf?version=2", "/dokument/plan.pdfx"])
    assert got == {"/dokument/plan.pdf": "skipped_robots", "/dokument/plan.pdf?version=2": "ok",
                   "/dokument/plan.pdfx": "ok"}
    assert "/dokument/plan.pdf" not in _requested(server)


def test_our_own_group_overrides_the_star_group(server):
    _robots(server, "User-agent: *\nDisallow: /\n\nUser-agent: samverkan\nDisallow: /sok\n")
    got = _outcomes(server, ["/nyheter", "/sok"])
    assert got == {"/nyheter": "ok", "/sok": "skipped_robots"}
    # Another crawler's product token does not pick our group.
    assert _outcomes(server, ["/nyheter"], user_agent="annanbot/2.0")["/nyheter"] == "skipped_robots"


def test_crawl_delay_is_kept_between_requests(server):
    _robots(server, "User-agent: *\nCrawl-delay: 0.4\nDisallow: /intern/\n")
    with PoliteFetcher(user_agent=UA, default_interval=0.01, timeout=2.0, retries=0) as f:
        for p in ("/a", "/b", "/c"):
            assert f.fetch(server.url(p), allowed_hosts={server.host}, allow_private=True).ok
        assert f.crawl_delay(server.url("/a")) == pytest.approx(0.4)
    assert min_gap(server.log) >= 0.38


def test_sitemaps_are_listed(server):
    _robots(server, f"User-agent: *\nAllow: /\nSitemap: {server.url('/sitemap.xml')}\nSitemap: {server.url('/s2.xml')}\n")
    with PoliteFetcher(user_agent=UA, default_interval=0.01) as f:
        assert f.robots_sitemaps(server.url("/")) == [server.url("/sitemap.xml"), server.url("/s2.xml")]
