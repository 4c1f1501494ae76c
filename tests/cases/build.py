"""Build ``tests/cases/invalid/<rule>/`` from the valid twin, one edit each.

Each invalid fixture is the whole twin repository (``valid/twin``) plus one edit
that breaks exactly one rule. When an edit changes the plan, the announced change
that carries the plan's content hash is re-hashed, so the edit breaks nothing
else. The fixtures are committed; ``test_fixtures.py`` checks they are what this
script builds, so they cannot drift from it.

    python tests/cases/build.py          # rewrite tests/cases/invalid/
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from juhtum.documents import yamlio
from juhtum.model.hashing import content_hash

HERE = Path(__file__).resolve().parent
TWIN = HERE / "valid" / "twin"
INVALID = HERE / "invalid"
CASE = "cases/twin-a1"


class Case:
    def __init__(self, root: Path) -> None:
        self.root = root / CASE

    def load(self, name: str) -> Any:
        return yamlio.load_file(self.root / name, path=name).data

    def save(self, name: str, data: Any) -> None:
        (self.root / name).write_text(yamlio.dumps(data), encoding="utf-8")

    def edit(self, name: str, change: Callable[[Any], None]) -> None:
        data = self.load(name)
        change(data)
        self.save(name, data)


def by_id(items: list[dict[str, Any]], item_id: str) -> dict[str, Any]:
    return next(i for i in items if i.get("id") == item_id)


MONITORING_SERVICE = "monitoring/2026-02-20-a1b2.yaml"
MONITORING_CHANGE = "monitoring/2026-03-02-c3d4.yaml"
HANDOVER = "handovers/2026-03-16-e5f6.yaml"
MEETING = "meetings/2026-03-20-g7h8.yaml"
EVALUATION = "evaluations/2026-06-15-j9k0.yaml"


def i1(c: Case) -> None:  # the person's account is taken before their consent
    c.edit("need.yaml", lambda d: d["initial_info"]["sources"][1].update(obtained="2026-01-05"))


def i2(c: Case) -> None:  # case.yaml keeps the coordinator who handed the case over
    c.edit("case.yaml", lambda d: d.update(coordinator="kk"))


def i3(c: Case) -> None:  # the person's own view of the assessment is not recorded
    c.edit("assessment.yaml", lambda d: d["client_view"].pop("statement"))


def i4(c: Case) -> None:  # an action ends before it starts
    c.edit("plan.yaml", lambda d: by_id(d["actions"], "a3").update(deadline="2026-01-31"))


def i5(c: Case) -> None:  # goal g2 is left without an action
    def change(d: Any) -> None:
        by_id(d["actions"], "a3")["goals"] = ["g1"]
        by_id(d["actions"], "a4")["goals"] = ["g1"]

    c.edit("plan.yaml", change)


def i6(c: Case) -> None:  # nothing for the person to do: only a services plan
    c.edit(
        "plan.yaml", lambda d: by_id(d["actions"], "a1").update(kind="network", responsible=["ode"])
    )


def i7(c: Case) -> None:  # no interim review
    c.edit("plan.yaml", lambda d: d.pop("reviews"))


def i8(c: Case) -> None:  # the provider has not signed
    c.edit(
        "plan.yaml",
        lambda d: d.update(signatures=[s for s in d["signatures"] if s["party"] != "tk"]),
    )


def i9(c: Case) -> None:  # the change is not announced to the provider
    c.edit(MONITORING_CHANGE, lambda d: d.update(notified=["client", "ode", "kk"]))


def i10(c: Case) -> None:  # closed as goals achieved though a goal was only partly achieved
    c.edit(EVALUATION, lambda d: d["goal_results"][1].update(result="partly"))


def i11(c: Case) -> None:  # the person is not told where to turn for help later
    c.edit("closing.yaml", lambda d: d.pop("help_contacts"))


def i12(c: Case) -> None:  # the provider is not told of the handover
    c.edit(HANDOVER, lambda d: d.update(providers_notified=[]))


def i13(c: Case) -> None:  # an agreement whose deadline is before the meeting
    c.edit(MEETING, lambda d: d["agreements"][0].update(deadline="2026-03-01"))


def i14(c: Case) -> None:  # a monitoring entry dated in the future
    c.edit(MONITORING_SERVICE, lambda d: d.update(date="2027-02-20"))


def i15(c: Case) -> None:  # a problem the plan does not answer
    c.edit(
        "assessment.yaml",
        lambda d: next(x for x in d["domains"] if x["domain"] == "housing").update(
            rating="problem"
        ),
    )


def i16(c: Case) -> None:  # the person's address, which the regulation requires, is missing
    c.edit("people/client.yaml", lambda d: d.pop("address"))


def i17(c: Case) -> None:  # a contact nobody in the case is
    c.edit(MONITORING_SERVICE, lambda d: d.update(contacts=["client", "tk", "naaber"]))


EDITS: dict[str, Callable[[Case], None]] = {
    "I1": i1,
    "I2": i2,
    "I3": i3,
    "I4": i4,
    "I5": i5,
    "I6": i6,
    "I7": i7,
    "I8": i8,
    "I9": i9,
    "I10": i10,
    "I11": i11,
    "I12": i12,
    "I13": i13,
    "I14": i14,
    "I15": i15,
    "I16": i16,
    "I17": i17,
}


def build_one(rule: str, target: Path) -> None:
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(TWIN, target, ignore=shutil.ignore_patterns(".juhtum"))
    case = Case(target)
    before = content_hash(case.load("plan.yaml"))
    EDITS[rule](case)
    after = content_hash(case.load("plan.yaml"))
    if before != after:  # the announcement names the plan's new content
        case.edit(MONITORING_CHANGE, lambda d: d.update(plan_hash=after))


def build(into: Path = INVALID) -> list[Path]:
    into.mkdir(parents=True, exist_ok=True)
    built = []
    for rule in EDITS:
        build_one(rule, into / rule)
        built.append(into / rule)
    return built


if __name__ == "__main__":
    for path in build(Path(sys.argv[1]) if len(sys.argv) > 1 else INVALID):
        print(path)
