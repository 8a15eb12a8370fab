from pipeline.urls import canonicalize, host_allowed, host_of, is_fetchable


def test_canonicalize_drops_tracking_fragment_default_port_and_sorts():
    a = canonicalize("HTTPS://WWW.Lerum.se:443/nyheter/avtal/?utm_source=nl&b=2&a=1&fbclid=x&mc_cid=1#top")
    assert a == "https://www.lerum.se/nyheter/avtal?a=1&b=2"
    assert canonicalize("https://www.lerum.se/nyheter/avtal?a=1&b=2") == a


def test_canonicalize_root_keeps_slash_and_escapes_normalised():
    assert canonicalize("https://www.lerum.se") == "https://www.lerum.se/"
    assert canonicalize("http://x.se/a%7eb/%c3%a5") == canonicalize("http://x.se/a~b/å") == "http://x.se/a~b/%C3%A5"
    assert canonicalize("http://x.se:8080/a/./b/../c") == "http://x.se:8080/a/c"


def test_canonicalize_keeps_non_tracking_params():
    assert canonicalize("https://x.se/lista?page=2&utm_medium=rss") == "https://x.se/lista?page=2"


def test_host_of_and_allowed():
    assert host_of("http://127.0.0.1:8001/x") == "127.0.0.1:8001"
    assert host_of("https://WWW.X.SE:443/") == "www.x.se"
    assert host_allowed("lerum.se", {"www.lerum.se"})
    assert host_allowed("nyheter.lerum.se", {"www.lerum.se"})
    assert not host_allowed("lerum.se.evil.com", {"www.lerum.se"})
    assert not host_allowed("127.0.0.1:8002", {"127.0.0.1:8001"})


def test_is_fetchable_refuses_schemes_hosts_and_private_addresses():
    assert is_fetchable("file:///etc/passwd", {"x.se"}, False)[0] is False
    assert is_fetchable("ftp://x.se/a", {"x.se"}, False)[0] is False
    assert is_fetchable("https://evil.example/a", {"x.se"}, False)[0] is False
    for url, host in [
        ("http://127.0.0.1:9/a", "127.0.0.1:9"),
        ("http://10.1.2.3/a", "10.1.2.3"),
        ("http://169.254.169.254/latest", "169.254.169.254"),
        ("http://[::1]/a", "[::1]"),
        ("http://localhost/a", "localhost"),
        ("http://0.0.0.0/a", "0.0.0.0"),
    ]:
        ok, reason = is_fetchable(url, {host}, False)
        assert not ok and "private" in reason, url
    assert is_fetchable("http://127.0.0.1:9/a", {"127.0.0.1:9"}, True) == (True, "ok")
    assert is_fetchable("http://user:pw@x.se/", {"x.se"}, False)[0] is False


def test_hostnames_resolving_to_private_addresses_are_refused():
    from pipeline.urls import is_private_host

    assert is_private_host("localhost", resolve=True)  # resolved through getaddrinfo to 127.0.0.1 / ::1
    assert is_private_host("localhost", resolve=False)
    assert not is_private_host("www.lerum.se", resolve=False)
    ok, reason = is_fetchable("http://localhost:8080/x", {"localhost:8080"}, False)
    assert not ok and "private" in reason
