"""Make the schemas read well in every tool: run after editing schemas/*.schema.json.

    python scripts/schemas_for_editors.py          # rewrite schemas/ in place
    python scripts/schemas_for_editors.py --check  # exit 1 if a file would change

What it does, mechanically and idempotently:

1. Every schema gets its stable ``$id`` (``https://juhtum.ee/schemas/1/<file>``), so
   that relative ``$ref``\\ s resolve within the set (the standard ``jsonschema`` package
   with a ``referencing`` registry, check-jsonschema, the YAML language server).
2. Every field that uses a shared definition (a property's or a list's ``items``
   schema with a ``$ref``, directly or in an ``anyOf``/``oneOf`` branch) carries its own
   ``title``/``description`` (and English ``x-title-en``/``x-description-en``); where
   it has none, the definition's are copied next to the ``$ref``.
3. The shared definitions of ``defs.schema.json`` keep their words under
   ``x-type-title``, ``x-type-description``, ``x-type-title-en`` and
   ``x-type-description-en``: editors show the first ``title`` they meet while following
   a ``$ref``, so a definition's "Tekst" would hide the field's own "Probleemi
   lühikirjeldus" on hover.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "schemas"
ID_BASE = "https://juhtum.ee/schemas/1/"
TEXTS = ("title", "description", "x-title-en", "x-description-en")
TYPE_TEXTS = {key: "x-type-" + key.removeprefix("x-") for key in TEXTS}
"""``title`` -> ``x-type-title``, ``x-title-en`` -> ``x-type-title-en``…"""


def load_all() -> dict[str, dict[str, Any]]:
    return {
        p.name: json.loads(p.read_text(encoding="utf-8"))
        for p in sorted(SCHEMAS.glob("*.schema.json"))
    }


def with_id(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key == "$id":
            continue
        out[key] = value
        if key == "$schema":
            out["$id"] = ID_BASE + name
    if "$id" not in out:
        out = {"$id": ID_BASE + name, **out}
    return out


def target(every: dict[str, dict[str, Any]], current: str, ref: str) -> tuple[str, Any]:
    file, _, pointer = ref.partition("#")
    doc = file or current
    node: Any = every[doc]
    for part in filter(None, pointer.split("/")):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return doc, node


def texts_of(
    every: dict[str, dict[str, Any]], doc: str, node: Any, depth: int = 0
) -> dict[str, Any]:
    """The words a field's shared type gives it: its own, else those of what it refers to."""
    if not isinstance(node, dict) or depth > 20:
        return {}
    found = {key: node[key] for key in TEXTS if key in node}
    found.update({key: node[alias] for key, alias in TYPE_TEXTS.items() if alias in node})
    if "title" in found:
        return found
    refs = [node] + [
        b for k in ("anyOf", "oneOf") for b in node.get(k) or () if isinstance(b, dict)
    ]
    for branch in refs:
        ref = branch.get("$ref")
        if isinstance(ref, str):
            target_doc, target_node = target(every, doc, ref)
            inner = texts_of(every, target_doc, target_node, depth + 1)
            if inner:
                return {**inner, **found}
    return found


def uses_a_definition(node: dict[str, Any]) -> bool:
    if "$ref" in node:
        return True
    return any(
        isinstance(b, dict) and "$ref" in b for k in ("anyOf", "oneOf") for b in node.get(k) or ()
    )


def title_fields(every: dict[str, dict[str, Any]], doc: str, node: Any) -> None:
    """Give every field site that refers to a definition its own words (step 2)."""
    if isinstance(node, list):
        for item in node:
            title_fields(every, doc, item)
        return
    if not isinstance(node, dict):
        return
    sites: list[Any] = list((node.get("properties") or {}).values())
    if isinstance(node.get("items"), dict):
        sites.append(node["items"])
    for site in sites:
        if isinstance(site, dict) and uses_a_definition(site) and "title" not in site:
            words = texts_of(every, doc, site)
            for key in TEXTS:
                if key in words and key not in site:
                    site[key] = words[key]
    for key, value in node.items():
        if key != "$defs" or doc != "defs.schema.json":
            title_fields(every, doc, value)
        else:
            for definition in value.values():
                title_fields(every, doc, definition)


def untitle_definitions(defs: dict[str, Any]) -> None:
    """Step 3: a definition's words under ``x-type-…``, in the place they had."""
    for name, definition in list(defs.get("$defs", {}).items()):
        if isinstance(definition, dict):
            defs["$defs"][name] = {TYPE_TEXTS.get(k, k): v for k, v in definition.items()}


def rewritten() -> dict[str, str]:
    every = load_all()
    for name, schema in every.items():
        title_fields(every, name, schema)
    untitle_definitions(every["defs.schema.json"])
    return {
        name: json.dumps(with_id(name, schema), indent=2, ensure_ascii=False) + "\n"
        for name, schema in every.items()
    }


def main(argv: list[str]) -> int:
    changed = []
    for name, text in rewritten().items():
        path = SCHEMAS / name
        if path.read_text(encoding="utf-8") != text:
            changed.append(name)
            if "--check" not in argv:
                path.write_text(text, encoding="utf-8")
    if changed and "--check" in argv:
        print("would change: " + ", ".join(changed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
