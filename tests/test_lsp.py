"""The language server (`gomapfix lsp`), driven over stdio by pygls's own client.

One server runs for most tests (started once: its imports take a while on a loaded
machine); it is given two workspace folders with different configuration files. A second
server checks a client that offers UTF-8 positions and cannot resolve code actions, and
the shutdown/exit handshake. Every wait has a generous timeout.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import Future
from pathlib import Path
from typing import Any, TypeVar

import pytest

pytest.importorskip("pygls")

from lsprotocol import types as lsp
from pygls.lsp.client import LanguageClient

from gomapfix.lsp import FIX_ALL_KIND, Text

T = TypeVar("T")
TIMEOUT = 90.0
GO_MOD = "module x\n\ngo 1.24\n"
GUARD = (
    "package p\n\nfunc drop(m map[string]int, k string) {\n"
    "\tif m != nil {\n\t\tdelete(m, k)\n\t}\n}\n"
)
REKEY = (
    "package p\n\nfunc rekey(m map[string]int) {\n"
    '\tfor k, v := range m {\n\t\tm[k+"x"] = v\n\t}\n}\n'
)
FIXED = "package p\n\nfunc drop(m map[string]int, k string) {\n\tdelete(m, k)\n}\n"


class Session:
    """A pygls LanguageClient on an event loop of its own thread, with blocking helpers."""

    def __init__(
        self,
        folders: list[Path],
        capabilities: lsp.ClientCapabilities,
        initialization_options: Any = None,
    ) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.client = LanguageClient("gomapfix-tests", "0")
        self.published: list[lsp.PublishDiagnosticsParams] = []
        self.logs: list[str] = []
        self.stderr = bytearray()
        self.changed = threading.Condition()
        self.versions: dict[str, int] = {}

        @self.client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def diagnostics(params: lsp.PublishDiagnosticsParams) -> None:
            with self.changed:
                self.published.append(params)
                self.changed.notify_all()

        @self.client.feature(lsp.WINDOW_LOG_MESSAGE)
        def log_message(params: lsp.LogMessageParams) -> None:
            self.logs.append(params.message)

        @self.client.feature(lsp.WINDOW_SHOW_MESSAGE)
        def show_message(params: lsp.ShowMessageParams) -> None:
            self.logs.append(params.message)

        @self.client.feature(lsp.CLIENT_REGISTER_CAPABILITY)
        def register(params: lsp.RegistrationParams) -> None:
            return None

        self.run(self._start(folders, capabilities, initialization_options))

    async def _start(
        self,
        folders: list[Path],
        capabilities: lsp.ClientCapabilities,
        initialization_options: Any,
    ) -> None:
        await self.client.start_io(sys.executable, "-m", "gomapfix", "lsp")
        process = self.client._server
        assert process is not None and process.stderr is not None
        stderr = process.stderr

        async def drain() -> None:  # a full stderr pipe would block the server
            while chunk := await stderr.read(65536):
                self.stderr.extend(chunk)

        self.drain = asyncio.ensure_future(drain())
        self.initialize_result = await self.client.initialize_async(
            lsp.InitializeParams(
                capabilities=capabilities,
                process_id=None,
                root_uri=folders[0].as_uri(),
                workspace_folders=[
                    lsp.WorkspaceFolder(uri=f.as_uri(), name=f.name) for f in folders
                ],
                initialization_options=initialization_options,
            )
        )
        self.client.initialized(lsp.InitializedParams())

    def run(self, coro: Coroutine[Any, Any, T], timeout: float = TIMEOUT) -> T:
        future: Future[T] = asyncio.run_coroutine_threadsafe(coro, self.loop)
        return future.result(timeout)

    def call(self, fn: Callable[[], Any]) -> None:
        """A notification, sent from the loop's thread."""

        async def send() -> None:
            fn()

        self.run(send())

    # -- documents

    def open(self, path: Path, text: str) -> str:
        uri = path.as_uri()
        self.versions[uri] = 1
        item = lsp.TextDocumentItem(uri=uri, language_id="go", version=1, text=text)
        self.call(
            lambda: self.client.text_document_did_open(
                lsp.DidOpenTextDocumentParams(text_document=item)
            )
        )
        return uri

    def change(self, uri: str, text: str) -> int:
        self.versions[uri] += 1
        version = self.versions[uri]
        self.call(
            lambda: self.client.text_document_did_change(
                lsp.DidChangeTextDocumentParams(
                    text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
                    content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=text)],
                )
            )
        )
        return version

    def close(self, uri: str) -> None:
        self.call(
            lambda: self.client.text_document_did_close(
                lsp.DidCloseTextDocumentParams(text_document=lsp.TextDocumentIdentifier(uri=uri))
            )
        )

    def diagnostics(self, uri: str, version: int | None = None) -> list[lsp.Diagnostic]:
        """The diagnostics published for ``uri`` at ``version`` (default: its latest)."""
        wanted = self.versions.get(uri) if version is None else version

        def found() -> lsp.PublishDiagnosticsParams | None:
            for params in reversed(self.published):
                if params.uri == uri and (wanted is None or params.version == wanted):
                    return params
            return None

        with self.changed:
            ok = self.changed.wait_for(lambda: found() is not None, TIMEOUT)
        assert ok, f"no diagnostics for {uri} v{wanted}; stderr: {self.stderr.decode()}"
        params = found()
        assert params is not None
        return list(params.diagnostics)

    # -- code actions

    def code_actions(
        self,
        uri: str,
        at: lsp.Range,
        only: list[str] | None = None,
    ) -> list[lsp.CodeAction]:
        params = lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            range=at,
            context=lsp.CodeActionContext(diagnostics=[], only=only),
        )
        result = self.run(self.client.text_document_code_action_async(params))
        return [a for a in result or [] if isinstance(a, lsp.CodeAction)]

    def resolve(self, action: lsp.CodeAction) -> lsp.CodeAction:
        return self.run(self.client.code_action_resolve_async(action))

    def stop(self) -> int:
        async def stop() -> int:
            await self.client.shutdown_async(None)
            self.client.exit(None)
            process = self.client._server
            assert process is not None
            code = await asyncio.wait_for(process.wait(), TIMEOUT)
            await asyncio.wait_for(self.drain, TIMEOUT)
            await self.client.stop()
            return code

        try:
            return self.run(stop())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(TIMEOUT)


