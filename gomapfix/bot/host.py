"""The code host's REST API: the few GitHub-compatible endpoints the bot calls.

``requests`` is the client: kept, ubiquitous, synchronous (the bot makes a handful of
calls in order, so httpx's async support buys nothing), and already present in most CI
images. It is imported only by ``gomapfix pr`` and ships in the ``bot`` extra.

Every failure becomes a :class:`HostError` with a one-line message saying what was asked,
what the host answered and what to do; the token never appears in it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from gomapfix import __version__
from gomapfix.bot.credentials import Redactor, Token
from gomapfix.bot.errors import BotError


class HostError(BotError):
    pass


@dataclass(frozen=True)
class PullRequest:
    number: int
    state: str
    """open or closed."""
    merged: bool
    title: str
    body: str
    url: str
    labels: tuple[str, ...]

    @staticmethod
    def from_json(data: dict[str, Any]) -> PullRequest:
        return PullRequest(
            number=int(data["number"]),
            state=str(data.get("state", "open")),
            merged=bool(data.get("merged_at") or data.get("merged")),
            title=str(data.get("title") or ""),
            body=str(data.get("body") or ""),
            url=str(data.get("html_url") or ""),
            labels=tuple(
                str(label["name"] if isinstance(label, dict) else label)
                for label in data.get("labels") or ()
            ),
        )


_HINTS = {
    401: "the token was rejected: check GOMAPFIX_TOKEN or GITHUB_TOKEN",
    403: "the token lacks a permission (contents: write and pull-requests: write; "
    "issues: write for labels and comments) or a rate limit was hit",
    404: "no such repository or pull request, or the token cannot see it: check --repo "
    "and --api-url",
    422: "the host refused the request",
}


class _Bearer:
    """requests' auth hook: the token in the Authorization header, and nowhere else."""

    def __init__(self, token: str) -> None:
        self._token = token

    def __call__(self, request: Any) -> Any:
        request.headers["Authorization"] = f"Bearer {self._token}"
        return request

    def __repr__(self) -> str:
        return "_Bearer(***)"


