"""The package model: declarations of one Go package, computed once and shared.

A Go package is the set of a directory's files sharing a package clause; ``_test.go``
files of an external ``x_test`` package form a package apart. Codemods ask this model
for types they cannot see in the file at hand (a struct field declared elsewhere, a
package-level map, a method set), so every answer comes from visible declarations only.
"""

from __future__ import annotations

from collections.abc import ItemsView, Iterator, KeysView, Mapping, ValuesView
from dataclasses import dataclass, field
from functools import cached_property
from typing import TypeVar, overload

from tree_sitter import Node

from gomapfix.facts.declwords import DeclarationWords
from gomapfix.gotypes import UNKNOWN, GoType, type_from_node
from gomapfix.parse import ParsedFile, node_text


@dataclass(frozen=True)
class FuncInfo:
    name: str
    file: ParsedFile
    node: Node
    receiver_name: str | None = None
    receiver_type: str | None = None
    """The receiver's base type name (``T`` for both ``T`` and ``*T``)."""
    pointer_receiver: bool = False

    @property
    def is_method(self) -> bool:
        return self.receiver_type is not None

    @property
    def body(self) -> Node | None:
        return self.node.child_by_field_name("body")


@dataclass(frozen=True)
class VarInfo:
    name: str
    file: ParsedFile
    node: Node
    """The var_spec."""
    has_value: bool
    index: int = 0
    """Which of the spec's names this is."""

    @cached_property
    def type(self) -> GoType:
        """Declared type, or the type of a visible initialiser (make, literal), or UNKNOWN.

        Worked out when first asked: most package variables' types never are."""
        declared = self.node.child_by_field_name("type")
        if declared is not None:
            return type_from_node(declared)
        names = self.node.children_by_field_name("name")
        values_node = self.node.child_by_field_name("value")
        values = values_node.named_children if values_node is not None else []
        if len(values) == len(names):
            return type_of_initializer(values[self.index])
        return UNKNOWN


@dataclass(frozen=True)
class TypeInfo:
    name: str
    file: ParsedFile
    node: Node
    alias: bool

    @cached_property
    def type(self) -> GoType:
        """The type expression after the name: the underlying type of a defined type
        (worked out when first asked)."""
        return type_from_node(self.node.child_by_field_name("type"))


V = TypeVar("V")
D = TypeVar("D")


@dataclass
class _FileDeclarations:
    """What one file declares at the top level, in source order."""

    types: list[TypeInfo] = field(default_factory=list)
    vars: list[VarInfo] = field(default_factory=list)
    funcs: list[FuncInfo] = field(default_factory=list)
    methods: list[FuncInfo] = field(default_factory=list)


class Declared(Mapping[str, V]):
    """One kind of the package's declarations by name, as if every file had been read in
    order (a later file's declaration of a name replaces an earlier one's).

    Files parsed for their header only (``ParsedFile.deferred``) are read when a lookup
    names a word they contain, or when all declarations of the kind are listed; the
    answers are exactly those of reading every file first.
    """

    __slots__ = ("_kind", "_map", "_model")

    def __init__(self, model: PackageModel, kind: str) -> None:
        self._model = model
        self._kind = kind
        self._map: dict[str, V] = {}

    @overload
    def get(self, name: str, /) -> V | None: ...
    @overload
    def get(self, name: str, /, default: V | D) -> V | D: ...
    def get(self, name: str, /, default: object = None) -> object:
        if self._kind in self._model._unread_kinds:
            self._model._load_declaring(self._kind, name)
        return self._map.get(name, default)

    def __getitem__(self, name: str) -> V:
        if self._kind in self._model._unread_kinds:
            self._model._load_declaring(self._kind, name)
        return self._map[name]

    def __contains__(self, name: object) -> bool:
        if self._kind in self._model._unread_kinds and isinstance(name, str):
            self._model._load_declaring(self._kind, name)
        return name in self._map

    def __iter__(self) -> Iterator[str]:
        self._model._load_kind(self._kind)
        return iter(self._map)

    def __len__(self) -> int:
        self._model._load_kind(self._kind)
        return len(self._map)

    def keys(self) -> KeysView[str]:
        self._model._load_kind(self._kind)
        return self._map.keys()

    def values(self) -> ValuesView[V]:
        self._model._load_kind(self._kind)
        return self._map.values()

    def items(self) -> ItemsView[str, V]:
        self._model._load_kind(self._kind)
        return self._map.items()


