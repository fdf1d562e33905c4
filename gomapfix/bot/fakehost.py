"""A GitHub-compatible code host in memory, for the tests and ``bench/bot_demo.py``.

It implements the endpoints ``gomapfix pr`` calls, checks the token like GitHub does
(401 for a wrong one), records every request, and can be told to fail a request (any
status) or to stall past the client's timeout. :func:`serve` puts it behind a real HTTP
server (pytest-httpserver, a test dependency).
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote

if TYPE_CHECKING:
    from pytest_httpserver import HTTPServer
    from werkzeug import Request, Response


@dataclass
class Recorded:
    method: str
    path: str
    """With the query string, as sent."""
    body: Any
    status: int = 0
    authorization: str | None = field(default=None, repr=False)

    def __str__(self) -> str:
        return f"{self.method} {self.path} -> {self.status}"


@dataclass
class FakePull:
    number: int
    title: str
    body: str
    head: str
    base: str
    state: str = "open"
    merged: bool = False
    labels: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)


@dataclass
class _Fault:
    method: str
    pattern: re.Pattern[str]
    status: int
    message: str
    stall: float


class FakeHost:
    def __init__(self, owner: str, name: str, token: str, web: str = "http://fake.test") -> None:
        self.owner, self.name, self.token, self.web = owner, name, token, web
        self.pulls: dict[int, FakePull] = {}
        self.requests: list[Recorded] = []
        self._faults: list[_Fault] = []
        self._lock = threading.Lock()

    # Test controls -----------------------------------------------------------------------

    def fail(self, method: str, path_regex: str, status: int, message: str = "") -> None:
        """Answer requests matching ``method`` and ``path_regex`` with ``status``."""
        self._faults.append(_Fault(method, re.compile(path_regex), status, message, 0.0))

    def stall(self, method: str, path_regex: str, seconds: float) -> None:
        self._faults.append(_Fault(method, re.compile(path_regex), 0, "", seconds))

    def heal(self) -> None:
        self._faults.clear()

    def close(self, number: int, merged: bool = False) -> None:
        pull = self.pulls[number]
        pull.state, pull.merged = "closed", merged

    @property
    def writes(self) -> list[Recorded]:
        return [r for r in self.requests if r.method != "GET"]

    def log(self, since: int = 0) -> str:
        return "\n".join(str(r) for r in self.requests[since:])

    # Serving ---------------------------------------------------------------------------------

    def handle(
        self, method: str, path: str, query: str, body: Any, authorization: str | None
    ) -> tuple[int, Any]:
        shown = path + (f"?{unquote(query)}" if query else "")
        record = Recorded(method, shown, body, authorization=authorization)
        with self._lock:
            self.requests.append(record)
        for fault in self._faults:
            if fault.method in (method, "*") and fault.pattern.search(path):
                if fault.stall:
                    time.sleep(fault.stall)
                    break
                record.status = fault.status
                return fault.status, {"message": fault.message or "injected failure"}
        if authorization != f"Bearer {self.token}":
            record.status = 401
            return 401, {"message": "Bad credentials"}
        with self._lock:
            status, answer = self._route(method, path, parse_qs(query), body)
        record.status = status
        return status, answer

    def _route(
        self, method: str, path: str, query: dict[str, list[str]], body: Any
    ) -> tuple[int, Any]:
        prefix = f"/repos/{self.owner}/{self.name}"
        if not path.startswith(prefix + "/"):
            return 404, {"message": "Not Found"}
        rest = path[len(prefix) :]
        if rest == "/pulls" and method == "GET":
            state = (query.get("state") or ["open"])[0]
            head = (query.get("head") or [""])[0]
            found = [
                self._json(p)
                for p in sorted(self.pulls.values(), key=lambda p: -p.number)
                if (state == "all" or p.state == state)
                and (not head or head == f"{self.owner}:{p.head}")
            ]
            return 200, found
        if rest == "/pulls" and method == "POST":
            head = str(body.get("head", "")).split(":")[-1]
            if any(p.head == head and p.state == "open" for p in self.pulls.values()):
                return 422, {
                    "message": "Validation Failed",
                    "errors": [
                        {"message": f"A pull request already exists for {self.owner}:{head}."}
                    ],
                }
            number = max(self.pulls, default=0) + 1
            pull = FakePull(number, body["title"], body.get("body", ""), head, body["base"])
            self.pulls[number] = pull
            return 201, self._json(pull)
        match = re.fullmatch(r"/(pulls|issues)/(\d+)(/labels|/comments)?", rest)
        if match is None or int(match.group(2)) not in self.pulls:
            return 404, {"message": "Not Found"}
        pull = self.pulls[int(match.group(2))]
        kind, tail = match.group(1), match.group(3)
        if kind == "pulls" and tail is None and method == "PATCH":
            for key in ("title", "body", "state"):
                if key in body:
                    setattr(pull, key, body[key])
            return 200, self._json(pull)
        if kind == "pulls" and tail is None and method == "GET":
            return 200, self._json(pull)
        if kind == "issues" and tail == "/labels" and method == "POST":
            for label in body.get("labels", []):
                if label not in pull.labels:
                    pull.labels.append(label)
            return 200, [{"name": label} for label in pull.labels]
        if kind == "issues" and tail == "/comments" and method == "POST":
            pull.comments.append(body["body"])
            return 201, {"id": len(pull.comments), "body": body["body"]}
        if kind == "issues" and tail == "/comments" and method == "GET":
            return 200, [{"id": i, "body": c} for i, c in enumerate(pull.comments, 1)]
        return 404, {"message": "Not Found"}

    def _json(self, pull: FakePull) -> dict[str, Any]:
        return {
            "number": pull.number,
            "state": pull.state,
            "title": pull.title,
            "body": pull.body,
            "html_url": f"{self.web}/{self.owner}/{self.name}/pull/{pull.number}",
            "head": {"ref": pull.head, "label": f"{self.owner}:{pull.head}"},
            "base": {"ref": pull.base},
            "merged_at": "2024-01-01T00:00:00Z" if pull.merged else None,
            "labels": [{"name": label} for label in pull.labels],
        }

    def attach(self, server: HTTPServer) -> None:
        from werkzeug import Response

        def respond(request: Request) -> Response:
            raw = request.get_data()
            body = json.loads(raw) if raw else None
            status, answer = self.handle(
                request.method,
                request.path,
                request.query_string.decode(),
                body,
                request.headers.get("Authorization"),
            )
            return Response(json.dumps(answer), status=status, content_type="application/json")

        server.expect_request(re.compile(r".*")).respond_with_handler(respond)


@contextmanager
def serve(host: FakeHost) -> Iterator[str]:
    """Serve ``host`` on a free local port; yields its base URL."""
    import logging

    from pytest_httpserver import HTTPServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no access log on stderr
    server = HTTPServer(threaded=True)
    server.start()
    try:
        host.attach(server)
        yield server.url_for("").rstrip("/")
    finally:
        server.clear()
        if server.is_running():
            server.stop()
