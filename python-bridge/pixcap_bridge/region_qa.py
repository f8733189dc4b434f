"""The question and answer lines, checked against the one schema both sides use.

The schema is declared in TypeScript (src/schemas/region-qa.ts) and generated into
`schemas/region-qa.schema.json` beside this file; the bridge validates every line against that file, so a field
renamed on one side fails here, by name, instead of at grading time. The validator covers the JSON Schema keywords
the generated file uses and refuses any other keyword, so a schema change it cannot check is an error, not a pass.
"""

from __future__ import annotations

import json
import os
from typing import Any

from .protocol import BridgeError

SCHEMA_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "schemas", "region-qa.schema.json")
_IGNORED = {"$schema", "$comment", "description", "title"}
_SUPPORTED = _IGNORED | {"type", "anyOf", "properties", "required", "additionalProperties", "items", "prefixItems",
                         "minItems", "maxItems", "minLength", "minimum", "maximum", "exclusiveMinimum",
                         "propertyNames"}
_schema_cache: dict[str, Any] | None = None


def schema(kind: str) -> dict[str, Any]:
    """The `question` or `answer` definition of the shared schema."""
    global _schema_cache
    if _schema_cache is None:
        with open(SCHEMA_FILE, encoding="utf-8") as f:
            _schema_cache = json.load(f)
    return _schema_cache["$defs"][kind]


_PY_TYPES = {"string": str, "array": list, "object": dict, "boolean": bool, "integer": int, "number": (int, float)}


def _type_ok(value: Any, t: str) -> bool:
    # bool is an int subclass in Python; JSON keeps them apart
    return isinstance(value, _PY_TYPES[t]) and (t == "boolean" or not isinstance(value, bool))


def _path(path: list[str | int]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)


def problems(value: Any, s: dict[str, Any], path: list[str | int] | None = None) -> list[str]:
    """Every way `value` breaks schema `s`, each as `.path: expected ..., got ...`."""
    path = path or []
    unknown = set(s) - _SUPPORTED
    if unknown:
        raise BridgeError(f"{SCHEMA_FILE}: {_path(path) or '(root)'}: unsupported JSON Schema keyword(s) "
                          f"{', '.join(sorted(unknown))}; extend pixcap_bridge/region_qa.py")
    got = json.dumps(value, ensure_ascii=False)[:80]
    if "anyOf" in s:
        options = [problems(value, o, path) for o in s["anyOf"]]
        if all(options):
            kinds = " or ".join(o.get("type", "?") for o in s["anyOf"])
            return [f"{_path(path)}: expected {kinds}, got {got}"]
        return []
    if "type" in s and not _type_ok(value, s["type"]):
        return [f"{_path(path)}: expected {'an' if s['type'][0] in 'aio' else 'a'} {s['type']}, got {got}"]
    out: list[str] = []
    if isinstance(value, str) and len(value) < s.get("minLength", 0):
        out.append(f"{_path(path)}: expected a non-empty string, got {got}")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in s and value < s["minimum"]:
            out.append(f"{_path(path)}: expected >= {s['minimum']}, got {got}")
        if "exclusiveMinimum" in s and value <= s["exclusiveMinimum"]:
            out.append(f"{_path(path)}: expected > {s['exclusiveMinimum']}, got {got}")
        if "maximum" in s and value > s["maximum"]:
            out.append(f"{_path(path)}: expected <= {s['maximum']}, got {got}")
    if isinstance(value, list):
        if len(value) < s.get("minItems", 0) or len(value) > s.get("maxItems", len(value)):
            n = s.get("minItems") if s.get("minItems") == s.get("maxItems") else f"{s.get('minItems', 0)}+"
            out.append(f"{_path(path)}: expected {n} items, got {len(value)}")
        prefix = s.get("prefixItems", [])
        for i, item in enumerate(value):
            sub = prefix[i] if i < len(prefix) else s.get("items", {})
            if sub is False:
                continue  # the length check above already reported it
            out += problems(item, sub, [*path, i])
    if isinstance(value, dict):
        for key in s.get("required", []):
            if key not in value:
                out.append(f"{_path([*path, key])}: missing (required)")
        props = s.get("properties", {})
        for key, item in value.items():
            if key in props:
                out += problems(item, props[key], [*path, key])
            elif s.get("additionalProperties", {}) is False:
                out.append(f"{_path([*path, key])}: not allowed")
    return out


def check_line(value: Any, kind: str, where: str) -> dict[str, Any]:
    """Returns `value` when it is a valid `kind` line, else raises naming `where` and every problem."""
    found = problems(value, schema(kind))
    if found:
        raise BridgeError(f"{where}{found[0]}" + (f" (and {len(found) - 1} more: {'; '.join(found[1:4])})" if len(found) > 1 else ""))
    return value