class PackageModel:
    """The declarations of one package: ``types``, ``vars``, ``funcs`` and ``methods``
    (receiver base type name -> method name -> method) by name."""

    def __init__(self, directory: str, name: str, files: list[ParsedFile]) -> None:
        self.directory = directory
        self.name = name
        self.files = files
        self._declared: list[_FileDeclarations | None] = [None] * len(files)
        self._pending: dict[int, DeclarationWords] = {}
        """Deferred files not read yet -> the names they may declare."""
        self._unread_kinds: set[str] = set()
        """The kinds of which some unread file may declare something: lookups of the
        others need not look at the unread files at all."""
        self.types: Declared[TypeInfo] = Declared(self, "types")
        self.vars: Declared[VarInfo] = Declared(self, "vars")
        self.funcs: Declared[FuncInfo] = Declared(self, "funcs")
        self.methods: Declared[dict[str, FuncInfo]] = Declared(self, "methods")

    @classmethod
    def build(cls, directory: str, name: str, files: list[ParsedFile]) -> PackageModel:
        model = cls(directory, name, files)
        for i, parsed in enumerate(files):
            if parsed.deferred:
                model._pending[i] = DeclarationWords(parsed.source.data, parsed.header_end)
            else:
                model._declared[i] = _collect(parsed)
        if model._pending:
            model._unread_kinds = {"types", "vars", "funcs", "methods"}
        model._merge()
        return model

    def _load_declaring(self, kind: str, name: str) -> None:
        """Read the deferred files that may declare ``name`` as a ``kind``."""
        word = name.encode()
        self._read([i for i, words in self._pending.items() if words.may_declare(kind, word)])

    def _load_method(self, type_name: str, name: str) -> None:
        receiver, word = type_name.encode(), name.encode()
        self._read([i for i, w in self._pending.items() if w.may_declare_method(receiver, word)])

    def _load_kind(self, kind: str) -> None:
        """Read the deferred files that may declare anything of ``kind``."""
        if kind in self._unread_kinds:
            self._read([i for i, words in self._pending.items() if words.declares_any(kind)])
            self._unread_kinds.discard(kind)

    def _read(self, indexes: list[int]) -> None:
        if not indexes:
            return
        for i in indexes:
            del self._pending[i]
            self._declared[i] = _collect(self.files[i])
        if not self._pending:
            self._unread_kinds.clear()
        self._merge()

    def _merge(self) -> None:
        """The name maps from the files read so far, in file order (later ones win)."""
        types: dict[str, TypeInfo] = {}
        vars_: dict[str, VarInfo] = {}
        funcs: dict[str, FuncInfo] = {}
        methods: dict[str, dict[str, FuncInfo]] = {}
        for declared in self._declared:
            if declared is None:
                continue
            for t in declared.types:
                types[t.name] = t
            for v in declared.vars:
                vars_[v.name] = v
            for f in declared.funcs:
                funcs[f.name] = f
            for m in declared.methods:
                assert m.receiver_type is not None
                methods.setdefault(m.receiver_type, {})[m.name] = m
        self.types._map = types
        self.vars._map = vars_
        self.funcs._map = funcs
        self.methods._map = methods

    # Queries -------------------------------------------------------------------------

    def resolve(self, t: GoType) -> GoType | None:
        """The underlying type of a package-local named type, following aliases."""
        seen: set[str] = set()
        current = t
        while current.kind == "named" and current.qualifier is None and current.name:
            if current.name in seen:
                return None
            seen.add(current.name)
            info = self.types.get(current.name)
            if info is None:
                return None
            current = info.type
        if current.kind == "named":
            return None
        return current

    def underlying(self, t: GoType) -> GoType:
        """Like ``resolve`` but returns ``t`` itself (or UNKNOWN) when not resolvable."""
        if t.kind != "named":
            return t
        resolved = self.resolve(t)
        return resolved if resolved is not None else UNKNOWN

    def struct_of(self, t: GoType) -> GoType | None:
        """The struct type behind ``T``, ``*T`` or a local named struct, if visible."""
        base = t.elem if t.kind == "pointer" and t.elem is not None else t
        resolved = self.underlying(base)
        return resolved if resolved.kind == "struct" else None

    def field_type(self, owner: GoType, name: str) -> GoType | None:
        """Type of field ``name`` of struct ``owner`` (pointer or not), embedded ones too."""
        return self._field_type(owner, name, 0)

    def _field_type(self, owner: GoType, name: str, depth: int) -> GoType | None:
        struct = self.struct_of(owner)
        if struct is None or depth > 5:
            return None
        direct = struct.field(name)
        if direct is not None:
            return direct
        for emb in struct.embedded:
            emb_type = struct.field(emb)
            if emb_type is not None:
                found = self._field_type(emb_type, name, depth + 1)
                if found is not None:
                    return found
        return None

    def map_type(self, t: GoType | None) -> GoType | None:
        """``t`` as a map type (through package-local named types), or None."""
        if t is None:
            return None
        resolved = self.underlying(t)
        return resolved if resolved.kind == "map" else None

    def all_functions(self) -> Iterator[FuncInfo]:
        yield from self.funcs.values()
        for methods in self.methods.values():
            yield from methods.values()

    def method(self, type_name: str, name: str) -> FuncInfo | None:
        if "methods" in self._unread_kinds:
            self._load_method(type_name, name)
        return self.methods._map.get(type_name, {}).get(name)