def apply(text: str, edit: lsp.WorkspaceEdit | None, uri: str, encoding: str = "utf-16") -> str:
    """Apply the edits a WorkspaceEdit makes to ``uri`` to its text, as an editor does."""
    assert edit is not None
    edits: list[lsp.TextEdit] = []
    for change in edit.document_changes or []:
        assert isinstance(change, lsp.TextDocumentEdit)
        if change.text_document.uri == uri:
            edits.extend(e for e in change.edits if isinstance(e, lsp.TextEdit))
    for u, changes in (edit.changes or {}).items():
        if u == uri:
            edits.extend(changes)
    assert edits, f"no edit for {uri}"
    data = text.encode()
    positions = Text("buffer", data, encoding)
    spans = sorted(
        (
            (positions.offset(e.range.start), positions.offset(e.range.end), e.new_text)
            for e in edits
        ),
        reverse=True,
    )
    for start, end, new in spans:
        data = data[:start] + new.encode() + data[end:]
    return data.decode()


def whole(text: str) -> lsp.Range:
    lines = text.count("\n")
    return lsp.Range(
        start=lsp.Position(line=0, character=0), end=lsp.Position(line=lines, character=0)
    )


def package(root: Path, name: str, files: dict[str, str], config: str | None = None) -> Path:
    folder = root / name
    folder.mkdir()
    (folder / "go.mod").write_text(GO_MOD)
    if config is not None:
        (folder / "gomapfix.toml").write_text(config)
    for file, text in files.items():
        (folder / file).write_text(text)
    return folder


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Session, Path, Path]]:
    root = tmp_path_factory.mktemp("lsp")
    plain = package(root, "plain", {})
    quiet = package(
        root,
        "quiet",
        {},
        config=(
            'ignore = ["GMF203"]\nextend-select = ["GMF101"]\nunsafe-fixes = true\n'
            'exclude = ["legacy"]\n'
        ),
    )
    capabilities = lsp.ClientCapabilities(
        text_document=lsp.TextDocumentClientCapabilities(
            code_action=lsp.CodeActionClientCapabilities(
                resolve_support=lsp.ClientCodeActionResolveOptions(properties=["edit"]),
            ),
        ),
        workspace=lsp.WorkspaceClientCapabilities(
            workspace_edit=lsp.WorkspaceEditClientCapabilities(document_changes=True),
            did_change_watched_files=lsp.DidChangeWatchedFilesClientCapabilities(
                dynamic_registration=True
            ),
        ),
    )
    session = Session([plain, quiet], capabilities)
    yield session, plain, quiet
    assert session.stop() == 0


