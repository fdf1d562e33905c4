"""``gomapfix lsp``: a language server over stdio, built on pygls.

Diagnostics are pushed on open, save and (debounced) change; code actions offer each
finding's fix (``quickfix``, preferred when safe), "ignore this finding" (a
``//gomapfix:ignore CODE reason`` line above the statement) and
``source.fixAll.gomapfix`` (safe fixes; unsafe ones too when the configuration sets
``unsafe-fixes = true``). Edits are computed lazily in ``codeAction/resolve``.

An open buffer replaces its file inside the package, as with ``check -
--stdin-filename``: its siblings come from disk unless they are open too, and the
configuration, suppressions and Go version in force are those of the file's path. One
analysis covers every open file of a package; it is cached until an open file of the
package changes (or is saved, or a watched file changes on disk), and parsed files are
cached by content (``gomapfix.parsecache``), so an edit re-parses only the buffer that
changed, incrementally from its previous tree.

Positions: byte offsets inside the engine; the negotiated LSP position encoding (UTF-16
unless the client prefers UTF-8 or UTF-32) at the edge. The server needs the ``lsp``
extra (pygls and lsprotocol); ``gomapfix lsp`` says so when they are missing.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import difflib
import logging
import re
import sys
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from gomapfix import __version__
from gomapfix.analysis import FileAnalysis, analyze_directory
from gomapfix.apply import ConvergenceError, fix_to_convergence
from gomapfix.config import Config, ConfigError, find_config, load_config
from gomapfix.discover import PackageDir, _excluded
from gomapfix.finding import Finding
from gomapfix.fix import Applicability, Fix
from gomapfix.parse import ParsedFile
from gomapfix.parsecache import ParseCache, install_parse_cache
from gomapfix.runner import FileResult, RunOptions, Status, run_package
from gomapfix.source import SourceText

NAME = "gomapfix"
FIX_ALL_KIND = "source.fixAll.gomapfix"
DEFAULT_DEBOUNCE_MS = 150
UTF8, UTF16 = lsp.PositionEncodingKind.Utf8.value, lsp.PositionEncodingKind.Utf16.value
_STATEMENT_PARENTS = frozenset({"statement_list", "source_file"})
_REASON_PLACEHOLDER = "TODO: reason"
_BLOCK_COMMENT = re.compile(rb"/\*.*?\*/", re.DOTALL)

log = logging.getLogger(__name__)


# --- positions ---------------------------------------------------------------------------


class Text:
    """A file's bytes with a line index: byte offsets to and from LSP positions.

    ``encoding`` is the negotiated position encoding: UTF-16 code units (the LSP
    default), UTF-8 bytes or UTF-32 code points. Lines end at ``\\n`` (a ``\\r`` before
    it belongs to the line, and no position the engine reports points between them).
    """

    def __init__(self, path: str, data: bytes, encoding: str = "utf-16") -> None:
        self.path = path
        self.data = data
        self.encoding = encoding
        self.source = SourceText(path, data)

    def position(self, offset: int) -> lsp.Position:
        offset = max(0, min(offset, len(self.data)))
        if self.encoding == UTF16:
            line, character = self.source.lsp_position(offset)
            return lsp.Position(line=line, character=character)
        starts = self.source.line_starts
        line = bisect.bisect_right(starts, offset) - 1
        if self.encoding == UTF8:
            return lsp.Position(line=line, character=offset - starts[line])
        prefix = self.data[starts[line] : offset].decode("utf-8", "replace")
        return lsp.Position(line=line, character=len(prefix))

    def range(self, start: int, end: int) -> lsp.Range:
        return lsp.Range(start=self.position(start), end=self.position(end))

    def offset(self, position: lsp.Position) -> int:
        """The byte offset of an LSP position (clamped to the line, as LSP asks)."""
        starts = self.source.line_starts
        if position.line >= len(starts):
            return len(self.data)
        start = starts[position.line]
        end = starts[position.line + 1] - 1 if position.line + 1 < len(starts) else len(self.data)
        if end > start and self.data[end - 1 : end] == b"\r":
            end -= 1
        wanted = max(0, position.character)
        if self.encoding == UTF8:
            return min(start + wanted, end)
        line = self.data[start:end].decode("utf-8", "replace")
        units = 0
        for index, char in enumerate(line):
            if units >= wanted:
                return start + len(line[:index].encode("utf-8"))
            step = 2 if ord(char) > 0xFFFF and self.encoding == UTF16 else 1
            units += step
        return end


# --- settings (configuration files) ------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    """The run options in force for a directory, from its configuration file."""

    options: RunOptions | None
    stamp: tuple[Any, ...]
    """Identifies the configuration file's version (path, mtime, size)."""
    config: Config = field(default_factory=Config)
    error: str | None = None