def _collect(parsed: ParsedFile) -> _FileDeclarations:
    declared = _FileDeclarations()
    for top in parsed.root.named_children:
        kind = top.type
        if kind == "type_declaration":
            for spec in top.named_children:
                if spec.type in ("type_spec", "type_alias"):
                    name_node = spec.child_by_field_name("name")
                    if name_node is None:
                        continue
                    declared.types.append(
                        TypeInfo(node_text(name_node), parsed, spec, spec.type == "type_alias")
                    )
        elif kind == "var_declaration":
            for spec in _var_specs(top):
                declared.vars.extend(var_infos(spec, parsed))
        elif kind == "function_declaration":
            name_node = top.child_by_field_name("name")
            if name_node is not None:
                declared.funcs.append(FuncInfo(name=node_text(name_node), file=parsed, node=top))
        elif kind == "method_declaration":
            method = _method_info(top, parsed)
            if method is not None and method.receiver_type is not None:
                declared.methods.append(method)
    return declared


def _var_specs(decl: Node) -> Iterator[Node]:
    for child in decl.named_children:
        if child.type == "var_spec":
            yield child
        elif child.type == "var_spec_list":
            yield from (c for c in child.named_children if c.type == "var_spec")


def var_infos(spec: Node, parsed: ParsedFile) -> list[VarInfo]:
    """One VarInfo per name of a var_spec, typed by its declaration or initialiser."""
    has_value = spec.child_by_field_name("value") is not None
    return [
        VarInfo(node_text(name_node), parsed, spec, has_value, i)
        for i, name_node in enumerate(spec.children_by_field_name("name"))
    ]


def type_of_initializer(expr: Node) -> GoType:
    """The type an initialiser visibly has: ``make(T)``, ``new(T)``, ``T{}``, ``&T{}``."""
    kind = expr.type
    if kind == "parenthesized_expression" and expr.named_children:
        return type_of_initializer(expr.named_children[0])
    if kind == "composite_literal":
        return type_from_node(expr.child_by_field_name("type"))
    if kind == "unary_expression":
        op = expr.child_by_field_name("operator")
        operand = expr.child_by_field_name("operand")
        if op is not None and node_text(op) == "&" and operand is not None:
            inner = type_of_initializer(operand)
            if inner.kind != "unknown":
                return GoType(kind="pointer", text="*" + inner.text, elem=inner)
        return UNKNOWN
    if kind == "call_expression":
        fn = expr.child_by_field_name("function")
        args = expr.child_by_field_name("arguments")
        if fn is not None and fn.type == "identifier" and args is not None:
            fname = node_text(fn)
            arg_nodes = args.named_children
            if fname == "make" and arg_nodes:
                return type_from_node(arg_nodes[0])
            if fname == "new" and arg_nodes:
                inner = type_from_node(arg_nodes[0])
                return GoType(kind="pointer", text="*" + inner.text, elem=inner)
    return UNKNOWN


def _method_info(node: Node, parsed: ParsedFile) -> FuncInfo | None:
    name_node = node.child_by_field_name("name")
    receiver = node.child_by_field_name("receiver")
    if name_node is None or receiver is None:
        return None
    recv_name: str | None = None
    recv_type: str | None = None
    pointer = False
    for param in receiver.named_children:
        if param.type != "parameter_declaration":
            continue
        pname = param.child_by_field_name("name")
        recv_name = node_text(pname) if pname is not None else None
        ptype = param.child_by_field_name("type")
        while ptype is not None and ptype.type in ("pointer_type", "parenthesized_type"):
            if ptype.type == "pointer_type":
                pointer = True
            # Not a comment: ``* /* c */ T`` is a pointer to T.
            inner = [c for c in ptype.named_children if c.type != "comment"]
            ptype = inner[0] if inner else None
        if ptype is not None and ptype.type == "generic_type":
            ptype = ptype.child_by_field_name("type")
        if ptype is not None:
            recv_type = node_text(ptype)
    return FuncInfo(
        name=node_text(name_node),
        file=parsed,
        node=node,
        receiver_name=recv_name,
        receiver_type=recv_type,
        pointer_receiver=pointer,
    )