def test_capabilities(workspace: tuple[Session, Path, Path]) -> None:
    session, _, _ = workspace
    caps = session.initialize_result.capabilities
    assert caps.position_encoding == lsp.PositionEncodingKind.Utf16
    provider = caps.code_action_provider
    assert isinstance(provider, lsp.CodeActionOptions)
    assert provider.resolve_provider
    assert set(provider.code_action_kinds or []) == {lsp.CodeActionKind.QuickFix, FIX_ALL_KIND}


def test_diagnostics_on_open(workspace: tuple[Session, Path, Path]) -> None:
    session, plain, _ = workspace
    uri = session.open(plain / "open.go", GUARD)
    (diag,) = session.diagnostics(uri)
    assert diag.code == "GMF203"
    assert diag.source == "gomapfix"
    assert diag.severity == lsp.DiagnosticSeverity.Warning
    assert diag.message == "redundant nil check: delete on a nil map is a no-op"
    assert diag.range == lsp.Range(
        start=lsp.Position(line=3, character=1), end=lsp.Position(line=5, character=2)
    )
    assert diag.data["fix"]["applicability"] == "safe"


def test_quick_fix_then_the_diagnostic_disappears(workspace: tuple[Session, Path, Path]) -> None:
    session, plain, _ = workspace
    uri = session.open(plain / "quickfix.go", GUARD)
    (diag,) = session.diagnostics(uri)
    actions = session.code_actions(uri, lsp.Range(start=diag.range.start, end=diag.range.start))
    fix = next(a for a in actions if a.is_preferred)
    assert fix.kind == lsp.CodeActionKind.QuickFix
    assert fix.title == "Remove the guard; keep the delete (GMF203)"
    assert fix.edit is None  # filled lazily, by codeAction/resolve
    assert fix.diagnostics and fix.diagnostics[0].code == "GMF203"
    resolved = session.resolve(fix)
    fixed = apply(GUARD, resolved.edit, uri)
    assert fixed == FIXED
    version = session.change(uri, fixed)
    assert session.diagnostics(uri, version) == []


def test_ignore_comment_above_the_statement(workspace: tuple[Session, Path, Path]) -> None:
    session, plain, _ = workspace
    uri = session.open(plain / "ignore.go", GUARD)
    (diag,) = session.diagnostics(uri)
    actions = session.code_actions(uri, diag.range)
    ignore = next(a for a in actions if a.title == "Ignore GMF203 for this line")
    assert not ignore.is_preferred
    text = apply(GUARD, session.resolve(ignore).edit, uri)
    assert "{\n\t//gomapfix:ignore GMF203 TODO: reason\n\tif m != nil {" in text
    version = session.change(uri, text)
    # Suppressed, and the directive is valid and used (no GMF900 or GMF901).
    assert session.diagnostics(uri, version) == []


def test_fix_all_matches_the_command_line(workspace: tuple[Session, Path, Path]) -> None:
    session, plain, _ = workspace
    text = (
        "package p\n\n"
        "func drop(m map[string]int, k string) {\n\tif m != nil {\n\t\tdelete(m, k)\n\t}\n}\n\n"
        "func drop2(m map[string]bool, k string) {\n"
        "\tif _, ok := m[k]; ok {\n\t\tdelete(m, k)\n\t}\n}\n\n"
        'func rekey(m map[string]int) {\n\tfor k, v := range m {\n\t\tm[k+"x"] = v\n\t}\n}\n'
    )
    path = plain / "fixall.go"
    uri = session.open(path, text)
    codes = sorted(str(d.code) for d in session.diagnostics(uri))
    assert codes == ["GMF203", "GMF203", "GMF301"]
    (action,) = session.code_actions(uri, whole(text), only=["source.fixAll"])
    assert action.kind == FIX_ALL_KIND
    assert session.code_actions(uri, whole(text), only=["source.organizeImports"]) == []
    fixed = apply(text, session.resolve(action).edit, uri)
    cli = subprocess.run(
        [sys.executable, "-m", "gomapfix", "fix", "-", "--stdin-filename", str(path)],
        input=text.encode(),
        capture_output=True,
        check=False,
        timeout=TIMEOUT,
    )
    assert fixed == cli.stdout.decode()
    version = session.change(uri, fixed)
    # The unsafe fix (GMF301) is left: no unsafe-fixes in this folder's configuration.
    assert [d.code for d in session.diagnostics(uri, version)] == ["GMF301"]