def run_options(config: Config) -> RunOptions:
    """The options `gomapfix check` would use with this configuration (no cache, in-process)."""
    from gomapfix import cli

    parser = cli.build_parser(pr_arguments=False)
    args = parser.parse_args(["check", "--no-cache", "--jobs", "1", "--quiet"])
    return cli._options(args, config)


class SettingsCache:
    def __init__(self) -> None:
        self._by_stamp: dict[tuple[Any, ...], Settings] = {}

    def clear(self) -> None:
        self._by_stamp.clear()

    def for_directory(self, directory: Path) -> Settings:
        found = find_config(directory) if directory.is_dir() else None
        stamp: tuple[Any, ...] = (None,)
        if found is not None:
            try:
                st = found.stat()
                stamp = (str(found), st.st_mtime_ns, st.st_size)
            except OSError:
                stamp = (str(found),)
        cached = self._by_stamp.get(stamp)
        if cached is not None:
            return cached
        settings = self._load(found, stamp)
        self._by_stamp[stamp] = settings
        return settings

    @staticmethod
    def _load(found: Path | None, stamp: tuple[Any, ...]) -> Settings:
        from gomapfix.cli import UsageError
        from gomapfix.registry import UnknownRuleError

        try:
            config = load_config(found) if found is not None else Config()
            return Settings(run_options(config), stamp, config)
        except (ConfigError, UsageError, UnknownRuleError) as exc:
            where = f"{found}: " if found is not None and str(found) not in str(exc) else ""
            return Settings(None, stamp, error=f"gomapfix: {where}{exc}")


def excluded(path: Path, options: RunOptions) -> bool:
    """Whether the configuration's ``exclude`` leaves the file out (as discovery would)."""
    return _excluded(path, options.discovery)


# --- one analysis of a package -----------------------------------------------------------


@dataclass(frozen=True)
class OpenDoc:
    uri: str
    path: Path
    version: int | None
    data: bytes


@dataclass
class Analysis:
    """The results for the open files of one package directory, at given versions."""

    directory: Path
    key: tuple[Any, ...]
    docs: dict[str, OpenDoc]
    """By URI: the open documents analysed (their versions and texts)."""
    texts: dict[str, bytes]
    """Every file of the package as analysed, by path."""
    results: dict[str, FileResult]
    """By path, for the open documents."""
    settings: Settings
    encoding: str
    diagnostics: dict[str, list[lsp.Diagnostic]] = field(default_factory=dict)
    """By URI."""
    messages: list[tuple[lsp.MessageType, str]] = field(default_factory=list)
    _texts: dict[str, Text] = field(default_factory=dict)

    def text(self, path: str) -> Text | None:
        """A file's text as analysed (or from disk, for a file outside the package)."""
        if path not in self._texts:
            data = self.texts.get(path)
            if data is None:
                try:
                    data = Path(path).read_bytes()
                except OSError:
                    return None
            self._texts[path] = Text(path, data, self.encoding)
        return self._texts[path]

    def doc_for(self, uri: str) -> OpenDoc | None:
        return self.docs.get(uri)

    def findings(self, uri: str) -> list[Finding]:
        doc = self.docs.get(uri)
        if doc is None:
            return []
        result = self.results.get(str(doc.path))
        return list(result.findings) if result is not None else []


def uri_for(path: str) -> str:
    return from_fs_path(path) or Path(path).absolute().as_uri()


def package_texts(directory: Path, docs: dict[str, OpenDoc]) -> dict[str, bytes]:
    """Every Go file of ``directory`` by path: open buffers, else the text on disk."""
    texts: dict[str, bytes] = {}
    open_paths = {doc.path: doc for doc in docs.values()}
    try:
        on_disk = sorted(p for p in directory.glob("*.go") if p.is_file())
    except OSError:
        on_disk = []
    for file in on_disk:
        if file in open_paths:
            continue
        try:
            texts[str(file)] = file.read_bytes()
        except OSError:
            continue
    for doc in docs.values():
        texts[str(doc.path)] = doc.data
    return texts


