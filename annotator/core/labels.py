"""The label schema: entity labels with colours and keys, and quote roles."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

RESOURCES = Path(__file__).resolve().parent.parent.parent / "resources"
DEFAULT_LABEL_FILE = RESOURCES / "labels.json"


@dataclass(frozen=True)
class Label:
    name: str
    color: str
    key: str
    description: str = ""


@dataclass(frozen=True)
class LabelSchema:
    entities: tuple[Label, ...]
    quote_roles: tuple[Label, ...]

    @property
    def entity_names(self) -> list[str]:
        return [label.name for label in self.entities]

    def entity(self, name: str) -> Label | None:
        return next((label for label in self.entities if label.name == name), None)

    def color(self, name: str) -> str:
        found = self.entity(name) or next((r for r in self.quote_roles if r.name == name), None)
        return found.color if found else "#cccccc"

    def to_json(self) -> str:
        return json.dumps(
            {
                "entities": [label.__dict__ for label in self.entities],
                "quote_roles": [label.__dict__ for label in self.quote_roles],
            },
            ensure_ascii=False,
            indent=2,
        )


def parse_label_schema(data: dict, where: str = "label file") -> LabelSchema:
    """Build a schema from the JSON structure of ``resources/labels.json``."""

    def labels(section: str) -> tuple[Label, ...]:
        out = []
        for i, item in enumerate(data.get(section, [])):
            if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item["name"]:
                raise ValueError(f"{where}: {section}[{i}] needs a non-empty 'name'")
            out.append(
                Label(
                    name=item["name"],
                    color=str(item.get("color", "#cccccc")),
                    key=str(item.get("key", "")),
                    description=str(item.get("description", "")),
                )
            )
        names = [label.name for label in out]
        if len(set(names)) != len(names):
            raise ValueError(f"{where}: duplicate names in {section}")
        return tuple(out)

    entities = labels("entities")
    if not entities:
        raise ValueError(f"{where}: at least one entity label is required")
    return LabelSchema(entities=entities, quote_roles=labels("quote_roles"))


def load_label_schema(path: Path | str = DEFAULT_LABEL_FILE) -> LabelSchema:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: line {exc.lineno}: {exc.msg}") from None
    return parse_label_schema(data, where=str(path))
