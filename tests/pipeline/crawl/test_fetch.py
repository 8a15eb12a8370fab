import time

import pytest

from pipeline.crawl.fetch import PoliteFetcher, RequestEvent
from tests.support.server import Reply, SiteServer, min_gap, min_start_gap, overlapping

UA = "samverkan-test/0.1 (+https://example.invalid; research crawler)"


@pytest.fixture
def server():
    with SiteServer() as srv:
        yield srv


def _fetcher(**kw):
    opts = {"user_agent": UA, "default_interval": 0.05, "timeout": 2.0, "retries": 2, "backoff": 0.05}
    opts.update(kw)
    return PoliteFetcher(**opts)


def _get(f, srv, path, **kw):
    return f.fetch(srv.url(path), allowed_hosts={srv.host}, allow_private=True, **kw)


def test_ok_sends_user_agent_and_records(server):
    events: list[RequestEvent] = []
    server.script("/a", Reply(200, "<html><body>hej</body></html>"))
    with _fetcher(recorder=events.append) as f:
        r = _get(f, server, "/a")
    assert r.outcome == "ok" and r.status == 200 and r.body == b"<html><body>hej</body></html>"
    assert r.content_type == "text/html"
    assert server.requests_for("/a")[0].headers["user-agent"] == UA
    assert [e.purpose for e in events] == ["robots", "page"]


def test_503_then_200_is_retried(server):
    server.script("/flaky", Reply(503, "busy"), Reply(200, "<p>ok</p>"))
    with _fetcher() as f:
        r = _get(f, server, "/flaky")
    assert r.outcome == "ok" and r.attempts == 2
    assert [q.status for q in server.requests_for("/flaky")] == [503, 200]


def test_429_honours_retry_after_seconds(server):
    server.script("/slowdown", Reply(429, "", {"Retry-After": "1"}), Reply(200, "<p>ok</p>"))
    with _fetcher(backoff=0.01) as f:
        r = _get(f, server, "/slowdown")
    first, second = server.requests_for("/slowdown")
    assert r.outcome == "ok"
    assert second.started - first.ended >= 0.95


def test_retry_after_http_date_is_capped(server):
    server.script("/later", Reply(503, "", {"Retry-After": "Wed, 21 Oct 2099 07:28:00 GMT"}), Reply(200, "x"))
    with _fetcher(max_retry_after=0.3) as f:
        t0 = time.monotonic()
        r = _get(f, server, "/later")
    assert r.outcome == "ok" and time.monotonic() - t0 < 2.0


def test_persistent_5xx_gives_error_after_retries(server):
    server.script("/down", Reply(500, "err"))
    with _fetcher(retries=2) as f:
        r = _get(f, server, "/down")
    assert r.outcome == "error" and r.status == 500 and "HTTP 500" in r.error
    assert len(server.requests_for("/down")) == 3


def test_slow_page_times_out(server):
    server.script("/slow", Reply(200, "late", delay=1.5))
    with _fetcher(timeout=0.3, retries=0) as f:
        r = _get(f, server, "/slow")
    assert r.outcome == "error" and "timeout" in r.error


def test_robots_disallow_and_crawl_delay(server):
    server.script("/robots.txt", Reply(200, "User-agent: *\nDisallow: /intern/\nCrawl-delay: 0.3\n",
                                       content_type="text/plain"))
    server.script("/intern/hemligt", Reply(200, "secret"))
    server.script("/publik", Reply(200, "public"))
    with _fetcher() as f:
        r = _get(f, server, "/intern/hemligt")
        assert r.outcome == "skipped_robots"
        _get(f, server, "/publik")
        _get(f, server, "/publik")
        assert f.crawl_delay(server.url("/")) == pytest.approx(0.3)
    assert server.requests_for("/intern/hemligt") == []
    assert min_gap(server.log) >= 0.29


