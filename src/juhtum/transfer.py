"""A case handed to another organisation (juhis §8): the bundle the receiver gets, its
documents (never the reporter of a notification, LasteKS § 27), a printable summary and a
manifest of SHA-256 hashes; refused unless the case was closed as ``transferred`` with the
consent or legal basis recorded."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from juhtum import history, storage
from juhtum.check import reading, repository_level
from juhtum.documents import yamlio
from juhtum.errors import UserError
from juhtum.i18n import N_
from juhtum.model import stages
from juhtum.model.case import Case, as_dict, as_list, as_str
from juhtum.storage import Repository

# -- a bundle for the receiving organisation (§8) -------------------------------------------------

BUNDLE_FORMAT = "juhtum-bundle/1"


@dataclass
class Bundle:
    folder: Path
    files: int
    manifest_hash: str


def bundle(repo: Repository, case_id: str, target: Path, *, today: dt.date) -> Bundle:
    """Write the case's documents, a printable summary and a manifest of content hashes into
    ``target``, for the organisation the case was transferred to. Refused unless the case was
    closed as transferred with the consent or legal basis recorded (juhis §8), and into a
    folder of the case repository (personal data must not be committed by accident)."""
    repo.existing_case_dir(case_id)
    files = reading.read_case_files(repo, case_id)
    case = reading.parse_case(files)
    closing = case.doc("closing")
    transfer = as_dict(closing.get("transfer")) if closing is not None else {}
    basis = (
        "consent"
        if isinstance(transfer.get("consent"), dict)
        else "legal_basis"
        if transfer.get("legal_basis")
        else None
    )
    if case.stage != stages.CLOSED or closing is None or closing.get("reason") != "transferred":
        raise UserError(
            N_(
                "case {id} goes to another organisation only on a recorded basis: close it "
                "first with juhtum close {id} --reason transferred (the receiving "
                "organisation, and the consent or legal basis for passing the data on, "
                "juhis §8)"
            ),
            id=case_id,
        )
    if basis is None:
        raise UserError(
            N_(
                "closing.yaml of case {id} records no consent or legal basis for passing the "
                "data on (transfer.consent or transfer.legal_basis, juhis §8)"
            ),
            id=case_id,
        )
    target = target.resolve()
    root = repo.root.resolve()
    if target == root or root in target.parents:
        raise UserError(
            N_(
                "write the bundle outside the case repository ({folder} is inside it): it "
                "holds personal data that must not be committed by accident"
            ),
            folder=str(target),
        )
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UserError(N_("{folder} exists and is not an empty folder"), folder=str(target))
    storage.make_dirs(target / "case")
    from juhtum.output.export.omit import without_confidential

    # the reporter of a notification (LasteKS § 27) never leaves: a document that holds a
    # confidential field goes as its values without it
    originals = {doc.name: doc.data for doc in case.docs}
    withheld = {doc.name: doc.data for doc in without_confidential(case).docs}
    entries = []
    for name, data in sorted(files.files.items()):
        if name in withheld and withheld[name] != originals.get(name):
            data = yamlio.dumps(withheld[name]).encode("utf-8")
        path = target / "case" / name
        storage.make_dirs(path.parent)
        storage.write_atomic(path, data)
        entries.append(_entry(f"case/{name}", data))
    summary = summary_markdown(case, repo).encode("utf-8")
    storage.write_atomic(target / "summary.md", summary)
    entries.append(_entry("summary.md", summary))
    commit = None
    if history.in_git(repo.root):
        from juhtum.errors import HistoryError

        try:
            commit = history.rev(repo.root, "HEAD")
        except HistoryError:
            commit = None  # a repository without commits yet
    manifest = {
        "format": BUNDLE_FORMAT,
        "case": case_id,
        "created": today.isoformat(),
        "from": as_str(repository_level.load_settings(repo, []).organisation.get("name")),
        "to": as_str(transfer.get("organisation")),
        "basis": basis,
        "commit": commit,
        "files": entries,
    }
    text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    storage.write_atomic(target / "manifest.json", text.encode("utf-8"))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Bundle(target, len(entries), digest)


def _entry(path: str, data: bytes) -> dict[str, Any]:
    return {"path": path, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}


def summary_markdown(case: Case, repo: Repository) -> str:
    """A printable summary of the case for the receiving organisation: who, where it stands,
    why it was handed over, what documents come with it, and the plan when there is one."""
    from juhtum.i18n import _, label

    closing = case.closing
    transfer = as_dict(closing.get("transfer"))
    lines = [
        "# " + _("Case {id}: handed over").format(id=case.id),
        "",
        "- " + _("state: {stage}").format(stage=label(case.stage or "-")),
        "- " + _("opened: {date}").format(date=as_str(case.case.get("opened")) or "-"),
        "- " + _("framework: {framework}").format(framework=label(case.framework or "-")),
        "- " + _("closed: {date}").format(date=as_str(closing.get("date")) or "-"),
        "- "
        + _("receiving organisation: {name}").format(
            name=as_str(transfer.get("organisation")) or "-"
        ),
        "",
        "## " + _("People"),
        "",
    ]
    for handle, person in sorted(case.people.items()):
        roles = ", ".join(label(str(r)) for r in as_list(person.get("roles")))
        lines.append(f"- {handle}: {as_str(person.get('name')) or '-'} ({roles})")
    lines += ["", "## " + _("Documents"), ""]
    lines += [f"- {d.name}" for d in sorted(case.docs, key=lambda d: d.name)]
    if case.doc("plan") is not None:
        from juhtum import specialists
        from juhtum.output.export import case_plan as export_plan
        from juhtum.output.export import markup as export_render

        settings = repository_level.load_settings(repo, [])
        blocks = export_plan.plan_blocks(case, settings.organisation, specialists.read_all(repo))
        lines += ["", export_render.markdown(blocks)]
    from juhtum.output.safe_text import escape

    return escape("\n".join(lines).rstrip("\n") + "\n")
