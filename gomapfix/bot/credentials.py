"""The bot's token: read from the environment only, handed to git in memory, never shown.

The token comes from ``GOMAPFIX_TOKEN`` or ``GITHUB_TOKEN`` (never a flag: flags end up in
shell history and process listings). git receives it as an ``http.extraheader`` through
``GIT_CONFIG_*`` environment variables of the one process that needs it, so it is never
written to ``.git/config`` nor put on a command line; the API client sends it in a
header. Everything the bot prints goes through a :class:`Redactor` as a last line of
defence.
"""

from __future__ import annotations

import base64
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

TOKEN_VARIABLES = ("GOMAPFIX_TOKEN", "GITHUB_TOKEN")
GIT_USER = "x-access-token"
"""The user name sent with the token: GitHub wants this one; GitLab and Gitea accept any."""


@dataclass(frozen=True, repr=False)
class Token:
    value: str
    source: str
    """The environment variable it came from (safe to print)."""

    def __repr__(self) -> str:
        return f"Token(from ${self.source})"

    __str__ = __repr__


def token_from_env(env: Mapping[str, str] | None = None) -> Token | None:
    env = os.environ if env is None else env
    for name in TOKEN_VARIABLES:
        value = env.get(name, "").strip()
        if value:
            return Token(value, name)
    return None


def _basic(token: str) -> str:
    return base64.b64encode(f"{GIT_USER}:{token}".encode()).decode()


class Redactor:
    """Replaces every form of the secrets that could leak (raw, basic-auth) with ``***``."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        forms: set[str] = set()
        for secret in secrets:
            if secret:
                forms.update({secret, _basic(secret)})
        # Longest first, so that a form containing another is replaced whole.
        self._forms = sorted(forms, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for form in self._forms:
            text = text.replace(form, "***")
        # Whatever a URL embeds before its host (user:password@) is not ours to show either.
        return re.sub(r"(\b[a-z][a-z0-9+.-]*://)[^/@\s]+@", r"\1", text)


def git_auth_env(remote_url: str, token: Token | None) -> dict[str, str]:
    """Environment for a git process that talks to ``remote_url``: never prompt, and, for
    an http(s) remote and a token, an Authorization header that lives only in memory."""
    env = {"GIT_TERMINAL_PROMPT": "0"}
    parts = urlsplit(remote_url)
    if token is None or parts.scheme not in ("http", "https") or not parts.hostname:
        return env
    netloc = parts.hostname + (f":{parts.port}" if parts.port else "")
    key = f"http.{parts.scheme}://{netloc}/.extraheader"
    start = int(os.environ.get("GIT_CONFIG_COUNT", "0") or 0)
    # An empty value first resets headers configured elsewhere (actions/checkout persists
    # its own), so that exactly one Authorization header is sent.
    env[f"GIT_CONFIG_KEY_{start}"] = key
    env[f"GIT_CONFIG_VALUE_{start}"] = ""
    env[f"GIT_CONFIG_KEY_{start + 1}"] = key
    env[f"GIT_CONFIG_VALUE_{start + 1}"] = f"AUTHORIZATION: basic {_basic(token.value)}"
    env["GIT_CONFIG_COUNT"] = str(start + 2)
    return env


def display_url(url: str) -> str:
    """The URL without user information (a remote URL may embed a password or token)."""
    parts = urlsplit(url)
    if parts.scheme and parts.hostname and "@" in parts.netloc:
        netloc = parts.hostname + (f":{parts.port}" if parts.port else "")
        return urlunsplit(parts._replace(netloc=netloc))
    scp = re.match(r"^[^@/]+@([^:/]+):(.*)$", url)
    if scp and not parts.scheme:
        return f"{scp.group(1)}:{scp.group(2)}"
    return url


@dataclass(frozen=True)
class RemoteLocation:
    scheme: str
    """http, https, ssh or file."""
    host: str | None
    owner: str | None
    name: str | None


def parse_remote(url: str) -> RemoteLocation:
    """Host and owner/name from a remote URL: https://host/o/r(.git), git@host:o/r.git,
    ssh://git@host/o/r.git; file:// and local paths have no host."""
    scp = re.match(r"^(?:[^@/]+@)?([^:/]+):(?!//)(.+)$", url)
    parts = urlsplit(url)
    if parts.scheme in ("http", "https", "ssh", "git"):
        host, path = parts.hostname, parts.path
        scheme = parts.scheme
    elif scp and not parts.scheme.startswith("file") and len(scp.group(1)) > 1:
        host, path, scheme = scp.group(1), scp.group(2), "ssh"
    else:
        return RemoteLocation("file", None, None, None)
    segments = [s for s in path.strip("/").removesuffix(".git").split("/") if s]
    if len(segments) < 2:
        return RemoteLocation(scheme, host, None, None)
    # GitLab groups nest (group/sub/project): the owner is everything but the last part.
    return RemoteLocation(scheme, host, "/".join(segments[:-1]), segments[-1])
