"""Adding imports as part of a fix, for every import layout a Go file can have.

The edit is returned to the codemod so that the import and the code that needs it are
applied together or not at all. Output stays gofmt-clean: gofmt sorts specs within each
run of lines of an import group, so a new path goes to its sorted place in the group of
standard-library imports (or opens such a group), never simply at the end.
"""

from __future__ import annotations

from dataclasses import dataclass

from tree_sitter import Node

from gomapfix.fix import Edit
from gomapfix.parse import ParsedFile, node_text


@dataclass(frozen=True)
class ImportPlan:
    names: dict[str, str]
    """Import path -> identifier the fix must use for it."""
    edits: tuple[Edit, ...]


def plan_imports(parsed: ParsedFile, paths: list[str]) -> ImportPlan:
    names: dict[str, str] = {}
    missing: list[str] = []
    for path in dict.fromkeys(paths):
        local = parsed.import_name(path)
        if local is not None:
            names[path] = local
        else:
            names[path] = path.rsplit("/", 1)[-1]
            missing.append(path)
    if not missing:
        return ImportPlan(names, ())
    return ImportPlan(names, (_import_edit(parsed, sorted(missing)),))


def _is_std(path: str) -> bool:
    return "." not in path.split("/", 1)[0]


def _import_edit(parsed: ParsedFile, missing: list[str]) -> Edit:
    data = parsed.source.data
    decls = [c for c in parsed.root.named_children if c.type == "import_declaration"]
    lines = "".join(f'\t"{p}"\n' for p in missing)
    if not decls:
        package = next(c for c in parsed.root.named_children if c.type == "package_clause")
        at = parsed.source.line_end(package.end_byte - 1)
        single = len(missing) == 1
        text = f'\nimport "{missing[0]}"\n' if single else f"\nimport (\n{lines})\n"
        if at == len(data) and not data.endswith(b"\n"):
            text = "\n" + text
        return Edit(parsed.path, at, at, text.encode())
    grouped = next((d for d in decls if _spec_list(d) is not None), None)
    if grouped is None:
        # Only single-line imports: turn the first into a group holding all of them.
        decl = decls[0]
        spec = next(c for c in decl.named_children if c.type == "import_spec")
        existing = node_text(spec)
        trailing = _trailing_comment(decl)
        end = decl.end_byte
        if trailing is not None:
            existing += " " + node_text(trailing)
            end = trailing.end_byte
        entries = sorted([(_path_of(spec), existing), *((p, f'"{p}"') for p in missing)])
        if _is_std(_path_of(spec)):
            body = "".join(f"\t{text}\n" for _, text in entries)
        else:
            body = lines + "\n" + f"\t{existing}\n"
        return Edit(parsed.path, decl.start_byte, end, f"import (\n{body})".encode())
    spec_list = _spec_list(grouped)
    assert spec_list is not None
    specs = [c for c in spec_list.named_children if c.type == "import_spec"]
    runs = _runs(parsed, specs)
    std_run = next((run for run in runs if all(_is_std(_path_of(s)) for s in run)), None)
    if std_run is None:
        # No standard-library group: open one at the top of the block.
        first = specs[0] if specs else None
        if first is None:
            at = spec_list.start_byte + 1
            return Edit(parsed.path, at, at, ("\n" + lines).encode())
        at = parsed.source.line_start(first.start_byte)
        return Edit(parsed.path, at, at, (lines + "\n").encode())
    edits_text: list[tuple[int, str]] = []
    for path in missing:
        before = next((s for s in std_run if _path_of(s) > path), None)
        if before is not None:
            at = parsed.source.line_start(before.start_byte)
        else:
            at = parsed.source.line_end(std_run[-1].end_byte - 1)
        edits_text.append((at, f'\t"{path}"\n'))
    # Several missing paths may land at different points; one edit must cover them all.
    start = min(at for at, _ in edits_text)
    end = max(at for at, _ in edits_text)
    pieces: list[str] = []
    cursor = start
    for at, text in sorted(edits_text):
        pieces.append(parsed.source.text(cursor, at))
        pieces.append(text)
        cursor = at
    return Edit(parsed.path, start, end, "".join(pieces).encode())


def _spec_list(decl: Node) -> Node | None:
    return next((c for c in decl.named_children if c.type == "import_spec_list"), None)


def _path_of(spec: Node) -> str:
    path = spec.child_by_field_name("path")
    return node_text(path).strip('"`') if path is not None else ""


def _trailing_comment(decl: Node) -> Node | None:
    sibling = decl.next_sibling
    if (
        sibling is not None
        and sibling.type == "comment"
        and sibling.start_point[0] == decl.end_point[0]
    ):
        return sibling
    return None


def _runs(parsed: ParsedFile, specs: list[Node]) -> list[list[Node]]:
    """Import specs split where a blank line separates them (gofmt sorts within a run)."""
    runs: list[list[Node]] = []
    last_row = -10
    for spec in specs:
        row = spec.start_point[0]
        if runs and row - last_row <= 1 + _comment_rows_between(parsed, last_row, row):
            runs[-1].append(spec)
        else:
            runs.append([spec])
        last_row = spec.end_point[0]
    return runs


def _comment_rows_between(parsed: ParsedFile, a: int, b: int) -> int:
    """Rows strictly between a and b that hold only a comment (they do not split a run)."""
    starts = parsed.source.line_starts
    count = 0
    for row in range(a + 1, b):
        line = parsed.source.data[starts[row] : starts[row + 1] if row + 1 < len(starts) else None]
        if line.strip().startswith(b"//"):
            count += 1
    return count
