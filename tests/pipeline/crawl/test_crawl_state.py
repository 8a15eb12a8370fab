import threading

from pipeline.crawl.state import CrawlState


def test_visit_keeps_validators_and_counts(tmp_path):
    with CrawlState.in_state_dir(tmp_path / "state") as st:
        assert st.add_discovered("https://x.se/a", "x", "article", sitemap_lastmod="2024-01-01")
        assert not st.add_discovered("https://x.se/a", "x", "article")
        st.record_visit("https://x.se/a", "x", "article", "fetched", etag='"e1"', content_sha256="abc", raw_id="r1")
        st.record_visit("https://x.se/a", "x", "article", "unchanged")
        s = st.get("https://x.se/a")
        assert s.etag == '"e1"' and s.raw_id == "r1" and s.status == "unchanged" and s.attempts == 2
        assert s.sitemap_lastmod == "2024-01-01" and s.last_visit is not None
        assert st.counts("x") == {"article:unchanged": 1}
    with CrawlState(tmp_path / "state" / "crawl.sqlite") as st:  # persisted
        assert st.get("https://x.se/a").content_sha256 == "abc"
        mode = st._conn.execute("PRAGMA journal_mode").fetchone()[0]
        assert mode == "wal"


def test_threads_share_one_state(tmp_path):
    st = CrawlState(tmp_path / "crawl.sqlite")

    def work(n):
        for i in range(50):
            st.record_visit(f"https://h{n}.se/{i}", f"s{n}", "article", "fetched", raw_id=f"r{i}")

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(st.counts().values()) == 200
    assert len(list(st.iter_source("s2", kind="article", status="fetched"))) == 50
    st.close()


def test_add_discovered_many_is_one_transaction_and_keeps_the_found_url(tmp_path):
    from pipeline.crawl.state import CrawlState

    with CrawlState(tmp_path / "s.sqlite") as state:
        items = [(f"https://a.se/n/{i}", None, f"https://a.se/n/{i}/") for i in range(5)]
        assert state.add_discovered_many(items, "src", "article") == 5
        assert state.add_discovered_many(items, "src", "article") == 0
        st = state.get("https://a.se/n/3")
        assert st is not None and st.status == "pending" and st.found_url == "https://a.se/n/3/"


def test_many_threads_opening_a_fresh_state_file_at_once(tmp_path):
    # Sources crawled in parallel all open state/crawl.sqlite at the start of a first run.
    import threading

    from pipeline.crawl.state import CrawlState

    errors: list[BaseException] = []
    for round_ in range(20):
        path = tmp_path / f"fresh-{round_}.sqlite"
        start = threading.Barrier(12)

        def open_and_write(i: int, path=path, start=start) -> None:
            try:
                start.wait()
                with CrawlState(path) as state:
                    state.add_discovered_many([(f"https://a.se/{i}/{j}", None, None) for j in range(20)], f"s{i}", "article")
            except BaseException as exc:  # noqa: BLE001 - collected and asserted below
                errors.append(exc)

        threads = [threading.Thread(target=open_and_write, args=(i,)) for i in range(12)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        with CrawlState(path) as state:
            assert all(state.get(f"https://a.se/{i}/19") is not None for i in range(12)) or errors
    assert errors == []


def test_record_page_keeps_validators_and_body_in_one_transaction(tmp_path):
    import pytest

    from pipeline.crawl import faults
    from pipeline.crawl.state import CrawlState, StoredPage

    class Killed(BaseException):
        pass

    def die(name):
        if name.startswith("state: writing page"):
            raise Killed(name)

    page = StoredPage("https://x.se/nyheter/?sida=1", "text/html", b"<html>" + b"x" * 5000 + b"</html>")
    with CrawlState(tmp_path / "s.sqlite") as state:
        faults.fault_hook = die
        try:
            with pytest.raises(Killed):
                state.record_page("https://x.se/nyheter", "x", page, etag='"e"', last_modified=None,
                                  content_sha256="h", sitemap_lastmod=None, doc_type="html")
        finally:
            faults.fault_hook = None
        # killed between the two writes: neither the validators nor the body are stored
        assert state.get("https://x.se/nyheter") is None and state.stored_page("https://x.se/nyheter") is None
        state.record_page("https://x.se/nyheter", "x", page, etag='"e"', last_modified=None,
                          content_sha256="h", sitemap_lastmod="2024-01-01", doc_type="html")
        st = state.get("https://x.se/nyheter")
        assert st is not None and st.etag == '"e"' and st.status == "fetched" and st.doc_type == "html"
        assert state.stored_page("https://x.se/nyheter") == page and state.has_stored_page("https://x.se/nyheter")
        size = state._conn.execute("SELECT length(body) FROM pages").fetchone()[0]
        assert size < 200  # compressed
