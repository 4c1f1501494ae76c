"""What the editor may add to a document: people to register (a ``register:`` block) and, for
an announced plan change, the providers who agreed (``agreed_by:``). Neither is stored in the
document itself; both are set on the session, and the lines blanked so that line numbers stay.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from juhtum.documents import templates
from juhtum.errors import DocumentError, JuhtumError
from juhtum.i18n import _
from juhtum.model.invariants import references
from juhtum.workflow.session import Outcome, Refused, Session
from juhtum.workflow.targets import Target

UNAGREED = (
    "the change touches the actions of {providers}: name the providers who agreed "
    "to it with --agreed-by (juhis §4.2)"
)
"""The message id of case_plan.plan's refusal of a change without the providers' agreement."""

Build = Callable[[Target, str], Outcome]


_TOP_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*):(?:[ \t]|$)")


def _blocks(text: str) -> dict[str, tuple[int, int]]:
    """Top-level keys -> (first line, end line) of their block, 0-based."""
    lines = text.split("\n")
    found: dict[str, tuple[int, int]] = {}
    current: str | None = None
    start = last = 0
    for number, line in enumerate(lines):
        match = _TOP_KEY.match(line)
        if match or line[:1] not in ("", " ", "\t", "#", "-"):
            if current is not None:
                found.setdefault(current, (start, last + 1))
            current = match.group(1) if match else None
            start = last = number
        elif line.strip() and not line.lstrip().startswith("#"):
            last = number  # comments and blank lines after a block belong to what follows
    if current is not None:
        found.setdefault(current, (start, last + 1))
    return found


def _directives(s: Session, target: Target, text: str) -> str:
    """``text`` with the ``register:`` block (and for a plan ``agreed_by:``) blanked out, line
    for line so that line numbers stay; what they say is set on the session."""
    from juhtum.documents import yamlio
    from juhtum.model import ids
    from juhtum.model.case import as_dict, as_list, as_str
    from juhtum.workflow import registering

    s.register = {}
    s.agreed_by = []
    blocks = _blocks(text)
    names = ["register"] + (["agreed_by"] if target.kind == "plan" else [])
    lines = text.split("\n")
    for name in names:
        if name not in blocks:
            continue
        first, end = blocks[name]
        # parsed where it stands (blank lines above it), so that an error names its line
        block = "\n" * first + "\n".join(lines[first:end]) + "\n"
        try:
            data = as_dict(yamlio.loads(block, path=s.path(target.name)).data)
        except DocumentError as exc:
            if exc.line is not None:  # as the strict reader of the whole text would count it
                exc.line = sum(1 for ln in lines[: exc.line] if not help_line(ln))
                exc.args_["line"] = exc.line
            raise
        value = data.get(name)
        if name == "agreed_by":
            items = value if isinstance(value, list) else [value] if value else []
            s.agreed_by = [str(v).strip() for v in items if str(v).strip()]
        else:
            for handle, person in as_dict(value).items():
                fields = as_dict(person)
                if not as_str(fields.get("name")):
                    continue  # not filled in: nobody to register
                ids.check_handle(str(handle))
                roles = fields.get("roles") or ["specialist"]
                s.register[str(handle)] = registering.person_document(
                    s.case_id,
                    name=str(fields["name"]),
                    roles=[
                        str(r) for r in (as_list(roles) if isinstance(roles, list) else [roles])
                    ],
                    organisation=as_str(fields.get("organisation")) or None,
                    email=as_str(fields.get("email")) or None,
                    phone=as_str(fields.get("phone")) or None,
                )
        for number in range(first, end):
            lines[number] = ""
    return "\n".join(lines)


def build_from(s: Session, target: Target, text: str, build: Build) -> Outcome:
    return build(target, _directives(s, target, text))


def _role_for(field: tuple[str | int, ...]) -> str:
    words = " ".join(str(part) for part in field)
    if "coordinator" in words:
        return "coordinator"
    if "responsible" in words or "provider" in words:
        return "provider"
    return "specialist"


def additions(exc: JuhtumError, target: Target, body: str, path: str) -> tuple[list[str], str]:
    """Lines to put above the document so that the person can fix the error here, and the hint
    that says so."""
    present = _blocks(body)
    if isinstance(exc, Refused):
        unknown: dict[str, str] = {}
        for p in exc.problems:
            if p.rule == "I17" and p.message == references.UNREGISTERED and p.file == path:
                unknown.setdefault(str(p.args.get("handle")), _role_for(p.field))
        if unknown and "register" not in present:
            lines = [templates.HELP + _("People to register with this save: fill in the name.")]
            lines.append("register:")
            for handle, role in unknown.items():
                lines += [f"  {handle}:", "    name:", f"    roles: [{role}]", "    organisation:"]
            hint = _(
                "Someone this document names is not registered in the case: fill in the "
                "register block below (or correct the handle), and save."
            )
            return lines, hint
    if exc.message == UNAGREED and target.kind == "plan" and "agreed_by" not in present:
        lines = [
            templates.HELP
            + _("The providers who agreed to this change (juhis §4.2): {providers}").format(
                providers=exc.args_.get("providers", "")
            ),
            "agreed_by: []",
        ]
        hint = _("Name the providers who agreed in agreed_by below, and save.")
        return lines, hint
    return [], ""


def help_line(line: str) -> bool:
    return line.lstrip().startswith((templates.HELP.rstrip(), templates.ERROR.rstrip()))
