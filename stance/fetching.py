"""Fetching an article from a URL: one bounded HTTP(S) GET.

The answer is read with a size limit (an oversized page is refused without
being held in memory) and a timeout (for the connection and for each read);
redirects are followed (at most ``urllib``'s ten). Every failure is an
``InputError`` with one sentence naming the URL: a scheme other than http and
https, a name that does not resolve, a refused connection, no answer in
time, an HTTP error status, a page over the limit.
"""

from __future__ import annotations

import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from . import __version__
from .errors import InputError

DEFAULT_TIMEOUT = 20.0
"""Seconds to wait for the connection and for each read."""

USER_AGENT = f"stance/{__version__} (paragraph stance classifier; +https://pypi.org/project/csto-stance/)"

_CHUNK = 1 << 16


@dataclass(frozen=True)
class Fetched:
    """A fetched page: its bytes, the charset and whether the server called it HTML."""

    url: str
    data: bytes
    charset: str | None
    html: bool | None


def fetch_url(url: str, *, max_bytes: int, timeout: float = DEFAULT_TIMEOUT) -> Fetched:
    """GET ``url`` and return its body, at most ``max_bytes`` long."""
    if urlsplit(url).scheme.lower() not in ("http", "https") or not urlsplit(url).netloc:
        raise InputError(f"{url}: not an http:// or https:// URL")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html, text/plain;q=0.9, */*;q=0.5"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise _too_large(url, max_bytes)
            data = _read_bounded(response, url, max_bytes)
            content_type = response.headers.get_content_type()
            charset = response.headers.get_content_charset()
    except urllib.error.HTTPError as exc:
        raise InputError(f"{url}: the server answered {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, (socket.timeout, TimeoutError)):
            raise InputError(f"{url}: no answer within {timeout:g} s") from None
        raise InputError(f"{url}: cannot fetch ({getattr(reason, 'strerror', None) or reason})") from None
    except (socket.timeout, TimeoutError):
        raise InputError(f"{url}: no answer within {timeout:g} s") from None
    except OSError as exc:
        raise InputError(f"{url}: cannot fetch ({exc.strerror or exc})") from None
    html = True if content_type in ("text/html", "application/xhtml+xml") else (False if content_type == "text/plain" else None)
    return Fetched(url, data, charset, html)


def _read_bounded(response, url: str, max_bytes: int) -> bytes:
    chunks, size = [], 0
    while True:
        chunk = response.read(min(_CHUNK, max_bytes + 1 - size))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
        if size > max_bytes:
            raise _too_large(url, max_bytes)


def _too_large(url: str, max_bytes: int) -> InputError:
    limit = f"{max_bytes / 2**20:g} MB" if max_bytes >= 2**20 else f"{max_bytes} bytes"
    return InputError(f"{url}: the page is larger than the {limit} limit for an article")