def test_off_host_redirect_not_followed(server):
    with SiteServer() as other:
        other.script("/x", Reply(200, "elsewhere"))
        server.script("/go", Reply(302, "", {"Location": other.url("/x")}))
        server.script("/inside", Reply(301, "", {"Location": "/target"}))
        server.script("/target", Reply(200, "here"))
        server.script("/file", Reply(302, "", {"Location": "file:///etc/passwd"}))
        with _fetcher() as f:
            r = _get(f, server, "/go")
            assert r.outcome == "off_host_redirect" and other.host in r.error
            ok = _get(f, server, "/inside")
            assert ok.outcome == "ok" and ok.final_url == server.url("/target") and ok.body == b"here"
            assert _get(f, server, "/file").outcome == "off_host_redirect"
        assert other.log == []


def test_oversized_page_is_skipped_streaming(server):
    server.script("/big", Reply(200, chunked_size=3_000_000))
    server.script("/big-declared", Reply(200, b"x" * 200_000))
    with _fetcher(max_bytes=100_000) as f:
        r = _get(f, server, "/big")
        r2 = _get(f, server, "/big-declared")
    assert r.outcome == "skipped_size" and r.body == b""
    assert r2.outcome == "skipped_size"


def test_unwanted_type_not_downloaded(server):
    server.script("/doc.pdf", Reply(200, b"%PDF-1.4 ...", content_type="application/pdf"))
    with _fetcher() as f:
        r = _get(f, server, "/doc.pdf", accept=lambda t: t in ("text/html", "application/xhtml+xml"))
    assert r.outcome == "skipped_type" and r.body == b""


def test_conditional_get_gives_not_modified(server):
    server.script("/feed", Reply(200, "<rss/>", content_type="application/rss+xml"))
    with _fetcher() as f:
        first = _get(f, server, "/feed")
        second = _get(f, server, "/feed", etag=first.headers["etag"], last_modified=first.headers["last-modified"])
    assert second.outcome == "not_modified" and second.body == b""
    assert server.requests_for("/feed")[1].headers["if-none-match"] == first.headers["etag"]


def test_file_and_private_urls_refused(server):
    with _fetcher() as f:
        assert f.fetch("file:///etc/passwd", allowed_hosts={"x"}).outcome == "error"
        r = f.fetch(server.url("/a"), allowed_hosts={server.host}, allow_private=False)
        assert r.outcome == "error" and "private" in r.error
        r = f.fetch("http://169.254.169.254/latest/meta-data", allowed_hosts={"169.254.169.254"})
        assert r.outcome == "error"
    assert server.log == []


def test_one_in_flight_per_host_and_interval_while_hosts_run_in_parallel():
    import threading

    interval = 0.1
    with SiteServer() as a, SiteServer() as b:
        for srv in (a, b):
            srv.route("/p", lambda path: Reply(200, "<p>x</p>", delay=0.03))
        with _fetcher(default_interval=interval) as f:

            def crawl(srv):
                for i in range(6):
                    f.fetch(srv.url(f"/p?i={i}"), allowed_hosts={srv.host}, allow_private=True)

            threads = [threading.Thread(target=crawl, args=(srv,)) for srv in (a, b) for _ in range(3)]
            t0 = time.monotonic()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            elapsed = time.monotonic() - t0
        for srv in (a, b):
            pages = [r for r in srv.log if r.path.startswith("/p")]
            assert len(pages) == 18
            assert overlapping(srv.log) == []
            assert min_start_gap(srv.log) >= interval - 0.005
        # The hosts ran in parallel: two serial hosts would need ~2 x 19 x 0.1 s.
        serial = 2 * 19 * interval
        assert elapsed < serial * 0.75, elapsed
        # …and the two hosts' requests interleave in time.
        assert min(r.started for r in b.log) < max(r.started for r in a.log)


def test_robots_unavailable_blocks_host_until_reread(server):
    server.script("/robots.txt", Reply(503, "trasig"), Reply(200, "User-agent: *\nDisallow:\n", content_type="text/plain"))
    server.script("/a", Reply(200, "<p>a</p>"))
    with _fetcher(robots_ttl=0.3) as f:
        first = _get(f, server, "/a")
        assert first.outcome == "error" and "robots.txt unavailable" in first.error
        assert server.requests_for("/a") == []
        time.sleep(0.35)
        assert _get(f, server, "/a").outcome == "ok"
    assert len(server.requests_for("/robots.txt")) == 2


