"""GMF305 filter-delete-loop: off by default, exact shape, parameter names and types."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from gomapfix.toolchain import find_toolchain

from helpers import go_module, run_cli

LOOP = """
package p

type T struct{ n int }

func F(m map[string]*T, limit int) {
	for k, v := range m {
		if v.n > limit {
			delete(m, k)
		}
	}
}
"""


def check(tmp_path: Path, src: str, *flags: str, go: str = "1.24") -> list[dict[str, Any]]:
    go_module(tmp_path, {"p.go": src}, go=go)
    code, out, err = run_cli(tmp_path, ["check", "--output-format", "json", *flags, "."])
    assert code in (0, 1), err
    doc = json.loads(out)
    assert doc["failed"] == []
    results: list[dict[str, Any]] = doc["results"]
    return [r for r in results if r["code"] == "GMF305"]


def test_off_by_default(tmp_path: Path) -> None:
    assert check(tmp_path / "a", LOOP) == []
    assert len(check(tmp_path / "b", LOOP, "--select", "GMF305")) == 1


def test_version_gate(tmp_path: Path) -> None:
    assert check(tmp_path / "a", LOOP, "--select", "GMF305", go="1.20") == []
    assert len(check(tmp_path / "b", LOOP, "--select", "GMF305", go="1.21")) == 1


def test_unused_parameters_are_blank(tmp_path: Path) -> None:
    src = LOOP.replace("v.n > limit", "len(k) > limit")
    r = check(tmp_path, src, "--select", "GMF305")[0]
    content = r["fix"]["edits"][-1]["content"]
    assert "func(k string, _ *T) bool { return len(k) > limit }" in content


def test_type_from_an_unimported_package_is_not_written(tmp_path: Path) -> None:
    go_module(
        tmp_path,
        {
            "a.go": 'package p\n\nimport "time"\n\nvar deadlines = map[string]time.Time{}\n',
            "b.go": (
                "package p\n\nfunc Drop() {\n\tfor k, d := range deadlines {\n"
                "\t\tif d.IsZero() {\n\t\t\tdelete(deadlines, k)\n\t\t}\n\t}\n}\n"
            ),
        },
    )
    code, out, _ = run_cli(tmp_path, ["check", "--select", "GMF305", "."])
    assert code == 0, out  # time.Time cannot be named in b.go, which does not import time
    b = tmp_path / "b.go"
    imported = 'package p\n\nimport "time"\n\nvar _ time.Time\n'
    b.write_text(b.read_text().replace("package p\n", imported))
    code, out, _ = run_cli(tmp_path, ["check", "--select", "GMF305", "."])
    assert code == 1 and "GMF305" in out, out


def test_result_is_gofmt_clean_and_vets(tmp_path: Path) -> None:
    src = (
        LOOP
        + """
func G(m map[int][]byte) {
	for k, b := range m {
		if len(b) == 0 &&
			k > 3 {
			delete(m, k)
		}
	}
}
"""
    )
    go_module(tmp_path, {"p.go": src})
    code, _, err = run_cli(tmp_path, ["fix", "-q", "--select", "GMF305", "."])
    assert code in (0, 1), err
    tc = find_toolchain()
    assert tc is not None
    fmt = subprocess.run([str(tc.gofmt), "-l", "."], cwd=tmp_path, capture_output=True, text=True)
    assert fmt.stdout == "", (tmp_path / "p.go").read_text()
    vet = subprocess.run(
        [str(tc.go), "vet", "./..."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=tc.env(offline=True),
    )
    assert vet.returncode == 0, vet.stderr
    text = (tmp_path / "p.go").read_text()
    assert "maps.DeleteFunc(m, func(k int, b []byte) bool {\n\t\treturn len(b) == 0 &&" in text
