"""A case as its documents, parsed: what every check reads. Pure: built by validation.

The checks must cope with documents that fail their schema (a list where a
mapping belongs, a missing field): the schema check reports those, so the
accessors here return empty values for anything malformed instead of raising.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from juhtum.model import stages
from juhtum.model.documents import FOLDERS

# -- safe access to parsed YAML ----------------------------------------------------------


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def as_str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def as_date(value: Any) -> dt.date | None:
    """A ``YYYY-MM-DD`` string as a date; None for anything else (the schema reports it)."""
    if isinstance(value, str) and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def handles(value: Any) -> list[str]:
    return [h for h in as_list(value) if isinstance(h, str)]


def is_withdrawn(item: dict[str, Any]) -> bool:
    return bool(item.get("withdrawn"))


# -- documents and cases ------------------------------------------------------------------


@dataclass
class Doc:
    """One parsed document of a case, or of the repository."""

    kind: str
    path: str
    """Relative to the repository root, with ``/``: what every message names."""
    name: str
    """Relative to the case folder (``plan.yaml``, ``monitoring/…yaml``)."""
    data: Any

    @property
    def fields(self) -> dict[str, Any]:
        return as_dict(self.data)

    def get(self, key: str) -> Any:
        return self.fields.get(key)

    @property
    def date(self) -> str:
        value = self.fields.get("date")
        return value if isinstance(value, str) else ""


@dataclass
class Settings:
    """What the repository's ``juhtum.yaml`` says that checks need."""

    review_period_months: int = 3
    monitoring_gap_days: int = 60
    """How long a case in implementation may go without a monitoring entry (``juhtum due``)."""
    organisation: dict[str, Any] = field(default_factory=dict)
    services: frozenset[str] = frozenset()
    """Ids of the service catalogue's entries (``services/<id>.yaml``)."""
    specialists: frozenset[str] = frozenset()
    """Handles of the organisation's specialists (``specialists/<handle>.yaml``): any case's
    documents may name them."""


