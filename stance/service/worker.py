"""The gunicorn worker class of the service: gthread, with ``/healthz``
answered by the worker's own loop, and a JSON answer for every request it
gives up on.

Health probes. gunicorn's gthread worker hands every connection to its thread
pool; when all threads classify (a burst of whole articles, a 1 MB text), a
probe of ``/healthz`` waits in the queue behind them and an orchestrator may
restart a worker that is only busy. This worker looks at a new connection
before queueing it (``MSG_PEEK``, without waiting): a complete ``GET``/``HEAD
/healthz`` with no body is answered at once, from the loop, with the app's own
answer (``{"status": "ok"}``, an ``X-Request-ID``, ``Connection: close``). A
connection whose first bytes have not arrived yet waits for them in the poller,
not in a thread (a probe's client often connects a moment before it writes), and
is looked at again when they come; anything else goes to the pool as usual.
(Such probes skip the app: they are not logged and not checked against
``STANCE_TRUSTED_HOSTS``; the answer says nothing but "up".)

Replacement. A worker that reaches ``STANCE_MAX_REQUESTS`` stops accepting,
finishes its requests (seconds, for a slow client) and only then is replaced;
when its sibling did the same at that moment, nobody accepted connections and
probes failed. Workers keep a board of who accepts (shared memory made by the
master), and one that reaches its count while no other accepts serves on until
one does (``max_requests`` more requests at most, ``POSTPONED_AT_LEAST`` at least).

Requests given up. The work deadline (``STANCE_DEADLINE``, ``stance.deadline``)
is cooperative: it stops work between steps, but one step (a model batch, a
slow plugin) cannot be interrupted. The worker's loop therefore watches every
request in its threads: one still unanswered ``OVERDUE_GRACE`` seconds past
its deadline gets the app's own JSON 503 ``deadline_exceeded`` from the loop,
and its connection is shut, so its thread's late answer goes nowhere. And when
gunicorn stops the worker for its timeout (``STANCE_TIMEOUT``: the loop did
not run for that long, its ``SIGABRT``), every unanswered request gets a JSON
503 ``worker_timeout`` before the worker exits, instead of a dropped
connection. (Only a worker killed outright, ``SIGKILL``, answers nothing: a
proxy in front maps that, ``deploy/nginx.conf``.)
"""

from __future__ import annotations

import errno
import json
import multiprocessing
import multiprocessing.sharedctypes
import os
import selectors
import socket
import ssl
import threading
import time
import uuid
from functools import partial

from gunicorn.workers.gthread import DEFAULT_WORKER_DATA_TIMEOUT, ThreadWorker

from .config import load_settings
from .tracing import REQUEST_ID_HEADER, sane_request_id

_PROBES = (b"GET /healthz HTTP/1.", b"HEAD /healthz HTTP/1.")
_BODY = b'{"status":"ok"}\n'

SERVING_SLOTS = 256
"""Slots of the board of accepting workers (more than any sane worker count)."""

POSTPONED_AT_LEAST = 100
"""Requests a worker due for replacement may serve on, at least, while no other accepts."""

OVERDUE_GRACE = 5.0
"""Seconds past its deadline (at most the deadline's own length again) that a
request's thread gets to stop by itself before the loop answers for it."""


