"""Mark the personal data in the schemas ``x-sensitive: true``: run after editing schemas/.

    python scripts/mark_sensitive.py          # rewrite schemas/ in place
    python scripts/mark_sensitive.py --check  # exit 1 if a file would change

What ``x-sensitive`` decides: juhtum encrypts every value of such a field (and every value
beneath it) when a case repository is encrypted (juhtum.crypto), and never prints one where
it should not. The rule, mechanical and idempotent, over the schemas of case documents
(every schema but the repository's ``juhtum.schema.json`` and the service catalogue's
``service.schema.json``, the shared definitions included):

- every field of free text (the shared ``text``/``texts`` definitions: summaries, views,
  evidence, notes, descriptions of the situation), of contacts (``email``, ``phone``) and every
  personal code (``personal_code``) is sensitive;
- so are the fields of :data:`ALSO` (a birth date is a date, but it identifies a person),
  and a document's own extension fields (``x-…``, ``patternProperties``): what they hold is
  not known, so it is treated as personal;
- except the fields of :data:`READABLE`: text that is about no person and that checks without
  a key need.

Names and addresses are text, so the first rule covers them. A field already marked is left
as it is; a mark the rule does not give is kept too (a person may have marked more by hand).
The mark goes after the field's words, where the existing marks are.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "schemas"
NOT_CASE_DOCUMENTS = ("juhtum.schema.json", "service.schema.json")
SENSITIVE_DEFINITIONS = ("text", "texts", "email", "phone", "personal_code")
ALSO = {
    ("person.schema.json", ("properties", "birth_date")),
    # who reported a child in need, kept confidential (LasteKS § 27): even its kind
    ("need.schema.json", ("properties", "notification", "properties", "reporter")),
}
READABLE = {
    # the coordinator's organisation, which the caseload report counts by
    ("case.schema.json", ("properties", "organisation")),
}
EXTENSIONS = "^x-"
AFTER = ("title", "description", "x-title-en", "x-description-en", "x-rule")


def definition_of(node: dict[str, Any]) -> str | None:
    ref = node.get("$ref")
    if not isinstance(ref, str) or "#/$defs/" not in ref:
        return None
    return ref.rsplit("/", 1)[1]


def with_mark(node: dict[str, Any]) -> dict[str, Any]:
    if node.get("x-sensitive") is True:
        return node
    keys = list(node)
    at = max((keys.index(k) + 1 for k in AFTER if k in node), default=0)
    out: dict[str, Any] = {}
    for i, key in enumerate(keys):
        if i == at:
            out["x-sensitive"] = True
        out[key] = node[key]
    if at == len(keys):
        out["x-sensitive"] = True
    return out


def mark(name: str, node: Any, where: tuple[str, ...]) -> Any:
    if isinstance(node, list):
        return [mark(name, item, (*where, str(i))) for i, item in enumerate(node)]
    if not isinstance(node, dict):
        return node
    out = {key: mark(name, value, (*where, key)) for key, value in node.items()}
    is_property = len(where) >= 2 and where[-2] == "properties"
    if not is_property or (name, where) in READABLE:
        return out
    if definition_of(out) in SENSITIVE_DEFINITIONS or (name, where) in ALSO:
        return with_mark(out)
    return out


def with_extensions_marked(schema: dict[str, Any]) -> dict[str, Any]:
    extensions = schema.get("patternProperties")
    if isinstance(extensions, dict) and isinstance(extensions.get(EXTENSIONS), dict):
        extensions[EXTENSIONS] = with_mark(extensions[EXTENSIONS])
    return schema


def rewritten() -> dict[str, str]:
    found = {}
    for path in sorted(SCHEMAS.glob("*.schema.json")):
        if path.name in NOT_CASE_DOCUMENTS:
            continue
        schema = json.loads(path.read_text(encoding="utf-8"))
        marked = with_extensions_marked(mark(path.name, schema, ()))
        found[path.name] = json.dumps(marked, indent=2, ensure_ascii=False)
        found[path.name] += "\n"
    return found


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