def test_unsafe_fix_is_offered_labelled_and_not_preferred(
    workspace: tuple[Session, Path, Path],
) -> None:
    session, plain, _ = workspace
    text = REKEY
    uri = session.open(plain / "unsafe.go", text)
    (diag,) = session.diagnostics(uri)
    assert diag.data["fix"]["applicability"] == "unsafe"
    actions = session.code_actions(uri, diag.range)
    fix = next(a for a in actions if "unsafe fix" in a.title)
    assert fix.title == "Range over a copy of m (GMF301, unsafe fix)"
    assert not fix.is_preferred
    assert "maps.Clone(m)" in apply(text, session.resolve(fix).edit, uri)
    # fix all applies safe fixes only without unsafe-fixes = true: nothing to offer here.
    assert session.code_actions(uri, whole(text), only=[FIX_ALL_KIND]) == []


def test_workspace_folders_have_their_own_configuration(
    workspace: tuple[Session, Path, Path],
) -> None:
    session, _, quiet = workspace
    # quiet/gomapfix.toml ignores GMF203 and sets unsafe-fixes = true.
    uri = session.open(quiet / "guard.go", GUARD)
    assert session.diagnostics(uri) == []
    text = REKEY
    uri = session.open(quiet / "unsafe.go", text)
    assert [d.code for d in session.diagnostics(uri)] == ["GMF301"]
    (action,) = session.code_actions(uri, whole(text), only=[FIX_ALL_KIND])
    fixed = apply(text, session.resolve(action).edit, uri)
    assert "maps.Clone(m)" in fixed and 'import "maps"' in fixed
    version = session.change(uri, fixed)
    assert session.diagnostics(uri, version) == []


def test_a_fix_that_edits_another_file_of_the_package(
    workspace: tuple[Session, Path, Path],
) -> None:
    session, _, quiet = workspace
    folder = quiet / "handlers"
    folder.mkdir()
    a_text = "package p\n\nvar lastPath = map[string]string{}\n"
    b_text = (
        'package p\n\nimport "net/http"\n\n'
        "func Handle(w http.ResponseWriter, r *http.Request) {\n"
        '\tlastPath[r.FormValue("u")] = r.URL.Path\n}\n\n'
        'func init() {\n\thttp.HandleFunc("/", Handle)\n}\n'
    )
    (folder / "a.go").write_text(a_text)
    uri = session.open(folder / "b.go", b_text)
    assert [d.code for d in session.diagnostics(uri)] == ["GMF101"]
    (action,) = session.code_actions(uri, whole(b_text), only=[FIX_ALL_KIND])
    edit = session.resolve(action).edit
    assert edit is not None and edit.document_changes is not None
    # The mutex is declared beside the map, in a.go (not open: no version), and taken in
    # b.go: one workspace edit, or the buffer would not compile.
    a_uri = (folder / "a.go").as_uri()
    versions = {
        c.text_document.uri: c.text_document.version
        for c in edit.document_changes
        if isinstance(c, lsp.TextDocumentEdit)
    }
    assert versions == {a_uri: None, uri: 1}
    assert "var lastPathMu sync.RWMutex" in apply(a_text, edit, a_uri)
    assert "lastPathMu.Lock()" in apply(b_text, edit, uri)


