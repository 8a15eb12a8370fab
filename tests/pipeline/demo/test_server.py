"""The demo server is a real HTTP server on 127.0.0.1: files, headers, 304s, placeholders, log."""

from __future__ import annotations

import http.client
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import defusedxml.ElementTree as ET
import httpx
import pytest

from pipeline.demo import SITES_ROOT, DemoServer, DemoServerError
from pipeline.demo.server import resolve_path, variant_name

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_base_urls_are_loopback_with_distinct_ports(demo_server: DemoServer) -> None:
    urls = demo_server.base_urls
    assert set(urls) == {"kommun_a", "kommun_b", "tidning"}
    ports = set()
    for url in urls.values():
        parts = urlsplit(url)
        assert parts.scheme == "http" and parts.hostname == "127.0.0.1"
        assert parts.port and parts.port > 0
        ports.add(parts.port)
    assert len(ports) == 3


@pytest.mark.parametrize(
    ("site", "path", "ctype", "needle"),
    [
        ("kommun_a", "/", "text/html; charset=utf-8", "Alingsås kommun"),
        ("kommun_a", "/nyheter/", "text/html; charset=utf-8", "Nästa"),
        ("kommun_a", "/nyheter/?page=2", "text/html; charset=utf-8", "Föregående"),
        ("kommun_a", "/nyheter/nyheter.rss", "application/rss+xml; charset=utf-8", "<rss"),
        ("kommun_a", "/robots.txt", "text/plain; charset=utf-8", "Disallow: /intern/"),
        ("kommun_a", "/dokument/samverkansoverenskommelse-2024-2027.pdf", "application/pdf", "%PDF-1.4"),
        ("kommun_b", "/nyheter/nyhetsarkiv/budget-2025-klubbad-i-fullmaktige.html", "text/html; charset=utf-8", "sv-"),
        ("kommun_b", "/sitemap.xml", "application/xml; charset=utf-8", "<sitemapindex"),
        ("tidning", "/feed/", "application/rss+xml; charset=utf-8", "<rss"),
    ],
)
def test_files_served_with_content_type(demo_server: DemoServer, site: str, path: str, ctype: str, needle: str) -> None:
    r = httpx.get(demo_server.base_urls[site] + path)
    assert r.status_code == 200
    assert r.headers["content-type"] == ctype
    assert int(r.headers["content-length"]) == len(r.content)
    assert r.headers["etag"].startswith('"') and r.headers["last-modified"].endswith("GMT")
    assert needle.encode() in r.content


def test_query_string_and_directory_rules(demo_server: DemoServer) -> None:
    base = demo_server.base_urls["kommun_a"]
    first = httpx.get(base + "/nyheter/")
    second = httpx.get(base + "/nyheter/?page=2")
    assert first.text != second.text
    # tracking parameters are ignored, unknown pages and paths are 404
    assert httpx.get(base + "/nyheter/?utm_source=nyhetsbrev&utm_medium=e-post").text == first.text
    assert httpx.get(base + "/nyheter/?page=3").status_code == 404
    assert httpx.get(base + "/nyheter/finns-inte/").status_code == 404
    # a directory without trailing slash redirects to the slash form
    r = httpx.get(base + "/nyheter", follow_redirects=False)
    assert r.status_code == 301 and r.headers["location"] == "/nyheter/"


def test_path_traversal_is_refused(demo_server: DemoServer) -> None:
    port = urlsplit(demo_server.base_urls["kommun_a"]).port
    for raw in ("/../kommun_b/robots.txt", "/%2e%2e/kommun_b/robots.txt", "/nyheter/..%2f..%2fkommun_b/robots.txt"):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", raw)
        resp = conn.getresponse()
        resp.read()
        conn.close()
        assert resp.status == 404, raw


def test_head_has_headers_but_no_body(demo_server: DemoServer) -> None:
    r = httpx.head(demo_server.base_urls["tidning"] + "/")
    assert r.status_code == 200 and r.content == b""
    assert int(r.headers["content-length"]) > 1000