def analyse(
    directory: Path,
    docs: dict[str, OpenDoc],
    settings: Settings,
    encoding: str,
    texts: dict[str, bytes] | None = None,
) -> Analysis:
    """Analyse the open documents of ``directory`` (run in the worker thread)."""
    key = analysis_key(docs, settings)
    if texts is None:
        texts = package_texts(directory, docs)
    analysis = Analysis(directory, key, docs, texts, {}, settings, encoding)
    options = settings.options
    if options is None:
        return analysis
    targets = frozenset(
        doc.path
        for doc in docs.values()
        if doc.path.suffix == ".go" and not excluded(doc.path, options)
    )
    if targets:
        package = PackageDir(directory, tuple(sorted(Path(p) for p in texts)), targets)
        overrides = {Path(p): data for p, data in texts.items()}
        for file_result in run_package(package, options, overrides):
            analysis.results[file_result.path] = file_result
    for uri, doc in docs.items():
        result = analysis.results.get(str(doc.path))
        analysis.diagnostics[uri] = (
            [diagnostic(f, analysis) for f in result.findings] if result is not None else []
        )
        if result is not None and result.status is Status.FAILED:
            analysis.messages.append(
                (lsp.MessageType.Error, f"gomapfix failed on {doc.path}: {result.reason}")
            )
        if result is not None:
            for note in result.notes:
                analysis.messages.append((lsp.MessageType.Log, f"{doc.path}: {note}"))
    return analysis


def analysis_key(docs: dict[str, OpenDoc], settings: Settings) -> tuple[Any, ...]:
    return (tuple(sorted((uri, d.version) for uri, d in docs.items())), settings.stamp)


def _module_files_stamp(directory: Path) -> tuple[tuple[str, int, int], ...]:
    """go.mod and go.work files from ``directory`` up (the Go version in force comes
    from them), by path, modification time and size."""
    stamp = []
    for folder in (directory, *directory.parents):
        for name in ("go.mod", "go.work"):
            try:
                st = (folder / name).stat()
            except OSError:
                continue
            stamp.append((str(folder / name), st.st_mtime_ns, st.st_size))
    return tuple(stamp)


class AnalysisMemo:
    """Analyses by content: the package's texts, the open documents, the configuration
    and the go.mod/go.work files in force. Saving a buffer, or undoing back to a text
    analysed a moment ago, costs no analysis; any edit to a file of the package (open
    or on disk) makes a new key. Used from the worker thread only."""

    def __init__(self, size: int = 8) -> None:
        self._size = size
        self._entries: OrderedDict[tuple[Any, ...], Analysis] = OrderedDict()
        self.hits = 0

    def clear(self) -> None:
        self._entries.clear()

    def analyse(
        self, directory: Path, docs: dict[str, OpenDoc], settings: Settings, encoding: str
    ) -> Analysis:
        texts = package_texts(directory, docs)
        key = (
            str(directory),
            encoding,
            settings.stamp,
            _module_files_stamp(directory),
            tuple(sorted((uri, str(doc.path)) for uri, doc in docs.items())),
            tuple(sorted(texts.items())),
        )
        found = self._entries.get(key)
        if found is not None:
            self.hits += 1
            self._entries.move_to_end(key)
            # The same results, for the documents' current versions; messages were given.
            return replace(found, key=analysis_key(docs, settings), docs=docs, messages=[])
        analysis = analyse(directory, docs, settings, encoding, texts)
        self._entries[key] = analysis
        while len(self._entries) > self._size:
            self._entries.popitem(last=False)
        return analysis


def diagnostic(finding: Finding, analysis: Analysis) -> lsp.Diagnostic:
    loc = finding.location
    text = analysis.text(loc.path)
    assert text is not None  # the file was analysed
    related = []
    for r in finding.related:
        other = analysis.text(r.location.path)
        if other is None:
            continue
        related.append(
            lsp.DiagnosticRelatedInformation(
                location=lsp.Location(
                    uri=uri_for(r.location.path),
                    range=other.range(r.location.start, r.location.end),
                ),
                message=r.message,
            )
        )
    fix = finding.fix
    data: dict[str, Any] = {"name": finding.name, "start": loc.start, "end": loc.end}
    if fix is not None:
        data["fix"] = {"title": fix.title, "applicability": fix.applicability.value}
        if fix.note:
            data["fix"]["note"] = fix.note
    return lsp.Diagnostic(
        range=text.range(loc.start, loc.end),
        message=finding.message,
        severity=lsp.DiagnosticSeverity.Warning,
        code=finding.code,
        source=NAME,
        related_information=related or None,
        tags=[lsp.DiagnosticTag.Unnecessary] if finding.code == "GMF900" else None,
        data=data,
    )


