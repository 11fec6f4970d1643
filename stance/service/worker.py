"""The gunicorn worker class of the service: gthread, with ``/healthz``
answered by the worker's own loop.

gunicorn's gthread worker hands every connection to its thread pool; when all
threads classify (a burst of whole articles, a 1 MB text), a probe of
``/healthz`` waits in the queue behind them and an orchestrator may restart a
worker that is only busy. This worker looks at a new request before queueing
it (``MSG_PEEK``, without waiting): a complete ``GET``/``HEAD /healthz`` with
no body is answered at once, from the loop, with the app's own answer
(``{"status": "ok"}``, an ``X-Request-ID``, ``Connection: close``); anything
else, or a request not yet arrived, goes to the pool as usual. (Such probes
skip the app: they are not logged and not checked against
``STANCE_TRUSTED_HOSTS``; the answer says nothing but "up".)
"""

from __future__ import annotations

import socket
import uuid

from gunicorn.workers.gthread import ThreadWorker

_PROBES = (b"GET /healthz HTTP/1.", b"HEAD /healthz HTTP/1.")
_BODY = b'{"status":"ok"}\n'


class HealthAwareThreadWorker(ThreadWorker):
    """``ThreadWorker`` that answers ``/healthz`` probes without a thread."""

    def enqueue_req(self, conn) -> None:
        if not conn.initialized and _answer_probe(conn.sock):
            self.nr_conns -= 1
            return
        super().enqueue_req(conn)


def _answer_probe(sock: socket.socket) -> bool:
    """Answer and close ``sock`` if it holds a complete health probe; else leave it untouched."""
    try:
        head = sock.recv(4096, socket.MSG_PEEK | socket.MSG_DONTWAIT)
    except OSError:  # nothing arrived yet, or the client is gone: the pool deals with it
        return False
    end = head.find(b"\r\n\r\n")
    if not head.startswith(_PROBES) or end < 0:
        return False
    headers = head[:end].lower()
    if b"\ncontent-length:" in headers or b"\ntransfer-encoding:" in headers:
        return False
    body = b"" if head.startswith(b"HEAD") else _BODY
    answer = (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {len(_BODY)}\r\nX-Request-ID: {uuid.uuid4().hex}\r\n".encode()
        + b"Connection: close\r\n\r\n" + body
    )
    try:
        sock.recv(end + 4)
        sock.sendall(answer)
    except OSError:
        pass
    finally:
        try:
            sock.close()
        except OSError:
            pass
    return True