def test_conditional_get_gives_304(demo_server: DemoServer) -> None:
    url = demo_server.base_urls["kommun_a"] + "/nyheter/nyheter.rss"
    with httpx.Client() as client:  # one keep-alive connection: a 304 must not break framing
        first = client.get(url)
        etag, last_modified = first.headers["etag"], first.headers["last-modified"]
        r = client.get(url, headers={"If-None-Match": etag})
        assert r.status_code == 304 and r.content == b"" and r.headers["etag"] == etag
        r = client.get(url, headers={"If-None-Match": f'"stale", W/{etag}'})
        assert r.status_code == 304
        r = client.get(url, headers={"If-Modified-Since": last_modified})
        assert r.status_code == 304
        assert client.get(url, headers={"If-None-Match": '"something-else"'}).status_code == 200
        assert client.get(url, headers={"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}).status_code == 200
        # If-None-Match wins over If-Modified-Since (RFC 9110)
        r = client.get(url, headers={"If-None-Match": '"other"', "If-Modified-Since": last_modified})
        assert r.status_code == 200 and r.content == first.content


def test_etag_is_stable_and_differs_between_pages(demo_server: DemoServer) -> None:
    base = demo_server.base_urls["kommun_a"]
    a1 = httpx.get(base + "/nyheter/").headers["etag"]
    a2 = httpx.get(base + "/nyheter/").headers["etag"]
    b = httpx.get(base + "/nyheter/?page=2").headers["etag"]
    assert a1 == a2 != b


def test_robots_txt_has_disallow_and_absolute_sitemap(demo_server: DemoServer) -> None:
    for site, base in demo_server.base_urls.items():
        text = httpx.get(base + "/robots.txt").text
        assert "{{" not in text, site
        assert f"Sitemap: {base}/sitemap.xml" in text, site
    assert "Disallow: /intern/" in httpx.get(demo_server.base_urls["kommun_a"] + "/robots.txt").text


def test_feeds_have_absolute_links_that_resolve(demo_server: DemoServer) -> None:
    with httpx.Client() as client:
        for site, path in (("kommun_a", "/nyheter/nyheter.rss"), ("tidning", "/feed/")):
            base = demo_server.base_urls[site]
            root = ET.fromstring(client.get(base + path).content)
            links = [item.findtext("link") for item in root.iter("item")]
            assert len(links) >= 6, site
            for link in links:
                assert link and link.startswith(base + "/"), link
                assert client.get(link).status_code == 200, link
            assert all(item.findtext("pubDate") for item in root.iter("item"))


def test_sitemap_index_and_urlsets_have_absolute_urls(demo_server: DemoServer) -> None:
    base = demo_server.base_urls["kommun_b"]
    index = ET.fromstring(httpx.get(base + "/sitemap.xml").content)
    children = [loc.text for loc in index.iter(f"{SM}loc")]
    assert children == [f"{base}/sitemap-sidor.xml", f"{base}/sitemap-nyheter.xml"]
    news = ET.fromstring(httpx.get(children[1]).content)
    locs = [loc.text or "" for loc in news.iter(f"{SM}loc")]
    assert len(locs) == 6 and all(loc.startswith(base + "/nyheter/nyhetsarkiv/") for loc in locs)
    assert all(httpx.get(loc).status_code == 200 for loc in locs)


def test_html_canonical_uses_base_url(demo_server: DemoServer) -> None:
    base = demo_server.base_urls["tidning"]
    html = httpx.get(base + "/lerum/julmarknaden-i-floda-slog-rekord/").text
    assert f'<link rel="canonical" href="{base}/lerum/julmarknaden-i-floda-slog-rekord/">' in html
    assert "{{BASE_URL}}" not in html


def test_request_log_records_requests_thread_safely(demo_server: DemoServer) -> None:
    demo_server.clear_log()
    base = demo_server.base_urls["kommun_b"]
    paths = [f"/nyheter/?n={i}" for i in range(20)] + ["/", "/nyheter/"] * 10

    client = httpx.Client(headers={"User-Agent": "samverkan-test"})

    def hit(path: str) -> None:
        client.get(base + path)

    threads = [threading.Thread(target=hit, args=(p,)) for p in paths]
    before = time.time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    client.close()
    log = demo_server.requests("kommun_b")
    assert len(log) == len(paths)
    assert sorted(e.path for e in log) == sorted(paths)
    assert {e.status for e in log if e.path.startswith("/nyheter/?n=")} == {404}
    assert {e.status for e in log if e.path in ("/", "/nyheter/")} == {200}
    assert all(e.method == "GET" and e.site == "kommun_b" and e.user_agent == "samverkan-test" for e in log)
    assert all(e.time.timestamp() >= before - 1 for e in log)


def test_injected_failures_then_normal_service(demo_server: DemoServer) -> None:
    base = demo_server.base_urls["tidning"]
    demo_server.inject("tidning", "/feed/", 429, times=2, headers={"Retry-After": "1"})
    demo_server.inject("tidning", "/feed/", 503)
    seen = [httpx.get(base + "/feed/") for _ in range(4)]
    assert [r.status_code for r in seen] == [429, 429, 503, 200]
    assert seen[0].headers["retry-after"] == "1"
    with pytest.raises(DemoServerError, match="unknown demo site"):
        demo_server.inject("nope", "/", 500)


def test_server_for_chosen_sites_and_custom_root(tmp_path: Path) -> None:
    site = tmp_path / "liten"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text("<p>{{BASE_URL}}/a/</p>", encoding="utf-8")
    (site / "a" / "index--sida-2--sort-ny.html").write_text("andra", encoding="utf-8")
    with DemoServer(tmp_path) as srv:
        base = srv.base_urls["liten"]
        assert httpx.get(base + "/a/").text == f"<p>{base}/a/</p>"
        assert httpx.get(base + "/a/?sort=ny&sida=2").text == "andra"
    with pytest.raises(DemoServerError, match="is not running"):
        _ = srv.base_urls
    with DemoServer(SITES_ROOT, sites=["tidning"]) as srv:
        assert list(srv.base_urls) == ["tidning"]


def test_setup_errors_name_the_input(tmp_path: Path) -> None:
    with pytest.raises(DemoServerError, match="does not exist"):
        DemoServer(tmp_path / "saknas")
    with pytest.raises(DemoServerError, match=r"unknown demo site\(s\) \['kommun_x'\]"):
        DemoServer(sites=["kommun_x"])


def test_variant_name_and_resolve_path() -> None:
    assert variant_name("index.html", "page=2") == "index--page-2.html"
    assert variant_name("index.html", "utm_source=x") == "index.html"
    assert variant_name("index.html", "page=../x") is None
    root = SITES_ROOT / "kommun_a"
    assert resolve_path(root, "/nyheter/", "page=2") == (root / "nyheter" / "index--page-2.html", None)
    assert resolve_path(root, "/nyheter", "") == (None, "/nyheter/")
    assert resolve_path(root, "/../kommun_b/", "") == (None, None)
