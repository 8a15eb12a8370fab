import json
from datetime import UTC, datetime, timedelta

import pytest

from pipeline.raw.store import RawStore, RawStoreError


def _put(store, url="https://x.se/a", body=b"<html>\xc3\xa5</html>", when=None, source="x"):
    when = when or datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
    return store.put(source, url, url, 200, {"Content-Type": "text/html; charset=utf-8", "ETag": '"1"'}, body, when)


def test_put_get_roundtrip_exact_bytes(tmp_path):
    store = RawStore(tmp_path / "raw")
    rec = _put(store)
    assert rec.body() == b"<html>\xc3\xa5</html>"
    assert rec.body_path.parent == tmp_path / "raw" / "2024" / "03"
    again = store.get(rec.raw_id)
    assert again.url == "https://x.se/a" and again.status == 200 and again.kind == "article"
    assert again.headers["etag"] == '"1"' and again.content_type.startswith("text/html")
    assert again.fetched_at == datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
    assert [r.raw_id for r in store.iter_records()] == [rec.raw_id]


def test_write_once_never_overwrites(tmp_path):
    store = RawStore(tmp_path / "raw")
    rec = _put(store)
    before = rec.body_path.stat().st_mtime_ns, (rec.body_path.with_suffix(".json")).read_bytes()
    rec2 = _put(store)
    assert rec2.raw_id == rec.raw_id
    assert (rec.body_path.stat().st_mtime_ns, rec.body_path.with_suffix(".json").read_bytes()) == before
    assert len((tmp_path / "raw" / "index.jsonl").read_text().splitlines()) == 1


def test_latest_for_url_uses_canonical_url(tmp_path):
    store = RawStore(tmp_path / "raw")
    t = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
    _put(store, "https://x.se/a?utm_source=rss", b"one", t)
    newer = _put(store, "https://X.se/a#frag", b"two", t + timedelta(days=40))
    assert store.latest_for_url("https://x.se/a").raw_id == newer.raw_id
    assert RawStore(tmp_path / "raw").latest_for_url("https://x.se/a/").body() == b"two"
    assert store.latest_for_url("https://x.se/other") is None
    (tmp_path / "raw" / "index.jsonl").unlink()
    assert store.rebuild_index() == 2
    assert RawStore(tmp_path / "raw").latest_for_url("https://x.se/a").raw_id == newer.raw_id


def test_file_names_never_come_from_the_url(tmp_path):
    store = RawStore(tmp_path / "raw")
    rec = _put(store, "http://x.se/../../../../etc/passwd%00/..%2f..%2fescape")
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert all((tmp_path / "raw") in p.parents for p in files)
    assert all("passwd" not in p.name and "escape" not in p.name for p in files)
    with pytest.raises(RawStoreError, match="not a raw record id"):
        store.get("../../etc/passwd")
    assert store.get(rec.raw_id).url.endswith("escape")


def test_corrupt_or_missing_meta_names_the_file(tmp_path):
    store = RawStore(tmp_path / "raw")
    rec = _put(store)
    meta = rec.body_path.with_suffix(".json")
    meta.write_text("{not json")
    with pytest.raises(RawStoreError) as err:
        store.get(rec.raw_id)
    assert str(meta) in str(err.value) and "corrupt" in str(err.value)
    meta.write_text(json.dumps({"raw_id": rec.raw_id}))
    with pytest.raises(RawStoreError, match="invalid"):
        store.get(rec.raw_id)
    with pytest.raises(RawStoreError, match="not found"):
        store.get("20240301T120000Z-" + "0" * 24)


def test_iter_records_skips_a_torn_record_when_asked(tmp_path):
    store = RawStore(tmp_path / "raw")
    t0 = datetime(2024, 5, 1, tzinfo=UTC)
    good = store.put("s", "https://a.se/x", "https://a.se/x", 200, {}, b"<html>x</html>", t0)
    torn = store.put("s", "https://a.se/y", "https://a.se/y", 200, {}, b"<html>y</html>", t0 + timedelta(seconds=1))
    meta = next(p for p in (tmp_path / "raw").rglob("*.json") if p.stem == torn.raw_id)
    meta.write_text('{"url": "https://a', encoding="utf-8")
    with pytest.raises(RawStoreError):
        list(store.iter_records())
    errors: list[RawStoreError] = []
    assert [r.raw_id for r in store.iter_records(on_error=errors.append)] == [good.raw_id]
    assert len(errors) == 1 and str(meta) in str(errors[0])