class HealthAwareThreadWorker(ThreadWorker):
    """``ThreadWorker`` that answers ``/healthz`` probes without a thread, lets a
    new connection wait for its first bytes in the poller, answers JSON for
    requests past their deadline or cut by the worker's timeout, and is not
    replaced after ``max_requests`` while no other worker accepts connections."""

    serving: multiprocessing.sharedctypes.SynchronizedArray | None = None

    @classmethod
    def setup(cls) -> None:
        """In the master, before any fork: the board of workers accepting
        connections (one slot per worker, by age, holding its pid)."""
        if cls.serving is None:
            cls.serving = multiprocessing.RawArray("i", SERVING_SLOTS)

    def run(self) -> None:
        self._serving(True)
        try:
            super().run()
        finally:
            self._serving(False)

    def _serving(self, accepting: bool) -> None:
        if self.serving is not None:
            self.serving[self.age % SERVING_SLOTS] = os.getpid() if accepting else 0

    def _another_serves(self) -> bool:
        """Whether another live worker accepts connections now."""
        own = self.age % SERVING_SLOTS
        for slot, pid in enumerate(self.serving or ()):
            if pid and slot != own:
                try:
                    os.kill(pid, 0)
                    return True
                except OSError:
                    continue
        return False

    def init_process(self) -> None:
        deadline = load_settings()["DEADLINE"]
        self.overdue_after = deadline + min(OVERDUE_GRACE, deadline)
        self.exchanges: dict[int, Exchange] = {}
        self.current = threading.local()
        self.postponed = 0
        super().init_process()

    def load_wsgi(self) -> None:
        super().load_wsgi()
        self.wsgi = partial(_guarded_app, self.wsgi, self.current)

    def enqueue_req(self, conn) -> None:
        if not conn.initialized:
            outcome = _answer_probe(conn.sock)
            if outcome == "answered":
                self.nr_conns -= 1
                return
            if outcome == "nothing yet" and not conn.data_ready and self.alive:
                conn.sock.setblocking(False)
                conn.timeout = time.monotonic() + DEFAULT_WORKER_DATA_TIMEOUT + self.cfg.keepalive
                self.pending_conns.append(conn)
                self.poller.register(conn.sock, selectors.EVENT_READ, partial(self._first_bytes, conn))
                return
        super().enqueue_req(conn)

    def _first_bytes(self, conn, sock) -> None:
        """A new connection's first bytes arrived: look at them again (a probe?)."""
        self.poller.unregister(sock)
        self.pending_conns.remove(conn)
        self.enqueue_req(conn)

    def handle_request(self, req, conn):
        """Serve one request in a pool thread, registered with the loop's watch.
        The request that reaches ``max_requests`` stops the worker only when
        another worker accepts connections meanwhile (its replacement may still
        be starting): two workers replaced at once left nobody to answer even
        ``/healthz`` for seconds. The wait lasts ``max_requests`` more requests
        at most (``POSTPONED_AT_LEAST`` for a tiny ``max_requests``)."""
        if (self.nr + 1 >= self.max_requests and self.alive and self.cfg.workers > 1
                and self.postponed < max(self.cfg.max_requests, POSTPONED_AT_LEAST)
                and not self._another_serves()):
            self.max_requests += 1
            self.postponed += 1
        if self.nr + 1 >= self.max_requests:
            self._serving(False)  # this request stops the worker: it no longer counts as accepting
        exchange = Exchange(conn.sock, _request_id(req.headers))
        self.exchanges[id(exchange)] = exchange
        self.current.exchange = exchange
        try:
            return super().handle_request(req, conn)
        finally:
            self.current.exchange = None
            self.exchanges.pop(id(exchange), None)

    def murder_pending(self) -> None:
        """Each turn of the loop: besides gunicorn's own expiry of idle
        connections, answer the requests past their deadline."""
        super().murder_pending()
        now = time.monotonic()
        for exchange in list(self.exchanges.values()):
            if now - exchange.started > self.overdue_after:
                exchange.give_up(503, "deadline_exceeded", (
                    f"The request was not answered within {self.overdue_after:g} s "
                    "(STANCE_DEADLINE plus a grace) and was stopped; "
                    "send a shorter text or fewer documents."
                ))

    def handle_exit(self, sig, frame) -> None:
        self._serving(False)
        super().handle_exit(sig, frame)

    def handle_abort(self, sig, frame) -> None:
        """gunicorn's timeout (``SIGABRT``): answer every request in flight, then exit."""
        self._serving(False)
        for exchange in list(self.exchanges.values()):
            exchange.give_up(503, "worker_timeout", (
                "The worker was stopped by its timeout (STANCE_TIMEOUT) before it could answer; retry shortly."
            ), wait=False)  # a signal handler: never wait for a lock its own thread may hold
        super().handle_abort(sig, frame)


class Exchange:
    """One request in a pool thread: its socket, and who answers it (its
    thread through the app, or the loop giving up on it), decided once."""

    def __init__(self, sock: socket.socket, request_id: str) -> None:
        self.sock = sock
        self.request_id = request_id
        self.started = time.monotonic()
        self.claimed = False
        self.lock = threading.Lock()

    def claim(self, wait: bool = True) -> bool:
        """Whether the caller answers: ``False`` if the other side already does
        (or, with ``wait=False``, is deciding right now)."""
        if not self.lock.acquire(wait):
            return False
        try:
            if self.claimed:
                return False
            self.claimed = True
            return True
        finally:
            self.lock.release()

    def give_up(self, status: int, code: str, message: str, *, wait: bool = True) -> None:
        """Answer with a JSON error and shut the connection, unless the app's
        answer has started. Never blocks on the socket: the error fits an empty
        send buffer (a TLS socket gets no answer, only the shutdown). The socket
        is shut, not closed: its thread still holds its descriptor."""
        if not self.claim(wait):
            return
        body = json.dumps({"error": {"code": code, "message": message, "request_id": self.request_id}}).encode()
        answer = (
            f"HTTP/1.1 {status} Service Unavailable\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nRetry-After: 1\r\n{REQUEST_ID_HEADER}: {self.request_id}\r\n"
            "Connection: close\r\n\r\n"
        ).encode() + body
        try:
            if not isinstance(self.sock, ssl.SSLSocket):
                self.sock.send(answer, socket.MSG_DONTWAIT)
        except OSError:
            pass
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def _guarded_app(app, current, environ, start_response):
    """``app``, whose answer starts only if the loop has not given up on the request."""
    exchange = getattr(current, "exchange", None)

    def start(status, headers, exc_info=None):
        if exchange is not None and not exchange.claim():
            raise BrokenPipeError(errno.EPIPE, "the request was already answered by the worker's loop")
        return start_response(status, headers, exc_info)

    return app(environ, start)


def _request_id(headers) -> str:
    given = next((value for name, value in headers if name.upper() == REQUEST_ID_HEADER.upper()), "")
    return sane_request_id(given)


def _answer_probe(sock: socket.socket) -> str:
    """``"answered"`` (and ``sock`` closed) if it holds a complete health probe;
    ``"nothing yet"`` when no byte has arrived; else ``"other"``, untouched."""
    try:
        head = sock.recv(4096, socket.MSG_PEEK | socket.MSG_DONTWAIT)
    except BlockingIOError:
        return "nothing yet"
    except OSError:  # the client is gone: the pool deals with it
        return "other"
    end = head.find(b"\r\n\r\n")
    if not head.startswith(_PROBES) or end < 0:
        return "other"
    headers = head[:end].lower()
    if b"\ncontent-length:" in headers or b"\ntransfer-encoding:" in headers:
        return "other"
    body = b"" if head.startswith(b"HEAD") else _BODY
    answer = (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {len(_BODY)}\r\n{REQUEST_ID_HEADER}: {uuid.uuid4().hex}\r\n".encode()
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
    return "answered"