# --- edits -------------------------------------------------------------------------------


def applicable(fix: Fix | None, unsafe_fixes: bool) -> bool:
    return fix is not None and bool(fix.edits) and fix.applicability.applies(unsafe_fixes)


@dataclass
class EditBuilder:
    """Collects byte-range edits per file and turns them into an LSP WorkspaceEdit."""

    analysis: Analysis
    document_changes: bool
    create_files: bool
    edits: dict[str, list[tuple[int, int, bytes]]] = field(default_factory=dict)

    def add(self, path: str, start: int, end: int, text: bytes) -> None:
        self.edits.setdefault(path, []).append((start, end, text))

    def add_diff(self, path: str, old: bytes, new: bytes) -> None:
        """Line-level edits that turn ``old`` into ``new`` (small edits keep cursors)."""
        a = old.splitlines(keepends=True)
        b = new.splitlines(keepends=True)
        starts = [0]
        for line in a:
            starts.append(starts[-1] + len(line))
        matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag != "equal":
                self.add(path, starts[i1], starts[i2], b"".join(b[j1:j2]))

    def build(self) -> lsp.WorkspaceEdit | None:
        versions = {str(d.path): d.version for d in self.analysis.docs.values()}
        changes: dict[str, list[lsp.TextEdit]] = {}
        created: list[str] = []
        for path, edits in sorted(self.edits.items()):
            text = self.analysis.text(path)
            if text is None:  # a file the fix creates
                if not self.create_files:
                    return None
                created.append(path)
                text = Text(path, b"", self.analysis.encoding)
            uri = uri_for(path)
            changes[uri] = [
                lsp.TextEdit(range=text.range(s, e), new_text=t.decode("utf-8", "replace"))
                for s, e, t in sorted(edits)
            ]
        if not changes:
            return None
        if not self.document_changes:
            return lsp.WorkspaceEdit(changes=changes)
        operations: list[lsp.TextDocumentEdit | lsp.CreateFile] = [
            lsp.CreateFile(uri=uri_for(p), options=lsp.CreateFileOptions(ignore_if_exists=True))
            for p in created
        ]
        for path in sorted(self.edits):
            uri = uri_for(path)
            operations.append(
                lsp.TextDocumentEdit(
                    text_document=lsp.OptionalVersionedTextDocumentIdentifier(
                        uri=uri, version=versions.get(path)
                    ),
                    edits=list(changes[uri]),
                )
            )
        return lsp.WorkspaceEdit(document_changes=operations)


def ignore_insertion(text: Text, parsed: ParsedFile, finding: Finding) -> tuple[int, bytes] | None:
    """Where and what to insert to suppress ``finding``: a directive above its statement.

    A directive on its own line covers the whole next statement, so it goes above the
    statement holding the finding, with the statement's indentation.
    """
    start = finding.location.start
    node = parsed.root.descendant_for_byte_range(start, start)
    while node is not None and (node.parent is None or node.parent.type not in _STATEMENT_PARENTS):
        node = node.parent
    if node is None or node.parent is None:
        return None
    source = text.source
    line_start = source.line_start(node.start_byte)
    directive = f"//gomapfix:ignore {finding.code} {_REASON_PLACEHOLDER}"
    if _BLOCK_COMMENT.sub(b"", text.data[line_start : node.start_byte]).strip():
        # The statement shares its line (a one-line block): a trailing directive, unless
        # the line already ends in a comment.
        line_end = source.line_end(start)
        body = text.data[line_start:line_end].rstrip(b"\r\n")
        if b"//" in body:
            return None
        return line_start + len(body), f" {directive}".encode()
    indent = source.indent_at(node.start_byte).decode("utf-8", "replace")
    newline = "\r\n" if text.data[line_start:].split(b"\n", 1)[0].endswith(b"\r") else "\n"
    return line_start, f"{indent}{directive}{newline}".encode()