def test_excluded_files_and_bad_configuration_get_no_diagnostics(
    workspace: tuple[Session, Path, Path], tmp_path: Path
) -> None:
    session, _, quiet = workspace
    (quiet / "legacy").mkdir()
    uri = session.open(quiet / "legacy" / "old.go", REKEY)  # exclude = ["legacy"]
    assert session.diagnostics(uri) == []
    broken = package(tmp_path, "broken", {}, config="bogus = 1\n")
    uri = session.open(broken / "guard.go", GUARD)
    assert session.diagnostics(uri) == []
    assert any("unknown setting bogus" in message for message in session.logs)
    # Once the configuration is fixed (and the editor says so), findings come back.
    (broken / "gomapfix.toml").write_text('select = ["GMF2"]\n')
    session.call(
        lambda: session.client.workspace_did_change_watched_files(
            lsp.DidChangeWatchedFilesParams(
                changes=[
                    lsp.FileEvent(
                        uri=(broken / "gomapfix.toml").as_uri(), type=lsp.FileChangeType.Changed
                    )
                ]
            )
        )
    )
    count = len(session.published)
    with session.changed:
        assert session.changed.wait_for(
            lambda: any(p.uri == uri and p.diagnostics for p in session.published[count:]),
            TIMEOUT,
        )
    assert [d.code for d in session.diagnostics(uri)] == ["GMF203"]


def test_an_edit_to_one_file_invalidates_the_package(
    workspace: tuple[Session, Path, Path], tmp_path: Path
) -> None:
    session, _, _ = workspace
    a_text = "package p\n\ntype T struct {\n\tm map[string]int\n}\n"
    b_text = "package p\n\nfunc (t *T) Set(k string) {\n\tt.m[k] = 1\n}\n"
    folder = package(tmp_path, "pkg", {"a.go": a_text, "b.go": b_text})
    a = session.open(folder / "a.go", a_text)
    b = session.open(folder / "b.go", b_text)
    assert [d.code for d in session.diagnostics(b)] == ["GMF201"]
    assert session.diagnostics(a) == []
    # a.go (still unsaved) now initialises T.m: b.go's finding goes, though b.go is unchanged.
    count = len(session.published)
    session.change(a, a_text + "\nfunc New() *T {\n\treturn &T{m: map[string]int{}}\n}\n")
    with session.changed:
        assert session.changed.wait_for(
            lambda: any(p.uri == b for p in session.published[count:]), TIMEOUT
        )
    assert session.diagnostics(b) == []
    # Closing a.go puts its disk text back: the finding in b.go is back too.
    count = len(session.published)
    session.close(a)
    with session.changed:
        assert session.changed.wait_for(
            lambda: any(p.uri == b and p.diagnostics for p in session.published[count:]),
            TIMEOUT,
        )


def test_save_reads_the_siblings_again(
    workspace: tuple[Session, Path, Path], tmp_path: Path
) -> None:
    session, _, _ = workspace
    a_text = "package p\n\ntype T struct {\n\tm map[string]int\n}\n"
    b_text = "package p\n\nfunc (t *T) Set(k string) {\n\tt.m[k] = 1\n}\n"
    folder = package(tmp_path, "saved", {"a.go": a_text, "b.go": b_text})
    b = session.open(folder / "b.go", b_text)
    assert [d.code for d in session.diagnostics(b)] == ["GMF201"]
    # A sibling changes on disk (a checkout, another tool); saving b.go picks it up.
    (folder / "a.go").write_text(
        a_text + "\nfunc New() *T {\n\treturn &T{m: map[string]int{}}\n}\n"
    )
    count = len(session.published)
    session.call(
        lambda: session.client.text_document_did_save(
            lsp.DidSaveTextDocumentParams(text_document=lsp.TextDocumentIdentifier(uri=b))
        )
    )
    with session.changed:
        assert session.changed.wait_for(
            lambda: any(p.uri == b for p in session.published[count:]), TIMEOUT
        )
    assert session.diagnostics(b) == []


def test_a_buffer_with_syntax_errors_still_gets_findings(
    workspace: tuple[Session, Path, Path],
) -> None:
    session, plain, _ = workspace
    broken = GUARD + "\nfunc broken( {\n\tx := \n}\n"
    uri = session.open(plain / "broken.go", broken)
    (diag,) = session.diagnostics(uri)
    assert diag.code == "GMF203"
    actions = session.code_actions(uri, diag.range)
    assert any(a.is_preferred for a in actions)
    # Garbage, then no package clause at all: no findings, and the server lives on.
    version = session.change(uri, "}}} func ( \x00 package")
    assert session.diagnostics(uri, version) == []
    version = session.change(uri, GUARD)
    assert [d.code for d in session.diagnostics(uri, version)] == ["GMF203"]


