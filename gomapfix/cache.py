"""The result cache (like ruff's): a package whose inputs have not changed is not re-run.

A package's key hashes everything its results depend on: the bytes of every file of
the package directory (facts come from all of them), the effective options, the Go
version in force from go.mod/go.work, and gomapfix itself (its version and the size and
modification time of its source files, so a development checkout never serves results
of older code). Entries are pickled results with the file texts left out (they are
re-attached from the bytes just hashed), written atomically, so concurrent runs on one
tree cannot corrupt the cache: the worst case is one of them recomputing an entry.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from gomapfix import __version__
from gomapfix.writer import write_atomic

if TYPE_CHECKING:
    from gomapfix.runner import FileResult

CACHE_DIR_NAME = ".gomapfix_cache"


@cache
def _code_fingerprint() -> str:
    import gomapfix

    digest = hashlib.sha256(__version__.encode())
    roots = [Path(gomapfix.__file__).parent]
    with contextlib.suppress(ImportError):
        import importlib

        roots.append(Path(importlib.import_module("gomapfix.codemods").__file__ or "").parent)
    for root in roots:
        for path in sorted(root.rglob("*.py")):
            stat = path.stat()
            digest.update(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def package_key(texts: dict[str, bytes], targets: list[str], context: str) -> str:
    digest = hashlib.sha256(_code_fingerprint().encode())
    digest.update(context.encode())
    for path in sorted(texts):
        digest.update(path.encode() + b"\0")
        digest.update(hashlib.sha256(texts[path]).digest())
    digest.update("\0".join(sorted(targets)).encode())
    return digest.hexdigest()


class ResultCache:
    def __init__(self, root: Path) -> None:
        self.root = root / CACHE_DIR_NAME
        self._prepared = False

    def _entry(self, key: str) -> Path:
        return self.root / f"v{__version__}" / key[:2] / f"{key}.pickle"

    def load(self, key: str, texts: dict[str, bytes]) -> list[FileResult] | None:
        entry = self._entry(key)
        try:
            data = entry.read_bytes()
            stored: list[FileResult] = pickle.loads(data)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None
        return [
            replace(
                r,
                original=texts.get(r.path, r.original) if r.original is None else r.original,
                new=(texts.get(r.path) if r.new is None else r.new),
            )
            for r in stored
        ]

    def store(self, key: str, results: list[FileResult], texts: dict[str, bytes]) -> None:
        slim = [
            replace(
                r,
                original=None if r.original == texts.get(r.path) else r.original,
                new=None if r.new == texts.get(r.path) else r.new,
            )
            for r in results
        ]
        entry = self._entry(key)
        try:
            self._prepare()
            entry.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(entry, pickle.dumps(slim, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:
            return  # a read-only tree still gets its results, just not cached

    def _prepare(self) -> None:
        if self._prepared:
            return
        self.root.mkdir(parents=True, exist_ok=True)
        ignore = self.root / ".gitignore"
        if not ignore.exists():
            write_atomic(ignore, b"# Created by gomapfix.\n*\n")
        self._prepared = True


def clean(root: Path) -> bool:
    """Remove the cache under ``root``; whether there was one."""
    import shutil

    target = root / CACHE_DIR_NAME
    if not target.is_dir():
        return False
    shutil.rmtree(target)
    return True


def cache_root_for(start: Path) -> Path:
    """The project root: the nearest folder holding a gomapfix config or .git, else cwd."""
    folder = start.resolve()
    if folder.is_file():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        if any((candidate / n).exists() for n in ("gomapfix.toml", ".gomapfix.toml", ".git")):
            return candidate
    return Path(os.getcwd())
