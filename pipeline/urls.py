"""URL canonicalisation and the fetch-safety check (scheme, host allow-list, private addresses).

``canonicalize`` is what every stage uses as the identity of a page: two URLs that differ only
in case of scheme/host, default port, fragment, tracking parameters, parameter order, a trailing
slash or percent-encoding style canonicalise to the same string.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import tomllib
from functools import lru_cache
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from pipeline.config import DATA_FILES_DIR

_VOCAB_FILE = DATA_FILES_DIR / "sources" / "discovery.toml"


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, list[str]]:
    """The discovery vocabularies (tracking parameters, pagination words, …) from the data file (cached)."""
    with _VOCAB_FILE.open("rb") as fh:
        return tomllib.load(fh)


_DEFAULT_PORTS = {"http": 80, "https": 443}
_UNRESERVED = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_PCT = re.compile(r"%([0-9A-Fa-f]{2})")
# Characters left as they are in a path (RFC 3986 pchar + "/" + "%" for existing escapes).
_PATH_SAFE = "/:@!$&'()*+,;=-._~%"
_QUERY_SAFE = ":@!$'()*,;/?-._~%"


def _normalise_escapes(part: str, safe: str) -> str:
    """Upper-case percent escapes, decode escaped unreserved characters, escape the rest."""

    def repl(m: re.Match[str]) -> str:
        ch = chr(int(m.group(1), 16))
        return ch if ch in _UNRESERVED else "%" + m.group(1).upper()

    part = _PCT.sub(repl, part)
    # Escape anything not allowed (non-ASCII, spaces, …); existing escapes are kept.
    part = quote(part, safe=safe)
    # quote() leaves "%" alone but a lone "%" not followed by two hex digits must become %25.
    return re.sub(r"%(?![0-9A-F]{2})", "%25", part)


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 section 5.2.4: resolve "." and ".." segments (never above the root)."""
    out: list[str] = []
    segments = path.split("/")
    for i, seg in enumerate(segments):
        last = i == len(segments) - 1
        if seg == ".":
            if last:
                out.append("")
        elif seg == "..":
            if len(out) > 1:
                out.pop()
            if last:
                out.append("")
        else:
            out.append(seg)
    result = "/".join(out)
    return result if result.startswith("/") else "/" + result


def _is_tracking(name: str) -> bool:
    vocab = vocabulary()
    low = name.lower()
    return low in vocab["tracking_params"] or any(low.startswith(p) for p in vocab["tracking_param_prefixes"])


@lru_cache(maxsize=4096)
def _hostname(host: str) -> str:
    """Lower-case, without a trailing dot, IDN as punycode (cached: every URL seen passes here)."""
    host = host.strip().rstrip(".").lower()
    if not host or host.startswith("["):
        return host
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def canonicalize(url: str) -> str:
    """Return the canonical form of an absolute http(s) URL (other schemes: stripped, lower-cased scheme).

    Lower-cases scheme and host (IDN hosts become punycode), drops the default port, the
    fragment, ``utm_*`` and other tracking parameters, sorts the remaining query parameters,
    removes a trailing slash except on the root path and normalises percent-encoding.
    """
    url = url.strip()
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        return urlunsplit((scheme, parts.netloc, parts.path, parts.query, ""))
    host = parts.hostname or ""
    host = _hostname(host)
    if ":" in host and not host.startswith("["):  # IPv6 literal
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = _normalise_escapes(parts.path or "/", _PATH_SAFE)
    path = _remove_dot_segments(re.sub(r"/{2,}", "/", path))
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/") or "/"
    pairs = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)]
    pairs.sort()
    query = urlencode(pairs, quote_via=quote, safe=_QUERY_SAFE.replace("%", "")) if pairs else ""
    return urlunsplit((scheme, netloc, path, query, ""))


def host_of(url: str) -> str:
    """The host of a URL as used for politeness and allow-lists: lower-case, with a non-default port."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = _hostname(parts.hostname or "")
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    if port is None or port == _DEFAULT_PORTS.get(scheme):
        return host
    return f"{host}:{port}"


def _bare(host: str) -> str:
    """Host without port and without a leading ``www.``."""
    if host.startswith("["):
        return host.split("]")[0] + "]"
    name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    return name[4:] if name.startswith("www.") else name


def host_allowed(host: str, allowed_hosts: set[str] | frozenset[str] | list[str]) -> bool:
    """True if ``host`` is one of ``allowed_hosts``, a www-variant of one, or a subdomain of one.

    Hosts with an explicit port (test servers) must match exactly, port included.
    """
    host = host.lower()
    for allowed in allowed_hosts:
        allowed = allowed.lower()
        if host == allowed:
            return True
        if ":" in host or ":" in allowed or _ip(host) or _ip(allowed):
            continue
        a, h = _bare(allowed), _bare(host)
        if "." in a and (h == a or h.endswith("." + a)):
            return True
    return False


def _ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    name = host.strip("[]")
    if host.count(":") == 1 and not host.startswith("["):
        name = host.rsplit(":", 1)[0]
    elif host.startswith("["):
        name = host[1:].split("]")[0]
    try:
        return ipaddress.ip_address(name)
    except ValueError:
        return None


def _is_special(addr: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped
    return bool(
        addr.is_private
        or addr.is_loopback
        or addr.is_link_local
        or addr.is_reserved
        or addr.is_multicast
        or addr.is_unspecified
        or not addr.is_global
    )


def is_private_host(url_or_host: str, *, resolve: bool = True) -> bool:
    """True if the host is a private, loopback, link-local or reserved address, or resolves to one.

    A hostname that cannot be resolved counts as not private (the fetch itself will then fail).
    """
    host = host_of(url_or_host) if "://" in url_or_host else url_or_host.lower()
    addr = _ip(host)
    if addr is not None:
        return _is_special(addr)
    name = host.rsplit(":", 1)[0] if ":" in host else host
    by_name = name == "localhost" or name.endswith(".localhost")
    if not resolve:
        return by_name
    try:
        infos = socket.getaddrinfo(name, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return by_name
    for info in infos:
        try:
            if _is_special(ipaddress.ip_address(str(info[4][0]).split("%")[0])):
                return True
        except ValueError:
            continue
    return by_name


def is_fetchable(
    url: str, allowed_hosts: set[str] | frozenset[str] | list[str], allow_private: bool
) -> tuple[bool, str]:
    """Decide whether ``url`` may be requested; returns ``(ok, reason)``.

    Only http/https, only hosts in ``allowed_hosts`` (www-variants and subdomains included) and,
    unless ``allow_private`` (the source itself lives on such an address), never a private,
    loopback, link-local or reserved address, whether literal or resolved from a hostname.
    """
    try:
        parts = urlsplit(url.strip())
    except ValueError as exc:
        return False, f"malformed URL: {exc}"
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        return False, f"scheme {scheme or '(none)'!r} not allowed: only http and https"
    if not parts.hostname:
        return False, "URL has no host"
    if parts.username or parts.password:
        return False, "URLs with credentials are not fetched"
    host = host_of(url)
    if not host_allowed(host, allowed_hosts):
        return False, f"host {host} is not one of the source's hosts ({', '.join(sorted(allowed_hosts))})"
    if not allow_private and is_private_host(host):
        return False, f"host {host} is a private/loopback/reserved address"
    return True, "ok"


# The name used in docs/ARCHITECTURE.md.
is_allowed_url = is_fetchable
