"""The fields of a JSON record that every JSON shape reads the same way: the text, the mapped
title/source/language fields (``--text-field`` and friends), strings and annotator names."""

from __future__ import annotations

from typing import Any

from annotator.formats.common import FormatError, describe_char, invisible_characters, unstorable
from annotator.formats.shapes import describe_value
from annotator.store import values
from annotator.store.errors import InvalidNameError

DEFAULT_TITLE = ("title",)
DEFAULT_SOURCE = ("source",)
DEFAULT_LANGUAGE = ("language", "lang")


def _field(record: dict, meta: dict, names: tuple[str, ...]) -> tuple[str | None, Any]:
    for name in names:
        if name in record:
            return name, record[name]
        if name in meta:
            return name, meta[name]
    return None, None


def mapped_field(record: dict, meta: dict, explicit: str | None, defaults: tuple[str, ...], what: str,
                 where: tuple) -> tuple[str | None, Any]:
    """``(field name, value)`` of a mapped field; an explicitly named field must exist."""
    if explicit is not None:
        if explicit not in record and explicit not in meta:
            raise FormatError(*where, missing_field(explicit, record, what))
        return explicit, record.get(explicit, meta.get(explicit))
    return _field(record, meta, defaults)


def missing_field(field: str, record: dict, what: str) -> str:
    for key in record:
        bad = invisible_characters(key)
        if bad and "".join(ch for ch in key if ch not in bad) == field:
            return f"field {key!r} is {field!r} with an invisible {describe_char(bad[0])}; remove it from the file"
    fields = ", ".join(repr(k) for k in record) or "none"
    return f"no {field!r} field for the {what}; this record's fields are {fields}"


def string_field(value: Any, field: str | None, where: tuple) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise FormatError(*where, f"{field}: expected a string, got {describe_value(value)}")
    return value


def text_field(value: dict, field: str, where: tuple, hint: str = "", label: str | None = None,
               checked: bool = False) -> str:
    """The record's text, ``value[field]``: a string SQLite can store (``label`` names it in messages;
    ``checked``: the JSON stream already saw that nothing in the record needs looking for)."""
    label = label or field
    if field not in value:
        raise FormatError(*where, missing_field(field, value, "text") + hint)
    text = value[field]
    if not isinstance(text, str):
        raise FormatError(*where, f"{label}: expected a string, got {describe_value(text)}")
    problem = None if checked else unstorable(text, label)
    if problem:
        raise FormatError(*where, problem)
    return text


def annotator_name(value: Any, field: str, where: tuple) -> str | None:
    """An annotator's name as the file gives it, as the store keeps it (trimmed; never blank)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise FormatError(*where, f"{field}: expected a string, got {describe_value(value)}")
    try:
        return values.annotator_name(value)
    except InvalidNameError as exc:
        raise FormatError(*where, f"{field}: {exc}") from None