def fix_all(analysis: Analysis, path: str, options: RunOptions) -> dict[str, bytes]:
    """The texts the engine's fix loop makes of the package, fixing findings of ``path``.

    This is what `gomapfix fix` does for one file, on the buffers as analysed; fixes may
    edit other files of the package (a mutex declared beside the map), so every changed
    file comes back, not only ``path``.
    """
    texts = dict(analysis.texts)

    def analyze(current: dict[str, bytes]) -> dict[str, FileAnalysis]:
        return analyze_directory(analysis.directory, current, [path], options.analysis)

    outcome = fix_to_convergence(texts, analyze, options.unsafe_fixes, str(analysis.directory))
    return {p: t for p, t in outcome.texts.items() if texts.get(p) != t}


# --- the server --------------------------------------------------------------------------


@dataclass
class _Pending:
    timer: asyncio.TimerHandle | None = None
    task: asyncio.Task[None] | None = None
    dirty: bool = False


class GomapfixServer:
    """State and handlers; pygls calls the handlers on its event loop.

    Analyses run one at a time on a worker thread (the engine is CPU-bound and its
    parse trees are not shared across threads), so that the loop keeps reading
    messages: a change that arrives while an analysis runs makes the next one.
    """

    def __init__(self, debounce_ms: int = DEFAULT_DEBOUNCE_MS) -> None:
        self.server = LanguageServer(
            NAME, __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Full
        )
        self.debounce = debounce_ms / 1000
        self.docs: dict[str, Path] = {}
        """Open Go documents: URI -> path."""
        self.analyses: dict[Path, Analysis] = {}
        self.inflight: dict[Path, tuple[tuple[Any, ...], asyncio.Future[Analysis]]] = {}
        self.pending: dict[Path, _Pending] = {}
        self.settings = SettingsCache()
        self.shown_errors: set[str] = set()
        self.shutdown_requested = False
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gomapfix-analysis")
        self.parse_cache = install_parse_cache()
        self.memo = AnalysisMemo()
        self._register()

    # -- plumbing

    def _register(self) -> None:
        ls = self.server

        @ls.feature(lsp.INITIALIZE)
        def initialize(params: lsp.InitializeParams) -> None:
            options = params.initialization_options
            if isinstance(options, dict):
                value = options.get("debounceMs")
                if isinstance(value, int | float) and value >= 0:
                    self.debounce = value / 1000

        @ls.feature(lsp.INITIALIZED)
        def initialized(params: lsp.InitializedParams) -> None:
            self._watch_files()

        @ls.feature(lsp.SHUTDOWN)
        def shutdown(params: None) -> None:
            self.shutdown_requested = True
            for pending in self.pending.values():
                if pending.timer is not None:
                    pending.timer.cancel()
            self.worker.shutdown(wait=False, cancel_futures=True)

        @ls.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
        async def did_open(params: lsp.DidOpenTextDocumentParams) -> None:
            path = _go_path(params.text_document.uri)
            if path is None:
                return
            self.docs[params.text_document.uri] = path
            self._schedule(path.parent, 0)

        @ls.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
        async def did_change(params: lsp.DidChangeTextDocumentParams) -> None:
            path = self.docs.get(params.text_document.uri)
            if path is not None:
                self._schedule(path.parent, self.debounce)

        @ls.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
        async def did_save(params: lsp.DidSaveTextDocumentParams) -> None:
            path = self.docs.get(params.text_document.uri)
            if path is not None:
                # Siblings may have changed on disk too (a formatter, git): analyse anew.
                self.analyses.pop(path.parent, None)
                self._schedule(path.parent, 0)

        @ls.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
        async def did_close(params: lsp.DidCloseTextDocumentParams) -> None:
            uri = params.text_document.uri
            path = self.docs.pop(uri, None)
            if path is None:
                return
            ls.text_document_publish_diagnostics(
                lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[])
            )
            if any(p.parent == path.parent for p in self.docs.values()):
                self._schedule(path.parent, 0)  # its disk text now stands in for the buffer
            else:  # the package's last open file: forget it
                self.analyses.pop(path.parent, None)
                pending = self.pending.pop(path.parent, None)
                if pending is not None and pending.timer is not None:
                    pending.timer.cancel()

        @ls.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
        async def did_change_watched_files(params: lsp.DidChangeWatchedFilesParams) -> None:
            self._invalidate({p for c in params.changes if (p := _fs_path(c.uri)) is not None})

        @ls.feature(lsp.WORKSPACE_DID_CHANGE_CONFIGURATION)
        async def did_change_configuration(params: lsp.DidChangeConfigurationParams) -> None:
            self._invalidate(None)

        @ls.feature(
            lsp.TEXT_DOCUMENT_CODE_ACTION,
            lsp.CodeActionOptions(
                code_action_kinds=[lsp.CodeActionKind.QuickFix, FIX_ALL_KIND],
                resolve_provider=True,
            ),
        )
        async def code_action(params: lsp.CodeActionParams) -> list[lsp.CodeAction] | None:
            return await self.code_actions(params)

        @ls.feature(lsp.CODE_ACTION_RESOLVE)
        async def code_action_resolve(params: lsp.CodeAction) -> lsp.CodeAction:
            return await self.resolve(params)

    def _watch_files(self) -> None:
        caps = self.server.client_capabilities
        workspace = caps.workspace
        watched = workspace.did_change_watched_files if workspace is not None else None
        if watched is None or not watched.dynamic_registration:
            return
        globs = ["**/*.go", "**/go.mod", "**/go.work", "**/gomapfix.toml", "**/.gomapfix.toml"]
        self.server.client_register_capability(
            lsp.RegistrationParams(
                registrations=[
                    lsp.Registration(
                        id="gomapfix-watched-files",
                        method=lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                        register_options=lsp.DidChangeWatchedFilesRegistrationOptions(
                            watchers=[lsp.FileSystemWatcher(glob_pattern=g) for g in globs]
                        ),
                    )
                ]
            )
        )

    def _invalidate(self, paths: set[Path] | None) -> None:
        """Forget analyses touched by changes on disk (all of them for config or go.mod)."""
        everything = paths is None or any(p.suffix != ".go" for p in paths)
        if everything:
            self.settings.clear()
            self.shown_errors.clear()
            self.analyses.clear()
            with contextlib.suppress(RuntimeError):  # shut down
                self.worker.submit(self.memo.clear)  # in order with the analyses
        else:
            assert paths is not None
            for p in paths:
                self.analyses.pop(p.parent, None)
        for directory in {p.parent for p in self.docs.values()}:
            if everything or any(p.parent == directory for p in paths or ()):
                self._schedule(directory, 0)

    @property
    def encoding(self) -> str:
        """The negotiated position encoding: "utf-16" (the default), "utf-8" or "utf-32"."""
        kind = self.server.workspace.position_encoding or lsp.PositionEncodingKind.Utf16
        return str(getattr(kind, "value", kind))

    def _snapshot(self, directory: Path) -> dict[str, OpenDoc]:
        docs: dict[str, OpenDoc] = {}
        for uri, path in self.docs.items():
            if path.parent != directory:
                continue
            document = self.server.workspace.get_text_document(uri)
            data = document.source.encode("utf-8", "surrogatepass")
            docs[uri] = OpenDoc(uri, path, document.version, data)
        return docs

    def _current_versions(self, directory: Path) -> dict[str, int | None]:
        return {
            uri: self.server.workspace.get_text_document(uri).version
            for uri, path in self.docs.items()
            if path.parent == directory
        }

    # -- analysis and diagnostics

    def _schedule(self, directory: Path, delay: float) -> None:
        pending = self.pending.setdefault(directory, _Pending())
        if pending.timer is not None:
            pending.timer.cancel()
        loop = asyncio.get_running_loop()
        pending.timer = loop.call_later(delay, self._kick, directory)

    def _kick(self, directory: Path) -> None:
        pending = self.pending.setdefault(directory, _Pending())
        pending.timer = None
        pending.dirty = True
        if pending.task is None or pending.task.done():
            pending.task = asyncio.ensure_future(self._drain(directory))

    async def _drain(self, directory: Path) -> None:
        pending = self.pending[directory]
        while pending.dirty and not self.shutdown_requested:
            pending.dirty = False
            try:
                analysis = await self.ensure(directory)
            except Exception as exc:  # never let one bad buffer take the server down
                log.exception("analysis failed")
                self._message(lsp.MessageType.Error, f"gomapfix: analysis failed: {exc!r}")
                continue
            self._publish(analysis)

    async def ensure(self, directory: Path) -> Analysis:
        """The analysis of ``directory`` at the current versions of its open documents."""
        docs = self._snapshot(directory)
        settings = self.settings.for_directory(directory)
        key = analysis_key(docs, settings)
        cached = self.analyses.get(directory)
        if cached is not None and cached.key == key:
            return cached
        inflight = self.inflight.get(directory)
        if inflight is not None and inflight[0] == key:
            return await asyncio.shield(inflight[1])
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(
            self.worker, self.memo.analyse, directory, docs, settings, self.encoding
        )
        self.inflight[directory] = (key, future)
        # Stored when done even if the request that asked for it was cancelled meanwhile.
        future.add_done_callback(lambda f: self._analysed(directory, f))
        return await asyncio.shield(future)

    def _analysed(self, directory: Path, future: asyncio.Future[Analysis]) -> None:
        if self.inflight.get(directory, (None, None))[1] is future:
            del self.inflight[directory]
        if future.cancelled() or future.exception() is not None:
            return
        analysis = future.result()
        # One worker runs the analyses in the order of their snapshots: the last done is
        # the newest.
        self.analyses[directory] = analysis
        error = analysis.settings.error
        if error is not None and error not in self.shown_errors:
            self.shown_errors.add(error)
            self.server.window_show_message(
                lsp.ShowMessageParams(type=lsp.MessageType.Error, message=error)
            )
        for kind, message in analysis.messages:
            self._message(kind, message)
        analysis.messages.clear()

    def _publish(self, analysis: Analysis) -> None:
        current = self._current_versions(analysis.directory)
        for uri, doc in analysis.docs.items():
            if uri not in current or current[uri] != doc.version:
                continue  # a newer version is on its way: latest wins
            self.server.text_document_publish_diagnostics(
                lsp.PublishDiagnosticsParams(
                    uri=uri, diagnostics=analysis.diagnostics.get(uri, []), version=doc.version
                )
            )

    def _message(self, kind: lsp.MessageType, message: str) -> None:
        self.server.window_log_message(lsp.LogMessageParams(type=kind, message=message))

    async def _analysis_for(self, uri: str) -> tuple[Analysis, OpenDoc] | None:
        path = self.docs.get(uri)
        if path is None:
            return None
        analysis = await self.ensure(path.parent)
        doc = analysis.doc_for(uri)
        return (analysis, doc) if doc is not None else None

    # -- code actions

    def _client_supports_resolve(self) -> bool:
        caps = self.server.client_capabilities.text_document
        action = caps.code_action if caps is not None else None
        support = action.resolve_support if action is not None else None
        return support is not None and "edit" in support.properties

    def _edit_builder(self, analysis: Analysis) -> EditBuilder:
        workspace = self.server.client_capabilities.workspace
        edit_caps = workspace.workspace_edit if workspace is not None else None
        document_changes = bool(edit_caps and edit_caps.document_changes)
        operations = (edit_caps.resource_operations or []) if edit_caps is not None else []
        create = document_changes and lsp.ResourceOperationKind.Create in operations
        return EditBuilder(analysis, document_changes, create)

    async def code_actions(self, params: lsp.CodeActionParams) -> list[lsp.CodeAction] | None:
        uri = params.text_document.uri
        found = await self._analysis_for(uri)
        if found is None:
            return None
        analysis, doc = found
        text = analysis.text(str(doc.path))
        options = analysis.settings.options
        if text is None or options is None:
            return None
        start, end = text.offset(params.range.start), text.offset(params.range.end)
        only = params.context.only
        unsafe_fixes = options.unsafe_fixes
        diagnostics = dict(
            zip(
                [_finding_key(f) for f in analysis.findings(uri)],
                analysis.diagnostics.get(uri, []),
                strict=True,
            )
        )
        actions: list[lsp.CodeAction] = []
        findings = analysis.findings(uri)
        if _wants(only, lsp.CodeActionKind.QuickFix):
            for f in findings:
                if not (f.location.start <= end and start <= f.location.end):
                    continue
                diag = diagnostics[_finding_key(f)]
                data = {"uri": uri, "version": doc.version, "code": f.code}
                data.update(start=f.location.start, end=f.location.end)
                fix = f.fix
                if (
                    fix is not None
                    and fix.edits
                    and fix.applicability is not Applicability.DISPLAY_ONLY
                ):
                    safe = fix.applicability is Applicability.SAFE
                    title = (
                        f"{fix.title} ({f.code})" if safe else f"{fix.title} ({f.code}, unsafe fix)"
                    )
                    actions.append(
                        lsp.CodeAction(
                            title=title,
                            kind=lsp.CodeActionKind.QuickFix,
                            diagnostics=[diag],
                            is_preferred=safe,
                            data={**data, "action": "fix"},
                        )
                    )
                if not f.code.startswith("GMF9"):
                    actions.append(
                        lsp.CodeAction(
                            title=f"Ignore {f.code} for this line",
                            kind=lsp.CodeActionKind.QuickFix,
                            diagnostics=[diag],
                            data={**data, "action": "ignore"},
                        )
                    )
        if _wants(only, FIX_ALL_KIND) and any(applicable(f.fix, unsafe_fixes) for f in findings):
            actions.append(
                lsp.CodeAction(
                    title="gomapfix: fix all" + (" (safe fixes)" if not unsafe_fixes else ""),
                    kind=FIX_ALL_KIND,
                    data={"uri": uri, "version": doc.version, "action": "fixAll"},
                )
            )
        if not self._client_supports_resolve():
            actions = [await self.resolve(a) for a in actions]
        return actions

    async def resolve(self, action: lsp.CodeAction) -> lsp.CodeAction:
        data = action.data if isinstance(action.data, dict) else {}
        uri = data.get("uri")
        if not isinstance(uri, str):
            return action
        found = await self._analysis_for(uri)
        if found is None:
            return action
        analysis, doc = found
        if doc.version != data.get("version"):
            return action  # the document changed since: the client asks again
        kind = data.get("action")
        builder = self._edit_builder(analysis)
        loop = asyncio.get_running_loop()
        if kind == "fixAll":
            options = analysis.settings.options
            if options is None:
                return action
            try:
                changed = await loop.run_in_executor(
                    self.worker, fix_all, analysis, str(doc.path), replace(options, fix=True)
                )
            except ConvergenceError as exc:
                self._message(lsp.MessageType.Warning, f"gomapfix: {doc.path}: {exc}")
                return action
            for path, new in changed.items():
                builder.add_diff(path, analysis.texts.get(path, b""), new)
        else:
            finding = next(
                (
                    f
                    for f in analysis.findings(uri)
                    if (f.code, f.location.start, f.location.end)
                    == (data.get("code"), data.get("start"), data.get("end"))
                ),
                None,
            )
            if finding is None:
                return action
            if kind == "fix" and finding.fix is not None:
                for e in finding.fix.edits:
                    builder.add(e.path, e.start, e.end, e.text)
            elif kind == "ignore":
                insertion = await loop.run_in_executor(
                    self.worker,
                    _ignore_insertion,
                    self.parse_cache,
                    analysis,
                    str(doc.path),
                    finding,
                )
                if insertion is None:
                    return action
                builder.add(str(doc.path), insertion[0], insertion[0], insertion[1])
        action.edit = builder.build()
        return action


def _ignore_insertion(
    parse: ParseCache, analysis: Analysis, path: str, finding: Finding
) -> tuple[int, bytes] | None:
    text = analysis.text(path)
    if text is None:
        return None
    parsed = parse(SourceText(path, text.data))
    return ignore_insertion(text, parsed, finding)


def _finding_key(f: Finding) -> tuple[str, int, int, str]:
    return (f.code, f.location.start, f.location.end, f.message)


def _wants(only: Sequence[str] | None, kind: str) -> bool:
    """Whether ``kind`` passes a code action request's ``only`` filter (a kind prefix)."""
    if not only:
        return True
    return any(kind == k or kind.startswith(f"{k}.") for k in only)


def _fs_path(uri: str) -> Path | None:
    if not uri.startswith("file:"):
        return None
    path = to_fs_path(uri)
    return Path(path) if path else None


def _go_path(uri: str) -> Path | None:
    path = _fs_path(uri)
    return path if path is not None and path.suffix == ".go" else None


def serve() -> int:
    """Run the server on stdin/stdout until the client says exit (0 after shutdown)."""
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    server = GomapfixServer()
    server.server.start_io()
    return 0 if server.shutdown_requested else 1


if __name__ == "__main__":
    raise SystemExit(serve())