@dataclass
class Case:
    id: str
    folder: str
    docs: list[Doc] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.reindex()

    def reindex(self) -> None:
        self.memo: dict[str, Any] = {}
        """What checks compute once a case (the plan's signature state)."""
        self.single: dict[str, Doc] = {}
        self.people: dict[str, Doc] = {}
        self.series: dict[str, list[Doc]] = {kind: [] for kind in FOLDERS.values()}
        for doc in self.docs:
            if doc.kind == "person":
                self.people[doc.name.split("/")[1].removesuffix(".yaml")] = doc
            elif doc.kind in self.series:
                self.series[doc.kind].append(doc)
            else:
                self.single[doc.kind] = doc
        for docs in self.series.values():
            docs.sort(key=lambda d: (d.date, d.name))

    # documents
    def doc(self, kind: str) -> Doc | None:
        return self.single.get(kind)

    @property
    def case(self) -> dict[str, Any]:
        doc = self.single.get("case")
        return doc.fields if doc else {}

    @property
    def need(self) -> dict[str, Any]:
        return self._fields("need")

    @property
    def assessment(self) -> dict[str, Any]:
        return self._fields("assessment")

    @property
    def planning(self) -> dict[str, Any]:
        return self._fields("planning")

    @property
    def plan(self) -> dict[str, Any]:
        return self._fields("plan")

    @property
    def closing(self) -> dict[str, Any]:
        return self._fields("closing")

    def _fields(self, kind: str) -> dict[str, Any]:
        doc = self.single.get(kind)
        return doc.fields if doc else {}

    @property
    def monitoring(self) -> list[Doc]:
        return self.series["monitoring"]

    @property
    def evaluations(self) -> list[Doc]:
        return self.series["evaluation"]

    @property
    def handovers(self) -> list[Doc]:
        return self.series["handover"]

    @property
    def meetings(self) -> list[Doc]:
        return self.series["meeting"]

    @property
    def followups(self) -> list[Doc]:
        return self.series["followup"]

    @property
    def diary(self) -> list[Doc]:
        """The case diary (juhis §3 "tööpäevik", §5.1): contacts, urgent help, information."""
        return self.series["diary"]

    # what case.yaml says
    @property
    def stage(self) -> str | None:
        value = self.case.get("stage")
        return value if value in stages.STAGES else None

    @property
    def framework(self) -> str:
        value = self.case.get("framework")
        return value if value in ("adult", "child") else "adult"

    def framework_on(self, day: Any) -> str:
        """The framework a document of ``day`` is checked under: a child who turned 18 goes on
        in the adult framework from the date ``framework_changes`` records, and what was
        written before it stays valid under the child framework (LasteKS § 3 (1))."""
        framework = self.framework
        when = as_date(day)
        if when is None:
            return framework
        for change in reversed(as_list(self.case.get("framework_changes"))):
            start = as_date(as_dict(change).get("date"))
            if start is not None and when < start and change.get("from") in ("adult", "child"):
                framework = change["from"]
        return framework

    @property
    def coordinator(self) -> str | None:
        return as_str(self.case.get("coordinator"))

    @property
    def representatives(self) -> list[str]:
        return handles(self.case.get("representatives"))

    @property
    def client(self) -> str:
        return as_str(self.case.get("client")) or "client"

    def path(self, name: str) -> str:
        return f"{self.folder}/{name}"

    # the plan
    def plan_goals(self, *, active: bool = True) -> list[tuple[int, dict[str, Any]]]:
        return [
            (i, g)
            for i, g in enumerate(as_list(self.plan.get("goals")))
            if isinstance(g, dict) and not (active and is_withdrawn(g))
        ]

    def plan_actions(self, *, active: bool = True) -> list[tuple[int, dict[str, Any]]]:
        return [
            (i, a)
            for i, a in enumerate(as_list(self.plan.get("actions")))
            if isinstance(a, dict) and not (active and is_withdrawn(a))
        ]

    def measures(self) -> dict[str, dict[str, Any]]:
        return {
            m["id"]: m
            for m in as_list(self.planning.get("measures"))
            if isinstance(m, dict) and isinstance(m.get("id"), str)
        }

    def providers(self) -> set[str]:
        """Who provides help under the current plan: the parties responsible for its active
        service actions and the providers of the measures those actions carry out, not the
        person, their representatives or the coordinator (juhis §8, "abiosutajad")."""
        found: set[str] = set()
        measures = self.measures()
        for _, action in self.plan_actions():
            if action.get("kind") == "service":
                found.update(handles(action.get("responsible")))
            measure = measures.get(as_str(action.get("measure")) or "")
            if measure and isinstance(measure.get("provider"), str):
                found.add(measure["provider"])
        return found - self.own_side()

    def own_side(self) -> set[str]:
        """The person, their representatives and the coordinator(s) so far."""
        side = {self.client, *self.representatives}
        if self.coordinator:
            side.add(self.coordinator)
        for doc in self.handovers:
            side.update(h for h in (as_str(doc.get("from")), as_str(doc.get("to"))) if h)
        return side

    def signers_required(self) -> list[str]:
        """Who must sign the plan besides a coordinator (juhis §4.2): the person (for a child,
        the legal representatives) and every party responsible for an active action."""
        from juhtum.model.representatives import current

        required: list[str] = []
        child = self.framework_on(self.plan.get("date")) == "child"
        if child:
            required.extend(current(self))  # a representative whose period ended signs no more
        else:
            required.append(self.client)
            required.extend(current(self))
        for _, action in self.plan_actions():
            required.extend(handles(action.get("responsible")))
        if child:
            # the child's own signature is welcome, not required
            required = [h for h in required if h != self.client]
        return list(dict.fromkeys(required))

    def current_coordinator(self) -> str | None:
        """Who coordinates now: the latest handover's receiver, else the §1.4 assignment."""
        for doc in reversed(self.handovers):
            receiver = as_str(doc.get("to"))
            if receiver:
                return receiver
        return as_str(as_dict(self.need.get("coordinator_assignment")).get("who"))

    def coordinators(self) -> set[str]:
        """Everyone who has coordinated the case: the §1.4 assignment and each handover's
        parties. A plan signed by the coordinator of its day stays signed after a handover."""
        chain = {
            h
            for h in (
                as_str(as_dict(self.need.get("coordinator_assignment")).get("who")),
                self.coordinator,
            )
            if h
        }
        for doc in self.handovers:
            chain.update(h for h in (as_str(doc.get("from")), as_str(doc.get("to"))) if h)
        return chain

    def ever_signed(self) -> bool:
        return any(counts_as_signed(s) for s in as_list(self.plan.get("signatures")))

    def first_signature_date(self) -> dt.date | None:
        dates = [
            d
            for s in as_list(self.plan.get("signatures"))
            if counts_as_signed(s) and (d := as_date(s.get("date"))) is not None
        ]
        return min(dates) if dates else None

    def defined_goal_ids(self) -> set[str]:
        """Goal ids defined by the assessment (§2.3) or an evaluation's next period (§6.3 (2))."""
        ids = {
            g["id"]
            for g in as_list(self.assessment.get("goals"))
            if isinstance(g, dict) and isinstance(g.get("id"), str)
        }
        for doc in self.evaluations:
            period = as_dict(doc.get("next_period"))
            ids.update(
                g["id"]
                for g in as_list(period.get("goals"))
                if isinstance(g, dict) and isinstance(g.get("id"), str)
            )
        return ids


NOT_SIGNED = ("oral", "refused", "unable")
"""Signature records that record why a party did not sign (juhis §4.2)."""


def counts_as_signed(record: Any) -> bool:
    """A signature entry that gives the plan force: a signature (with a dissent too), or the
    coordinator's decision to put the plan in force without one (``waived``, juhis §4.2);
    not a refusal, an obstacle or an oral agreement, which only record why no one was given."""
    return isinstance(record, dict) and record.get("status", "signed") in ("signed", "waived")
