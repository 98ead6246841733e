"""Named Cypher queries for analysts: one .cypher file each, described by its header comment.

Header format (the comment lines before the first Cypher line):

    // purpose: One sentence (more lines may follow, each starting with "//   ").
    // param document: string = "知识产权强国建设纲要" -- what the parameter means
    // param depth: int = 5 -- a parameter with a default
    // param agency: string -- no default: the parameter is required
    // example: policykg query NAME --param document=知识产权强国建设纲要

Types: string, int, float, bool. A default of `null` makes a parameter optional without a value.
Values always reach Neo4j as query parameters, never pasted into the Cypher text.

    list_queries()            every query, by name
    get_query(name)           one query (QueryError when unknown)
    query.bind({"k": "v"})    typed parameters with defaults (QueryError: missing / unknown / bad value)
    query.run(driver, params) (columns, rows) in a READ session with a timeout and a row limit
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = ["NamedQuery", "Param", "QueryError", "get_query", "list_queries", "load_query"]

QUERY_DIR = Path(__file__).resolve().parent
TYPES = ("string", "int", "float", "bool")
_PARAM = re.compile(
    r"^param\s+(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*:\s*(?P<type>\w+)"
    r"(?:\s*=\s*(?P<default>.+?))?\s*(?:--\s*(?P<doc>.*))?$"
)
_TRUE = {"true", "1", "yes", "y", "on"}
_FALSE = {"false", "0", "no", "n", "off"}


class QueryError(ValueError):
    """A query or parameter the caller got wrong (unknown name, missing or bad parameter)."""


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    type: str
    default: Any = None
    required: bool = True
    description: str = ""

    def signature(self) -> str:
        if self.required:
            return f"{self.name}:{self.type}"
        return f"{self.name}:{self.type}={json.dumps(self.default, ensure_ascii=False)}"

    def convert(self, raw: Any) -> Any:
        """A value from a command line or a query string, as the declared type."""
        if raw is None:
            return None
        if not isinstance(raw, str):
            raw = str(raw) if not isinstance(raw, bool) else ("true" if raw else "false")
        parse = {"int": int, "float": float}.get(self.type)
        try:
            number = parse(raw.strip()) if parse else None
        except ValueError:
            raise QueryError(f"parameter {self.name!r} wants {self.type}, got {raw!r}") from None
        # every int parameter is a count, limit or depth; Neo4j's integers have 64 bits
        if isinstance(number, int) and not 0 <= number < 2**63:
            raise QueryError(f"parameter {self.name!r} wants a whole number from 0, got {raw!r}")
        if isinstance(number, float) and not math.isfinite(number):
            raise QueryError(f"parameter {self.name!r} wants a finite number, got {raw!r}")
        if number is not None:
            return number
        if self.type == "bool":
            low = raw.strip().lower()
            if low in _TRUE | _FALSE:
                return low in _TRUE
            raise QueryError(f"parameter {self.name!r} wants true/false, got {raw!r}")
        return raw


@dataclass(frozen=True)
class NamedQuery:
    name: str
    purpose: str
    parameters: tuple[Param, ...]
    example: str
    cypher: str
    path: Path | None = field(default=None, compare=False)

    def bind(self, given: dict[str, Any]) -> dict[str, Any]:
        """Typed values for every declared parameter: given ones converted, defaults for the
        rest. Unknown or missing parameters are a QueryError (HTTP 422)."""
        known = {p.name: p for p in self.parameters}
        unknown = sorted(set(given) - set(known))
        if unknown:
            raise QueryError(
                f"unknown parameter(s) {', '.join(unknown)} for {self.name}; known: {self._known()}"
            )
        bound: dict[str, Any] = {}
        missing = []
        for p in self.parameters:
            if p.name in given:
                bound[p.name] = p.convert(given[p.name])
            elif p.required:
                missing.append(p.name)
            else:
                bound[p.name] = p.default
        if missing:
            raise QueryError(
                f"missing parameter(s) {', '.join(missing)} for {self.name}; known: {self._known()}"
            )
        return bound

    def _known(self) -> str:
        return ", ".join(p.signature() for p in self.parameters) or "none"

    def run(self, driver: Any, params: dict[str, Any], **limits: Any) -> tuple[list[str], list[list[Any]]]:
        """Run in a READ session (timeout_s / row_limit as in graph/cypher.run_read)."""
        from policykg.graph.cypher import run_read

        result = run_read(driver, self.cypher, params, **limits)
        return result.columns, result.rows

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "purpose": self.purpose,
            "parameters": [
                {
                    "name": p.name,
                    "type": p.type,
                    "required": p.required,
                    "default": p.default,
                    "description": p.description,
                }
                for p in self.parameters
            ],
            "example": self.example,
        }


def _default(param: str, type_: str, text: str | None) -> tuple[Any, bool]:
    """(default value, required) from the header's `= value` part."""
    if text is None:
        return None, True
    text = text.strip()
    if text == "null":
        return None, False
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = json.loads(text)
    return Param(param, type_).convert(text), False


def load_query(path: Path) -> NamedQuery:
    """Parse one .cypher file (header comment + Cypher)."""
    purpose: list[str] = []
    params: list[Param] = []
    example = ""
    body: list[str] = []
    last = ""
    in_header = True
    for line in path.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if in_header and stripped.startswith("//"):
            text = stripped[2:].strip()
            if text.startswith("purpose:"):
                purpose, last = [text[len("purpose:") :].strip()], "purpose"
            elif text.startswith("param "):
                match = _PARAM.match(text)
                if not match or match["type"] not in TYPES:
                    raise QueryError(f"{path.name}: cannot read parameter line {text!r}")
                default, required = _default(match["name"], match["type"], match["default"])
                params.append(
                    Param(match["name"], match["type"], default, required, (match["doc"] or "").strip())
                )
                last = "param"
            elif text.startswith("example:"):
                example, last = text[len("example:") :].strip(), "example"
            elif text and last == "purpose":
                purpose.append(text)
            continue
        if stripped or body:
            in_header = False
            body.append(line)
    if not purpose or not body:
        raise QueryError(f"{path.name}: a query file needs a '// purpose:' header and Cypher")
    return NamedQuery(
        name=path.stem,
        purpose=" ".join(purpose),
        parameters=tuple(params),
        example=example,
        cypher="\n".join(body).strip(),
        path=path,
    )


@lru_cache(maxsize=1)
def _all() -> dict[str, NamedQuery]:
    return {p.stem: load_query(p) for p in sorted(QUERY_DIR.glob("*.cypher"))}


def list_queries() -> list[NamedQuery]:
    return list(_all().values())


def get_query(name: str) -> NamedQuery:
    queries = _all()
    if name not in queries:
        raise QueryError(f"no query named {name!r}; see `policykg query --list`")
    return queries[name]
