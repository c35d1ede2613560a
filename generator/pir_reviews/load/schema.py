"""The JSON Schema of format v1, generated from the declarations in `fields`.

Editors use it (through the `# yaml-language-server: $schema=` line) to check
files as they are typed. Like the loader it refuses every empty value (null,
or text of only blanks), required or not: no type here admits null; `pir validate` stays the authority on what the
schema cannot say (duplicate keys, offsets, dates that do not exist).
"""

from __future__ import annotations

import json
from typing import Any

from pir_reviews.load import fields as f

_TIMESTAMP_PATTERN = r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)? ?(Z|z|[+-]\d{2}:?\d{2})$"


def kind_schema(kind: f.Kind) -> dict[str, Any]:
    if isinstance(kind, f.Record):
        props = {fd.name: _with_doc(kind_schema(fd.kind), fd.doc) for fd in kind.fields}
        schema: dict[str, Any] = {"type": "object", "properties": props, "additionalProperties": False}
        required = [fd.name for fd in kind.fields if fd.required]
        if required:
            schema["required"] = required
        if kind.shorthand:
            return {"anyOf": [{"type": "string", "minLength": 1, "pattern": r"\S"}, schema]}
        return schema
    if isinstance(kind, f.ListOf):
        schema = {"type": "array", "items": kind_schema(kind.item)}
        if kind.min_items:
            schema["minItems"] = kind.min_items
        return schema
    if isinstance(kind, f.FreeForm):
        return {"type": "object"}
    if isinstance(kind, f.Choice):
        return {"type": "string", "enum": list(kind.values)}
    if isinstance(kind, f.Ident):
        return {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$"}
    if isinstance(kind, f.OneLine):
        return {"type": "string", "minLength": 1, "pattern": r"^[^\n\r]*\S[^\n\r]*$"}
    if isinstance(kind, f.Text):
        return {"type": "string", "minLength": 1, "pattern": r"\S"}
    if isinstance(kind, f.Number):
        schema = {"type": "integer" if kind.integer else "number"}
        if kind.minimum is not None:
            schema["minimum"] = kind.minimum
        if kind.maximum is not None:
            schema["maximum"] = kind.maximum
        return schema
    if isinstance(kind, f.Boolean):
        return {"type": "boolean"}
    if isinstance(kind, f.Timestamp):
        # YAML parsers in editors may read an unquoted timestamp as a date-time value.
        return {"type": "string", "pattern": _TIMESTAMP_PATTERN}
    if isinstance(kind, f.Day):
        return {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    if isinstance(kind, f.Url):
        return {"type": "string", "pattern": r"^[Hh][Tt][Tt][Pp][Ss]?://[^\s<>\"'`\\]+$"}
    raise AssertionError(f"no schema for {kind!r}")


def _with_doc(schema: dict[str, Any], doc: str) -> dict[str, Any]:
    return {**schema, "description": doc} if doc else schema


def incident_schema() -> dict[str, Any]:
    schema = kind_schema(f.INCIDENT)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "incident.schema.json",
        "title": "Incident (format v1)",
        "description": "One post-incident review. Checked in full by `pir validate`.",
        **schema,
        # The one rule across fields an editor can check: a public incident has a public summary.
        "if": {"properties": {"visibility": {"const": "public"}}, "required": ["visibility"]},
        "then": {"required": ["public"], "properties": {"public": {"required": ["summary"]}}},
    }


def services_schema() -> dict[str, Any]:
    """The schema of the optional services.yaml, from the same declarations."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "services.schema.json",
        "title": "Service catalogue (services.yaml)",
        "description": "The archive's services: name, aliases, owning team, tier. Checked in full by `pir validate`.",
        **kind_schema(f.CATALOGUE),
    }


def schema_text(services: bool = False) -> str:
    """A schema file's exact content (tests compare it with schema/incident.schema.json and schema/services.schema.json)."""
    return json.dumps(services_schema() if services else incident_schema(), indent=2, sort_keys=False) + "\n"
