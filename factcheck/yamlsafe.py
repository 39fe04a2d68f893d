"""Safe YAML loading that remembers where each mapping came from.

Facts and rules are written by users, so loading must never construct
arbitrary objects (SafeLoader only), must refuse alias bombs and absurd
sizes, and every later validation message must name ``file:line``. Mappings
load as ``Located`` dicts that carry the line of the mapping and of each key.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import DataError

MAX_YAML_BYTES = 5_000_000
MAX_DEPTH = 50

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Located(dict):
    """A dict loaded from YAML, knowing its line and the line of each key."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LocatedList(list):
    line: int = 0


class _Loader(_Base):  # type: ignore[misc, valid-type]
    pass


_SCALAR_ERRORS = (ValueError, TypeError, AttributeError, LookupError, ArithmeticError)


def _construct(loader: yaml.SafeLoader, node: yaml.Node):
    """construct_object, with a bad scalar (`2023-02-30`, `!!int x`) as a DataError at its line."""
    try:
        return loader.construct_object(node, deep=True)
    except _SCALAR_ERRORS as exc:
        value = node.value if isinstance(node.value, str) else ""
        raise DataError(f"invalid value {value[:60]!r}: {' '.join(str(exc).split())[:120]}",
                        line=node.start_mark.line + 1,
                        hint="correct it, or quote it to keep it as text") from None


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> Located:
    out = Located()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = _construct(loader, key_node)
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            raise DataError("a mapping key must be a plain value",
                            line=key_node.start_mark.line + 1)
        if key in out:
            raise DataError(f"duplicate key {key!r}", line=key_node.start_mark.line + 1,
                            hint="each key may appear once in a mapping")
        out[key] = _construct(loader, value_node)
        out.key_lines[str(key)] = key_node.start_mark.line + 1
    return out


def _construct_sequence(loader: yaml.SafeLoader, node: yaml.SequenceNode) -> LocatedList:
    out = LocatedList(_construct(loader, child) for child in node.value)
    out.line = node.start_mark.line + 1
    return out


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def _check_node(node: yaml.Node, path: str) -> None:
    """Refuse aliases (the 'billion laughs' vector) and runaway nesting."""
    stack = [(node, 1)]
    while stack:
        current, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise DataError(f"nesting deeper than {MAX_DEPTH} levels", path=path,
                            line=current.start_mark.line + 1)
        if isinstance(current, yaml.MappingNode):
            for k, v in current.value:
                stack.append((k, depth + 1))
                stack.append((v, depth + 1))
        elif isinstance(current, yaml.SequenceNode):
            stack.extend((child, depth + 1) for child in current.value)


def load_yaml(path: str | Path, text: str | None = None) -> Any:
    """Load one YAML document safely; raise DataError with file:line on any problem."""
    name = str(path)
    if text is None:
        p = Path(path)
        try:
            size = p.stat().st_size
        except OSError as exc:
            raise DataError(f"cannot read file: {exc.strerror or exc}", path=name) from None
        if size > MAX_YAML_BYTES:
            raise DataError(f"file is {size:,} bytes, over the {MAX_YAML_BYTES:,}-byte limit "
                            "for YAML data", path=name, hint="split it into several files")
        try:
            raw = p.read_bytes()
        except OSError as exc:
            raise DataError(f"cannot read file: {exc.strerror or exc}", path=name) from None
        if b"\x00" in raw:
            raise DataError("binary file, not YAML", path=name)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise DataError("not valid UTF-8", path=name, line=line,
                            hint="save the file as UTF-8") from None
    elif len(text) > MAX_YAML_BYTES:
        raise DataError(f"document over the {MAX_YAML_BYTES:,}-character limit", path=name)

    loader = _Loader(text)
    node = None
    try:
        # Scan events first: aliases are refused before any construction.
        node = loader.get_single_node()
        if node is None:
            return None
        _check_aliases(node, name)
        _check_node(node, name)
        return loader.construct_document(node)
    except DataError as exc:
        exc.path = exc.path or name
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise DataError(f"YAML syntax error: {problem}", path=name, line=line) from None
    except yaml.YAMLError as exc:
        raise DataError(f"YAML error: {exc}", path=name) from None
    except RecursionError:
        raise DataError(f"nesting deeper than {MAX_DEPTH} levels", path=name) from None
    except _SCALAR_ERRORS as exc:  # a bad top-level scalar such as `!!timestamp x`
        raise DataError(f"invalid value: {' '.join(str(exc).split())[:120]}", path=name,
                        line=node.start_mark.line + 1 if node is not None else None) from None
    finally:
        loader.dispose()


def _check_aliases(node: yaml.Node, path: str) -> None:
    seen: set[int] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            raise DataError("anchors and aliases (&name / *name) are not allowed in "
                            "factcheck data", path=path, line=current.start_mark.line + 1,
                            hint="write the repeated value out in full")
        seen.add(id(current))
        if isinstance(current, yaml.MappingNode):
            for k, v in current.value:
                stack.extend((k, v))
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