class HostAPI:
    def __init__(
        self,
        api_url: str,
        owner: str,
        name: str,
        token: Token | None,
        timeout: float,
        redact: Redactor,
        log: Callable[[str], None] | None = None,
    ) -> None:
        try:
            import requests
        except ImportError as exc:  # pragma: no cover - depends on the installation
            raise BotError(
                "gomapfix pr needs the requests package: pip install 'gomapfix[bot]'"
            ) from exc
        self._requests = requests
        self.api_url = api_url.rstrip("/")
        self.owner, self.name = owner, name
        self.timeout = timeout
        self.redact = redact
        self.log = log
        self.writes = 0
        self.session = requests.Session()
        self.session.headers.update(
            {
                "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": "2022-11-28",
                "User-Agent": f"gomapfix/{__version__}",
            }
        )
        if token is not None:
            # As the session's auth (not a bare header), so that a ~/.netrc entry cannot
            # replace it; proxies and CA bundles from the environment still apply.
            self.session.auth = _Bearer(token.value)

    @property
    def _repo_path(self) -> str:
        return f"/repos/{quote(self.owner, safe='')}/{quote(self.name, safe='')}"

    # Endpoints -----------------------------------------------------------------------

    def pulls_for_branch(self, branch: str) -> list[PullRequest]:
        """Every pull request (open, closed, merged) whose head is ``branch``, newest first."""
        items = self._get_all(
            f"{self._repo_path}/pulls",
            {"head": f"{self.owner.split('/')[0]}:{branch}", "state": "all"},
        )
        pulls = [PullRequest.from_json(i) for i in items if isinstance(i, dict)]
        return sorted(pulls, key=lambda p: -p.number)

    def create_pull(self, title: str, head: str, base: str, body: str) -> PullRequest:
        data = self._call(
            "POST",
            f"{self._repo_path}/pulls",
            body={"title": title, "head": head, "base": base, "body": body},
        )
        return PullRequest.from_json(data)

    def update_pull(self, number: int, title: str, body: str) -> None:
        self._call(
            "PATCH", f"{self._repo_path}/pulls/{number}", body={"title": title, "body": body}
        )

    def add_labels(self, number: int, labels: list[str]) -> None:
        self._call("POST", f"{self._repo_path}/issues/{number}/labels", body={"labels": labels})

    def comments(self, number: int) -> list[str]:
        items = self._get_all(f"{self._repo_path}/issues/{number}/comments", {})
        return [str(i.get("body") or "") for i in items if isinstance(i, dict)]

    def comment(self, number: int, body: str) -> None:
        self._call("POST", f"{self._repo_path}/issues/{number}/comments", body={"body": body})

    # Transport -----------------------------------------------------------------------

    def _get_all(self, path: str, params: dict[str, str]) -> list[Any]:
        items: list[Any] = []
        url: str | None = self.api_url + path
        query: dict[str, str] | None = {**params, "per_page": "100"}
        for _ in range(50):  # 5000 items: far more than one branch ever has
            if url is None:
                break
            data, next_url = self._send("GET", url, query, None)
            if not isinstance(data, list):
                raise HostError(
                    f"GET {path}: expected a list from the host, got {type(data).__name__}"
                )
            items.extend(data)
            url, query = next_url, None
        return items

    def _call(self, method: str, path: str, body: dict[str, Any]) -> Any:
        data, _ = self._send(method, self.api_url + path, None, body)
        return data

    def _send(
        self, method: str, url: str, params: dict[str, str] | None, body: dict[str, Any] | None
    ) -> tuple[Any, str | None]:
        requests = self._requests
        shown = self._shown(method, url, params)
        if method != "GET":
            self.writes += 1
        try:
            response = self.session.request(
                method, url, params=params, json=body, timeout=self.timeout, allow_redirects=False
            )
        except requests.Timeout:
            raise HostError(
                f"{shown}: the code host did not answer within {self.timeout:g}s; "
                "try again later or raise --timeout"
            ) from None
        except requests.RequestException as exc:
            found = re.search(r"\[Errno -?\d+\] ([^'\")\]]+)", str(exc))
            reason = found.group(1).strip() if found else type(exc).__name__
            raise HostError(
                self.redact(f"{shown}: cannot reach the code host at {self.api_url} ({reason})")
            ) from None
        if self.log is not None:
            self.log(f"api: {shown} -> {response.status_code}")
        if response.status_code >= 300:
            raise HostError(self.redact(self._failure(shown, response)))
        next_url = response.links.get("next", {}).get("url")
        if response.status_code == 204 or not response.content:
            return None, next_url
        try:
            return response.json(), next_url
        except ValueError:
            raise HostError(
                f"{shown}: the code host answered with something other than JSON"
            ) from None

    def _shown(self, method: str, url: str, params: dict[str, str] | None) -> str:
        path = url[len(self.api_url) :] if url.startswith(self.api_url) else url
        if params:
            path += "?" + "&".join(f"{k}={v}" for k, v in params.items() if k != "per_page")
        return f"{method} {path}"

    @staticmethod
    def _failure(shown: str, response: Any) -> str:
        status = int(response.status_code)
        detail = ""
        try:
            data = response.json()
        except ValueError:
            data = None
        if isinstance(data, dict):
            detail = str(data.get("message") or "")
            errors = data.get("errors")
            if isinstance(errors, list):
                extra = [
                    str(e.get("message") or e.get("code") or "") if isinstance(e, dict) else str(e)
                    for e in errors
                ]
                extra = [e for e in extra if e]
                if extra:
                    detail = f"{detail}: {'; '.join(extra)}" if detail else "; ".join(extra)
        if status >= 500:
            hint = "the code host failed; try again later"
        elif 300 <= status < 400:
            hint = "the API redirected: check --api-url"
        else:
            hint = _HINTS.get(status, "the request was refused")
        reason = str(getattr(response, "reason", "") or "")
        said = f" ({detail.splitlines()[0][:300]})" if detail.strip() else ""
        return f"{shown}: HTTP {status} {reason}{said}: {hint}".replace("  ", " ")