def test_user_agent_names_the_project_and_the_configured_contact(server, monkeypatch):
    monkeypatch.delenv("SAMVERKAN_USER_AGENT", raising=False)
    monkeypatch.setenv("SAMVERKAN_CONTACT", "mailto:crawl@example.invalid")
    server.script("/ua", Reply(200, "<p>ua</p>"))
    with PoliteFetcher(default_interval=0.01, timeout=2.0) as f:
        assert _get(f, server, "/ua").ok
    seen = {r.headers["user-agent"] for r in server.log}
    assert len(seen) == 1  # robots.txt and the page alike
    ua = seen.pop()
    assert ua.startswith("samverkan/") and "(+mailto:crawl@example.invalid;" in ua


def test_user_agent_default_contact_and_full_override(server, monkeypatch):
    from pipeline.config import DEFAULT_CONTACT

    monkeypatch.delenv("SAMVERKAN_USER_AGENT", raising=False)
    monkeypatch.delenv("SAMVERKAN_CONTACT", raising=False)
    server.script("/ua", Reply(200, "<p>ua</p>"))
    with PoliteFetcher(default_interval=0.01, timeout=2.0) as f:
        assert _get(f, server, "/ua").ok
    assert DEFAULT_CONTACT in server.requests_for("/ua")[0].headers["user-agent"]
    monkeypatch.setenv("SAMVERKAN_USER_AGENT", "kommunbot/2.0 (+https://example.invalid/om)")
    server.clear_log()
    with PoliteFetcher(default_interval=0.01, timeout=2.0) as f:
        assert _get(f, server, "/ua").ok
        assert f.robots_token == "kommunbot"
    assert server.requests_for("/ua")[0].headers["user-agent"] == "kommunbot/2.0 (+https://example.invalid/om)"


def test_interval_is_kept_start_to_start_so_slow_bodies_cost_no_extra_pause(server):
    # Each body stalls 0.08 s halfway; at an interval of 0.2 s the next request is sent one interval after
    # the previous answer began, not after its body ended (end-to-start would need 0.28 s per request).
    interval, stall, n = 0.2, 0.08, 8
    body = "<p>" + "x" * 4000 + "</p>"
    server.route("/s", lambda path: Reply(200, body, stall_at=100, stall=stall))
    with _fetcher(default_interval=interval) as f:
        _get(f, server, "/s?i=0")  # robots.txt and the first page
        t0 = time.monotonic()
        for i in range(1, n + 1):
            assert _get(f, server, f"/s?i={i}").body == body.encode()
        elapsed = time.monotonic() - t0
    pages = sorted((r for r in server.log if r.path.startswith("/s")), key=lambda r: r.started)
    assert overlapping(server.log) == []
    starts = [b.started - a.started for a, b in zip(pages, pages[1:], strict=False)]
    assert min(starts) >= interval, starts
    assert max(starts) < interval + stall - 0.03, starts  # no pause added for the body's download
    assert elapsed < n * (interval + stall) - 0.2, elapsed


def test_a_slow_answer_is_paced_from_when_it_began(server):
    # The server takes 0.15 s before it answers; the next request still comes a full interval after the
    # answer began, so the server never sees two starts closer than the interval.
    interval = 0.1
    server.route("/w", lambda path: Reply(200, "<p>w</p>", delay=0.15))
    with _fetcher(default_interval=interval) as f:
        for i in range(3):
            assert _get(f, server, f"/w?i={i}").ok
    assert min_start_gap(server.log) >= interval


def test_one_connection_per_host_is_kept_alive(server):
    server.script("/k", *[Reply(200, "<p>k</p>") for _ in range(4)])
    with _fetcher(default_interval=0.01) as f:
        for _ in range(4):
            assert _get(f, server, "/k").ok
    ports = {r.client_port for r in server.log}
    assert len(server.requests_for("/k")) == 4
    assert len(ports) == 1 and 0 not in ports  # robots.txt and the four pages over one connection