def test_changes_are_debounced_and_the_latest_version_wins(
    workspace: tuple[Session, Path, Path],
) -> None:
    session, plain, _ = workspace
    uri = session.open(plain / "typing.go", FIXED)
    assert session.diagnostics(uri) == []
    count = len(session.published)
    for i in range(5):  # typing: the last version has the finding
        session.change(uri, FIXED + f"// {i}\n" if i < 4 else GUARD)
    last = session.versions[uri]
    assert [d.code for d in session.diagnostics(uri, last)] == ["GMF203"]
    later = [p for p in session.published[count:] if p.uri == uri]
    # Whatever was published on the way, nothing older came after the latest version.
    assert later[-1].version == last


def test_utf16_positions_on_a_line_with_non_ascii_text(
    workspace: tuple[Session, Path, Path],
) -> None:
    session, plain, _ = workspace
    prefix = "\t/* é😀 */ "
    text = (
        "package p\n\nfunc drop(m map[string]int, k string) {\n"
        f"{prefix}if m != nil {{\n\t\tdelete(m, k)\n\t}}\n}}\n"
    )
    uri = session.open(plain / "unicode.go", text)
    (diag,) = session.diagnostics(uri)
    assert diag.range.start == lsp.Position(line=3, character=len(prefix.encode("utf-16-le")) // 2)
    (fix,) = [a for a in session.code_actions(uri, diag.range) if a.is_preferred]
    fixed = apply(text, session.resolve(fix).edit, uri)
    assert f"{prefix}delete(m, k)\n}}\n" in fixed


def test_text_positions_round_trip() -> None:
    data = "a\tb é😀 c\r\nx\n".encode()
    for encoding, column in (("utf-16", 7), ("utf-8", 10), ("utf-32", 6)):
        text = Text("f.go", data, encoding)
        at = data.index(b" c")
        assert text.position(at) == lsp.Position(line=0, character=column)
        assert text.offset(lsp.Position(line=0, character=column)) == at
        # Past the end of a line (before its \r\n) clamps to the line's end.
        assert text.offset(lsp.Position(line=0, character=99)) == data.index(b"\r\n")
        assert text.offset(lsp.Position(line=1, character=1)) == len(data) - 1
        assert text.offset(lsp.Position(line=9, character=0)) == len(data)


def test_utf8_client_without_resolve_support_and_shutdown(tmp_path: Path) -> None:
    folder = package(tmp_path, "utf8", {})
    session = Session(
        [folder],
        lsp.ClientCapabilities(
            general=lsp.GeneralClientCapabilities(
                position_encodings=[lsp.PositionEncodingKind.Utf8, lsp.PositionEncodingKind.Utf16]
            )
        ),
        initialization_options={"debounceMs": 0},
    )
    try:
        assert session.initialize_result.capabilities.position_encoding == "utf-8"
        prefix = "\t/* é😀 */ "
        text = (
            "package p\r\n\r\nfunc drop(m map[string]int, k string) {\r\n"
            f"{prefix}if m != nil {{\r\n\t\tdelete(m, k)\r\n\t}}\r\n}}\r\n"
        )
        uri = session.open(folder / "crlf.go", text)
        (diag,) = session.diagnostics(uri)
        assert diag.range.start == lsp.Position(line=3, character=len(prefix.encode()))
        actions = session.code_actions(uri, diag.range)
        # No resolve support: the edits come with the actions, and as plain `changes`.
        assert all(a.edit is not None and a.edit.changes for a in actions)
        ignore = next(a for a in actions if a.title.startswith("Ignore"))
        fixed = apply(text, ignore.edit, uri, "utf-8")
        assert "\r\n\t//gomapfix:ignore GMF203 TODO: reason\r\n" + prefix in fixed
        version = session.change(uri, fixed)
        assert session.diagnostics(uri, version) == []
    finally:
        assert session.stop() == 0


def test_without_the_lsp_extra_the_error_says_what_to_install() -> None:
    code = (
        "import sys; sys.modules['pygls'] = None; sys.modules['pygls.lsp'] = None\n"
        "from gomapfix.cli import main; raise SystemExit(main(['lsp']))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=TIMEOUT, check=False
    )
    assert proc.returncode == 2
    assert "pip install 'gomapfix[lsp]'" in proc.stderr
