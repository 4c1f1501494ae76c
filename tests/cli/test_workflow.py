"""The workflow commands end to end (juhis §1-§8), driven by the documents in ``flows/``.

Every test works on a real git case repository made by ``juhtum init``, runs the CLI in
this process, and looks at what a coordinator sees: exit codes, messages, the files of the
case, and the commits. The documents in ``flows/`` are the adult case of
``tests/cases/valid/twin`` without ``case:`` (the commands fill it in; ``plan-v1.yaml`` is
its plan's first version), plus a second period for the case that loops
(``evaluation-modify.yaml``, ``planning-loop.yaml``, ``plan-loop.yaml``,
``evaluation-close-loop.yaml``). A test that needs a document with something missing
derives it from one of them with :func:`variant`.

Cases taken to a state are built once per session (:class:`Store`) and copied for each
test, so the suite stays fast; the two full flows are built once, every step checked as it
runs.
"""

from __future__ import annotations

import itertools
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from juhtum.documents import yamlio
from tests.conftest import ROOT, Run, git

FLOWS = Path(__file__).parent / "flows"
SERVICES = ROOT / "tests" / "cases" / "valid" / "twin" / "services"

Juhtum = Callable[..., Run]


# -- git and files ------------------------------------------------------------------------------


def commits(root: Path) -> int:
    return int(git(root, "rev-list", "--count", "HEAD"))


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def load(path: Path) -> Any:
    return yamlio.load_file(path, path=path.name).data


def flow(name: str) -> Path:
    return FLOWS / name


def variant(
    directory: Path, name: str, change: Callable[[dict[str, Any]], None], *, as_name: str
) -> Path:
    """A copy of ``flows/<name>`` changed by ``change``, written to ``directory/as_name``."""
    data = load(flow(name))
    assert isinstance(data, dict)
    change(data)
    directory.mkdir(exist_ok=True)
    path = directory / as_name
    path.write_text(yamlio.dumps(data), encoding="utf-8")
    return path


def new_repository(juhtum: Juhtum, root: Path) -> Path:
    """A case repository made by ``juhtum init``, with the service catalogue that
    ``flows/planning.yaml`` names, committed."""
    result = juhtum("init", root, "--organisation", "Testi Vallavalitsus", "--id-prefix", "test")
    assert result.code == 0, result.output
    shutil.copytree(SERVICES, root / "services")
    git(root, "add", "services")
    git(root, "commit", "-q", "-m", "service catalogue")
    return root


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    """Where a test writes the variants of the flow documents (outside the repository)."""
    return tmp_path / "docs"


# -- driving a case -----------------------------------------------------------------------------


@dataclass
class Case:
    """One case in a repository, and the steps taken on it.

    ``step`` runs a command that must succeed. With ``checked`` (the full flows) it also
    checks that the command made exactly one commit, named ``<id>: <step>`` with the
    ``Case:`` and ``Stage:`` trailers, and that ``juhtum validate`` passes afterwards.
    """

    juhtum: Juhtum
    repo: Path
    id: str
    checked: bool = False
    steps: list[tuple[str, str]] = field(default_factory=list)
    """(step, state after) of every commit made on this case, oldest first."""

    @property
    def folder(self) -> Path:
        return self.repo / "cases" / self.id

    def run(self, today: str, *args: str | Path) -> Run:
        return self.juhtum("--today", today, *args, cwd=self.repo)

    def step(self, today: str, *args: str | Path, step: str, stage: str) -> Run:
        before = commits(self.repo) if self.checked else 0
        result = self.run(today, *args)
        assert result.code == 0, result.output
        if args[0] != "new":  # new prints just the id
            assert f"{self.id}: {step}" in result.out
        self.steps.append((step, stage))
        if self.checked:
            assert commits(self.repo) == before + 1, f"{step}: not exactly one commit"
            message = git(self.repo, "log", "-1", "--format=%B").strip()
            assert message == f"{self.id}: {step}\n\nCase: {self.id}\nStage: {stage}"
            valid = self.run(today, "validate")
            assert valid.code == 0, f"after {step}:\n{valid.output}"
            assert "0 errors" in valid.out
        assert self.state() == stage
        return result

    def state(self) -> str:
        data = load(self.folder / "case.yaml")
        assert isinstance(data, dict)
        return str(data["stage"])

    def document(self, name: str) -> Any:
        return load(self.folder / name)

    def entries(self, folder: str) -> list[Path]:
        return sorted((self.folder / folder).glob("*.yaml"))

    def status(self) -> dict[str, Any]:
        result = self.juhtum("status", self.id, "--json", cwd=self.repo)
        assert result.code == 0, result.output
        data = json.loads(result.out)
        assert isinstance(data, dict)
        return data

    def refused(self, today: str, *args: str | Path) -> Run:
        """Run a command that must be refused: exit 1, no file written, no commit made."""
        head = git(self.repo, "rev-parse", "HEAD")
        count = commits(self.repo)
        before = files_of(self.folder)
        result = self.run(today, *args)
        assert result.code == 1, result.output
        assert "Traceback" not in result.output
        assert git(self.repo, "rev-parse", "HEAD") == head
        assert commits(self.repo) == count
        assert files_of(self.folder) == before
        assert git(self.repo, "status", "--porcelain") == ""
        return result


def open_case(juhtum: Juhtum, repo: Path, case_id: str, *, checked: bool = False) -> Case:
    """``new`` and the people of the twin case (the §1 specialist, a provider, the sister)."""
    case = Case(juhtum, repo, case_id, checked=checked)
    opened = case.step(
        "2026-01-05", "new", "--client", "Liina Kõrvits", "--id", case_id,
        step="new case", stage="need",
    )  # fmt: skip
    assert opened.out.strip().splitlines()[-1] == case_id
    for handle, name, role, extra in (
        ("kk", "Kaja Kuusk", "coordinator", ["--email", "kaja.kuusk@naidiskula.example"]),
        ("tk", "Töötukassa Näidiskülas", "provider", ["--email", "naidiskula@tootukassa.example"]),
        ("ode", "Mare Kõrvits", "network", ["--phone", "+372 5000 0002"]),
    ):
        case.step(
            "2026-01-05", "people", case_id, "--add", handle, "--name", name, "--role", role,
            *extra, step=f"people: add {handle}", stage="need",
        )  # fmt: skip
    return case


SIGNERS = (
    ("2026-02-02", "client"),
    ("2026-02-02", "kk"),
    ("2026-02-03", "tk"),
    ("2026-02-03", "ode"),
)


def _to_need(case: Case) -> None:
    case.step("2026-01-12", "need", case.id, "--file", flow("need.yaml"), step="need", stage="need")


def _to_assessment(case: Case) -> None:
    case.step(
        "2026-01-20", "assess", case.id, "--file", flow("assessment.yaml"),
        step="assess: need -> assessment", stage="assessment",
    )  # fmt: skip


def _to_planning(case: Case) -> None:
    case.step(
        "2026-01-26", "measures", case.id, "--file", flow("planning.yaml"),
        step="measures: assessment -> planning", stage="planning",
    )  # fmt: skip


def _to_plan(case: Case) -> None:
    case.step(
        "2026-02-02", "plan", case.id, "--file", flow("plan-v1.yaml"),
        step="plan: planning -> plan", stage="plan",
    )  # fmt: skip


def _to_implementation(case: Case) -> None:
    for today, party in SIGNERS[:-1]:
        case.step(today, "sign", case.id, "--party", party, step=f"sign: {party}", stage="plan")
    today, party = SIGNERS[-1]
    case.step(
        today, "sign", case.id, "--party", party,
        step=f"sign: {party}; all parties signed: plan -> implementation", stage="implementation",
    )  # fmt: skip


STEPS: dict[str, Callable[[Case], None]] = {
    "need": _to_need,  # need.yaml written: the case is still in need
    "assessment": _to_assessment,
    "planning": _to_planning,
    "plan": _to_plan,
    "implementation": _to_implementation,
}
ORDER = ("opened", *STEPS)


def advance(case: Case, until: str) -> Case:
    """Take an opened case through the twin case's documents up to ``until``."""
    for state in ORDER[1 : ORDER.index(until) + 1]:
        STEPS[state](case)
    return case


# -- repositories built once per session and copied ------------------------------------------


@dataclass
class Built:
    repo: Path
    case_id: str
    start: int
    """Commits in the repository before the case was opened."""
    steps: list[tuple[str, str]]


class Store:
    """Cases taken to some state once per session; a test works on a copy of one."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.built: dict[str, Built] = {}

    def case(self, juhtum: Juhtum, until: str) -> Built:
        if until not in self.built:
            path = self.root / until
            if until == "opened":
                new_repository(juhtum, path)
                start = commits(path)
                case = open_case(juhtum, path, "c-1")
            else:
                earlier = self.case(juhtum, ORDER[ORDER.index(until) - 1])
                shutil.copytree(earlier.repo, path, symlinks=True)
                start = earlier.start
                case = Case(juhtum, path, earlier.case_id, steps=list(earlier.steps))
                STEPS[until](case)
            self.built[until] = Built(path, case.id, start, case.steps)
        return self.built[until]

    def flow(self, juhtum: Juhtum, name: str, run: Callable[[Juhtum, Path, str], Case]) -> Built:
        if name not in self.built:
            path = new_repository(juhtum, self.root / name)
            start = commits(path)
            case = run(juhtum, path, name)
            self.built[name] = Built(path, case.id, start, case.steps)
        return self.built[name]


@pytest.fixture(scope="session")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    return Store(tmp_path_factory.mktemp("built"))


CaseIn = Callable[[str], Case]


@pytest.fixture
def case_in(store: Store, juhtum: Juhtum, tmp_path: Path) -> CaseIn:
    """A copy of the twin case in a state (``opened``, ``need``, ..., ``implementation``)."""

    made = itertools.count(1)

    def make(until: str) -> Case:
        built = store.case(juhtum, until)
        target = tmp_path / f"cases-repo-{next(made)}"
        shutil.copytree(built.repo, target, symlinks=True)
        return Case(juhtum, target, built.case_id, steps=list(built.steps))

    return make


# -- 1. a full case, from new to closed ----------------------------------------------------------


def flow_one(juhtum: Juhtum, repo: Path, case_id: str) -> Case:
    """The twin case: need to closing, with an announced change, a handover, a meeting."""
    case = open_case(juhtum, repo, case_id, checked=True)
    case.step(
        "2026-01-05", "edit", case_id, "client", "--file", flow("client.yaml"),
        step="edit people/client.yaml", stage="need",
    )  # fmt: skip
    assert case.document("people/client.yaml")["personal_code"] == "47905212148"
    advance(case, "implementation")
    assert case.document("case.yaml")["coordinator"] == "kk"
    signatures = case.document("plan.yaml")["signatures"]
    assert [(s["party"], s["version"]) for s in signatures] == [
        ("client", 1),
        ("kk", 1),
        ("tk", 1),
        ("ode", 1),
    ]
    assert len({s["content_hash"] for s in signatures}) == 1

    case.step(
        "2026-02-20", "monitor", case_id, "--file", flow("monitoring.yaml"),
        step="monitoring (§5)", stage="implementation",
    )  # fmt: skip
    assert len(case.entries("monitoring")) == 1

    # §5.2: a change on the strength of monitoring, agreed with the provider it touches
    changed = case.step(
        "2026-03-02", "plan", case_id, "--file", flow("plan-v2.yaml"), "--agreed-by", "tk",
        "--reason", "Liina Kõrvits vajab nõustamist kuu võrra kauem.",
        step="plan change: version 2 (§5.2)", stage="implementation",
    )  # fmt: skip
    assert "[I9]" in changed.out  # the earlier signatures stand for it: a warning
    plan = case.document("plan.yaml")
    assert plan["version"] == 2
    assert next(a for a in plan["actions"] if a["id"] == "a2")["deadline"] == "2026-05-29"
    assert len(plan["signatures"]) == 4
    announcement = load(case.entries("monitoring")[-1])
    assert announcement["kind"] == "plan_change"
    assert announcement["plan_version"] == 2
    assert announcement["agreed_by"] == ["tk"]
    assert sorted(announcement["notified"]) == ["client", "kk", "ode", "tk"]
    assert len(announcement["plan_hash"]) == 64

    # §8: the new coordinator is registered by the handover itself
    assert not (case.folder / "people" / "kk2.yaml").exists()
    case.step(
        "2026-03-16", "handover", case_id, "--to", "kk2", "--name", "Kalev Kivi",
        "--organisation", "Näidisküla Vallavalitsus", "--file", flow("handover.yaml"),
        step="handover to kk2 (§8)", stage="implementation",
    )  # fmt: skip
    assert case.document("case.yaml")["coordinator"] == "kk2"
    person = case.document("people/kk2.yaml")
    assert person["name"] == "Kalev Kivi"
    assert person["roles"] == ["coordinator"]
    assert len(case.entries("handovers")) == 1

    case.step(
        "2026-03-20", "meeting", case_id, "--file", flow("meeting.yaml"),
        step="network meeting", stage="implementation",
    )  # fmt: skip
    evaluated = case.step(
        "2026-06-15", "evaluate", case_id, "--file", flow("evaluation-close.yaml"),
        step="evaluate: decided close", stage="evaluation",
    )  # fmt: skip
    assert f"juhtum close {case_id} --reason" in evaluated.out
    closed = case.step(
        "2026-06-20", "close", case_id, "--reason", "goals_achieved",
        "--file", flow("closing.yaml"),
        step="close: goals_achieved", stage="closed",
    )  # fmt: skip
    assert "state: evaluation -> closed" in closed.out
    evaluation = case.entries("evaluations")[0].relative_to(case.folder).as_posix()
    assert case.document("closing.yaml")["evaluation"] == evaluation
    return case


def check_status_and_history(case: Case) -> None:
    status = case.status()
    assert status["state"] == "closed"
    assert status["errors"] == []
    assert status["todo"] == []
    assert status["next"] == []
    assert all(d["complete"] for d in status["documents"])
    assert [d["document"] for d in status["documents"]] == [
        "need.yaml",
        "assessment.yaml",
        "planning.yaml",
        "plan.yaml",
        "closing.yaml",
    ]
    result = case.juhtum("history", case.id, "--json", cwd=case.repo)
    assert result.code == 0, result.output
    history = json.loads(result.out)
    assert [(e["step"], e["stage"]) for e in reversed(history)] == case.steps
    assert [e["date"][:10] for e in reversed(history)] == sorted(e["date"][:10] for e in history)


def flow_case(store: Store, juhtum: Juhtum, name: str) -> Case:
    """The case of flow ``flow-a`` or ``flow-b``, run once per session in its own repository
    (each step checked as it runs: one commit, its message, validate)."""
    built = store.flow(juhtum, name, flow_one if name == "flow-a" else flow_two)
    assert commits(built.repo) == built.start + len(built.steps)
    return Case(juhtum, built.repo, built.case_id, steps=list(built.steps))


def test_a_full_case_from_new_to_closed(store: Store, juhtum: Juhtum) -> None:
    case = flow_case(store, juhtum, "flow-a")
    check_status_and_history(case)
    status = case.status()
    assert status["entries"]["monitoring"] == 2  # the entry and the announced change
    assert status["entries"]["evaluation"] == 1
    assert status["entries"]["handover"] == 1
    assert status["entries"]["meeting"] == 1
    assert status["plan"]["version"] == 2
    assert {s["standing"] for s in status["plan"]["signatures"]} == {
        "stands: an earlier version, the change was announced"
    }
    assert status["plan"]["missing"] == []
    assert git(case.repo, "status", "--porcelain") == ""


# -- 2. a case that loops: evaluation decides modify ----------------------------------------------


def flow_two(juhtum: Juhtum, repo: Path, case_id: str) -> Case:
    case = advance(open_case(juhtum, repo, case_id, checked=True), "implementation")
    first_hash = case.document("plan.yaml")["signatures"][0]["content_hash"]

    modified = case.step(
        "2026-03-02", "evaluate", case_id, "--file", flow("evaluation-modify.yaml"),
        step="evaluate: decided modify", stage="planning",
    )  # fmt: skip
    assert "state: implementation -> planning" in modified.out
    next_period = load(case.entries("evaluations")[0])["next_period"]
    assert [g["id"] for g in next_period["goals"]] == ["g1", "g3"]

    case.step(
        "2026-03-04", "measures", case_id, "--file", flow("planning-loop.yaml"),
        step="measures", stage="planning",
    )  # fmt: skip
    assert [m["id"] for m in case.document("planning.yaml")["measures"]] == ["m1", "m2"]

    case.step(
        "2026-03-09", "plan", case_id, "--file", flow("plan-loop.yaml"),
        step="plan: planning -> plan", stage="plan",
    )  # fmt: skip
    plan = case.document("plan.yaml")
    assert plan["version"] == 2
    assert [g["id"] for g in plan["goals"]] == ["g1", "g2", "g3"]
    kept = plan["signatures"]
    assert [(s["party"], s["version"], s["content_hash"]) for s in kept] == [
        (party, 1, first_hash) for _, party in SIGNERS
    ]
    status = case.status()
    assert {s["standing"] for s in status["plan"]["signatures"]} == {"given to an earlier version"}
    assert sorted(status["plan"]["missing"]) == ["client", "kk", "ode", "tk"]

    for party in ("client", "kk", "tk"):
        case.step(
            "2026-03-09", "sign", case_id, "--party", party, step=f"sign: {party}", stage="plan"
        )
    case.step(
        "2026-03-09", "sign", case_id, "--party", "ode",
        step="sign: ode; all parties signed: plan -> implementation", stage="implementation",
    )  # fmt: skip
    signatures = case.document("plan.yaml")["signatures"]
    assert [(s["party"], s["version"]) for s in signatures] == [
        *((party, 1) for _, party in SIGNERS),
        ("client", 2),
        ("kk", 2),
        ("tk", 2),
        ("ode", 2),
    ]
    assert signatures[-1]["content_hash"] != first_hash

    case.step(
        "2026-06-15", "evaluate", case_id, "--file", flow("evaluation-close-loop.yaml"),
        step="evaluate: decided close", stage="evaluation",
    )  # fmt: skip
    case.step(
        "2026-06-20", "close", case_id, "--reason", "goals_achieved",
        "--file", flow("closing.yaml"),
        step="close: goals_achieved", stage="closed",
    )  # fmt: skip
    assert case.document("closing.yaml")["evaluation"] == (
        case.entries("evaluations")[-1].relative_to(case.folder).as_posix()
    )
    return case


def test_a_case_that_loops_through_modify(store: Store, juhtum: Juhtum) -> None:
    case = flow_case(store, juhtum, "flow-b")
    check_status_and_history(case)
    status = case.status()
    assert status["entries"]["evaluation"] == 2
    assert status["plan"]["version"] == 2
    assert [s["standing"] for s in status["plan"]["signatures"]] == [
        *["given to an earlier version"] * 4,
        *["valid"] * 4,
    ]


# -- 3. refused transitions ---------------------------------------------------------------------


def _not_case_management(need: dict[str, Any]) -> None:
    need["decision"]["outcome"] = "no_help_needed"


def _no_coordinator(need: dict[str, Any]) -> None:
    del need["coordinator_assignment"]


def _no_agreement(need: dict[str, Any]) -> None:
    del need["agreement"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            _not_case_management,
            ["the need decision is no_help_needed, not case management", "§1.3"],
        ),
        (_no_coordinator, ["[I2] coordinator_assignment is missing", "§1.4"]),
        (_no_agreement, ["agreement is missing", "§1.5"]),
    ],
    ids=["not-case-management", "no-coordinator", "no-agreement"],
)
def test_need_to_assessment_is_refused_when_section_1_is_not_done(
    case_in: CaseIn,
    docs: Path,
    change: Callable[[dict[str, Any]], None],
    expected: list[str],
) -> None:
    case = case_in("opened")
    need = variant(docs, "need.yaml", change, as_name="need.yaml")
    case.step("2026-01-12", "need", case.id, "--file", need, step="need", stage="need")
    result = case.refused("2026-01-20", "assess", case.id, "--file", flow("assessment.yaml"))
    assert "the case cannot move to assessment yet: these are missing" in result.err
    for text in expected:
        assert text in result.err
    assert case.state() == "need"
    assert not (case.folder / "assessment.yaml").exists()


@pytest.mark.parametrize(
    ("until", "command", "document", "expected"),
    [
        (
            "need",
            "measures",
            "planning.yaml",
            "the case is in need; juhtum measures belongs to planning (juhis §3), which does "
            "not follow from need. From need the case can go to: assessment, referred, closed",
        ),
        (
            "assessment",
            "evaluate",
            "evaluation-close.yaml",
            "juhtum evaluate belongs to evaluation (juhis §6), which does not follow from "
            "assessment",
        ),
        (
            "implementation",
            "assess",
            "assessment.yaml",
            "juhtum assess belongs to assessment (juhis §2), which does not follow from "
            "implementation. From implementation the case can go to: evaluation, closed",
        ),
    ],
)
def test_a_command_of_a_stage_that_does_not_follow_is_refused(
    case_in: CaseIn, until: str, command: str, document: str, expected: str
) -> None:
    case = case_in(until)
    result = case.refused("2026-03-02", command, case.id, "--file", flow(document))
    assert expected in result.err


def _no_goals(assessment: dict[str, Any]) -> None:
    del assessment["goals"]


def _no_client_view(assessment: dict[str, Any]) -> None:
    del assessment["client_view"]


def _no_risks(assessment: dict[str, Any]) -> None:
    for domain in assessment["domains"]:
        domain.pop("risks", None)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (_no_goals, ["[schema] goals is missing", "§2.3"]),
        (_no_client_view, ["[I3] client_view is missing", "§2.2"]),
        (_no_risks, ["[I3] the assessment lists no risks", "§2"]),
    ],
    ids=["no-goals", "no-client-view", "no-risks"],
)
def test_assessment_to_planning_is_refused_while_the_assessment_is_incomplete(
    case_in: CaseIn,
    docs: Path,
    change: Callable[[dict[str, Any]], None],
    expected: list[str],
) -> None:
    case = case_in("need")
    draft = variant(docs, "assessment.yaml", change, as_name="assessment.yaml")
    # the current stage's document may be a draft
    case.step(
        "2026-01-20", "assess", case.id, "--file", draft,
        step="assess: need -> assessment", stage="assessment",
    )  # fmt: skip
    result = case.refused("2026-01-26", "measures", case.id, "--file", flow("planning.yaml"))
    assert "the case cannot move to planning yet: these are missing" in result.err
    for text in expected:
        assert text in result.err
    assert case.state() == "assessment"


def test_planning_to_plan_is_refused_without_the_informed_decision(
    case_in: CaseIn, docs: Path
) -> None:
    case = case_in("assessment")
    planning = variant(
        docs, "planning.yaml", lambda d: d.pop("informed_decision"), as_name="planning.yaml"
    )
    case.step(
        "2026-01-26", "measures", case.id, "--file", planning,
        step="measures: assessment -> planning", stage="planning",
    )  # fmt: skip
    result = case.refused("2026-02-02", "plan", case.id, "--file", flow("plan-v1.yaml"))
    assert "the plan is refused: it would leave these errors" in result.err
    assert "informed_decision is missing" in result.err
    assert "juhis §3" in result.err
    assert case.state() == "planning"
    assert not (case.folder / "plan.yaml").exists()


def _pending(planning: dict[str, Any]) -> None:
    planning["measures"][0]["negotiation"] = {"status": "pending"}


def test_plan_is_refused_while_a_measure_is_pending(case_in: CaseIn, docs: Path) -> None:
    """domain.md, planning -> plan: each measure with another organisation has a negotiation
    outcome, agreed, queued or declined (§3.1). A measure still ``pending`` has none."""
    case = case_in("assessment")
    planning = variant(docs, "planning.yaml", _pending, as_name="planning.yaml")
    case.step(
        "2026-01-26", "measures", case.id, "--file", planning,
        step="measures: assessment -> planning", stage="planning",
    )  # fmt: skip
    result = case.refused("2026-02-02", "plan", case.id, "--file", flow("plan-v1.yaml"))
    assert "m1" in result.err
    assert "pending" in result.err
    assert "§3.1" in result.err
    assert case.state() == "planning"


def test_monitoring_is_refused_before_the_plan_is_signed(case_in: CaseIn) -> None:
    case = case_in("plan")
    result = case.refused("2026-02-02", "monitor", case.id, "--file", flow("monitoring.yaml"))
    assert "monitoring starts once the plan is signed by all parties (juhis §4.2, §5)" in result.err


def test_monitoring_waits_for_every_signature(case_in: CaseIn) -> None:
    """§5 follows §4.2: one signature does not put the plan in force."""
    case = case_in("plan")
    case.step("2026-02-02", "sign", case.id, "--party", "client", step="sign: client", stage="plan")
    result = case.refused("2026-02-20", "monitor", case.id, "--file", flow("monitoring.yaml"))
    assert "case c-1 is in plan: juhtum status c-1 says what is missing" in result.err
    assert case.entries("monitoring") == []
    assert sorted(case.status()["plan"]["missing"]) == ["kk", "ode", "tk"]


def test_sign_is_refused_on_an_incomplete_plan(case_in: CaseIn, docs: Path) -> None:
    case = case_in("planning")
    draft = variant(docs, "plan-v1.yaml", lambda d: d.pop("reviews"), as_name="plan.yaml")
    case.step(
        "2026-02-02", "plan", case.id, "--file", draft,
        step="plan: planning -> plan", stage="plan",
    )  # fmt: skip
    result = case.refused("2026-02-02", "sign", case.id, "--party", "client")
    assert "the plan is not complete yet: sign it when it is" in result.err
    assert "[I7] reviews is missing" in result.err
    assert "juhis §4.1" in result.err
    assert "signatures" not in case.document("plan.yaml")


def test_signing_twice_is_refused(case_in: CaseIn) -> None:
    case = case_in("plan")
    case.step("2026-02-02", "sign", case.id, "--party", "client", step="sign: client", stage="plan")
    result = case.refused("2026-02-03", "sign", case.id, "--party", "client")
    assert "client has signed this version of the plan already" in result.err
    assert len(case.document("plan.yaml")["signatures"]) == 1


def test_sign_is_refused_for_somebody_not_in_the_case(case_in: CaseIn) -> None:
    case = case_in("plan")
    result = case.refused("2026-02-02", "sign", case.id, "--party", "kk2")
    assert "kk2 is nobody in this case" in result.err
    assert "juhtum people c-1 --add kk2 --name" in result.err
    result = case.refused("2026-02-02", "sign", case.id, "--party", "tk", "--role", "client")
    assert "tk's roles are provider: sign with one of them (--role)" in result.err


def test_close_goals_achieved_is_refused_without_an_evaluation_that_decided_close(
    case_in: CaseIn,
) -> None:
    case = case_in("implementation")
    result = case.refused(
        "2026-06-20", "close", case.id, "--reason", "goals_achieved", "--file", flow("closing.yaml")
    )
    assert "the case cannot be closed: these are missing" in result.err
    assert "[I10] closing for this reason needs the evaluation that decided to close" in result.err
    assert "juhis §6.3 (3), §7" in result.err
    assert case.state() == "implementation"
    assert not (case.folder / "closing.yaml").exists()


def _cannot_continue(safety: dict[str, Any] | None) -> Callable[[dict[str, Any]], None]:
    def change(closing: dict[str, Any]) -> None:
        closing["reason"] = "cannot_continue"
        closing["details"] = "Liina kolib välismaale."
        if safety is not None:
            closing["safety"] = safety

    return change


def test_close_cannot_continue_needs_the_safety_judgement(case_in: CaseIn, docs: Path) -> None:
    case = case_in("implementation")
    without = variant(docs, "closing.yaml", _cannot_continue(None), as_name="without.yaml")
    result = case.refused(
        "2026-06-20", "close", case.id, "--reason", "cannot_continue", "--file", without
    )
    assert "the case cannot be closed: these are missing" in result.err
    assert "[I10] safety is missing" in result.err
    assert "juhis §7.1 (3)" in result.err

    danger = {"endangers_life_or_health": True, "judgement": "Liina jääb ilma toeta."}
    endangers = variant(docs, "closing.yaml", _cannot_continue(danger), as_name="danger.yaml")
    result = case.refused(
        "2026-06-20", "close", case.id, "--reason", "cannot_continue", "--file", endangers
    )
    assert (
        "[I10] the safety judgement says closing endangers someone's life or health: a case "
        "cannot be closed so (juhis §7.1 (3))" in result.err
    )
    assert case.state() == "implementation"

    safe = {"endangers_life_or_health": False, "judgement": "Liinal on õe tugi."}
    judged = variant(docs, "closing.yaml", _cannot_continue(safe), as_name="safe.yaml")
    case.step(
        "2026-06-20", "close", case.id, "--reason", "cannot_continue", "--file", judged,
        step="close: cannot_continue", stage="closed",
    )  # fmt: skip
    assert "evaluation" not in case.document("closing.yaml")


def test_status_does_not_ask_for_signatures_to_close(case_in: CaseIn, docs: Path) -> None:
    """Any open state -> closed (cannot continue, §7.1 (3)): from plan, status must not ask
    for the plan's signatures to close, since juhtum close needs none for this reason."""
    case = case_in("plan")
    closed = next(n for n in case.status()["next"] if n["state"] == "closed")
    assert closed["command"].startswith("juhtum close c-1 --reason ")
    safe = {"endangers_life_or_health": False, "judgement": "Liinal on õe tugi."}
    judged = variant(docs, "closing.yaml", _cannot_continue(safe), as_name="safe.yaml")
    case.step(
        "2026-06-20", "close", case.id, "--reason", "cannot_continue", "--file", judged,
        step="close: cannot_continue", stage="closed",
    )  # fmt: skip
    assert [m["message"] for m in closed["missing"] if m["rule"] == "I8"] == []


def test_close_reason_and_document_must_agree(case_in: CaseIn) -> None:
    case = case_in("implementation")
    result = case.refused(
        "2026-06-20",
        "close",
        case.id,
        "--reason",
        "cannot_continue",
        "--file",
        flow("closing.yaml"),
    )
    assert "--reason says cannot_continue, the document says goals_achieved" in result.err


def test_handover_is_refused_when_a_provider_of_the_plan_is_not_told(
    case_in: CaseIn, docs: Path
) -> None:
    case = case_in("implementation")
    handover = variant(
        docs,
        "handover.yaml",
        lambda d: d.update(providers_notified=[]),
        as_name="handover.yaml",
    )
    result = case.refused(
        "2026-03-16", "handover", case.id, "--to", "kk2", "--name", "Kalev Kivi", "--file", handover
    )
    assert "the handover is refused: it is not complete" in result.err
    assert "[I12] the plan's providers tk were not told of the handover (juhis §8)" in result.err
    assert case.document("case.yaml")["coordinator"] == "kk"
    assert not (case.folder / "people" / "kk2.yaml").exists()
    assert not (case.folder / "handovers").exists()


def test_handover_to_someone_new_needs_their_name(case_in: CaseIn) -> None:
    case = case_in("implementation")
    result = case.refused(
        "2026-03-16", "handover", case.id, "--to", "kk2", "--file", flow("handover.yaml")
    )
    assert "kk2 is nobody in this case yet: give --name" in result.err
    result = case.refused(
        "2026-03-16", "handover", case.id, "--to", "kk3", "--name", "Kalev Kivi",
        "--file", flow("handover.yaml"),
    )  # fmt: skip
    assert "--to says kk3, the document says kk2: make them agree" in result.err


def _changed_plan(case: Case, docs: Path) -> Path:
    """The plan as it stands, signatures included, with action a2's deadline moved."""
    plan = case.document("plan.yaml")
    next(a for a in plan["actions"] if a["id"] == "a2")["deadline"] = "2026-05-29"
    docs.mkdir(exist_ok=True)
    path = docs / "changed.yaml"
    path.write_text(yamlio.dumps(plan), encoding="utf-8")
    return path


def test_editing_a_signed_plan_in_force_is_refused(case_in: CaseIn, docs: Path) -> None:
    case = case_in("implementation")
    result = case.refused(
        "2026-03-02", "edit", case.id, "plan", "--file", _changed_plan(case, docs)
    )
    assert (
        "the plan is signed and in force: editing it would void the signatures. To change it "
        "during implementation, use juhtum plan c-1 (a change announced as juhis §5.2 asks)"
        in result.err
    )
    assert "[I8] the signature of client no longer holds" in result.err


def test_a_plan_change_during_implementation_names_the_providers_who_agreed(
    case_in: CaseIn,
) -> None:
    case = case_in("implementation")
    result = case.refused("2026-03-02", "plan", case.id, "--file", flow("plan-v2.yaml"))
    assert (
        "the change touches the actions of tk: name the providers who agreed to it with "
        "--agreed-by (juhis §4.2)" in result.err
    )
    result = case.refused("2026-03-02", "plan", case.id, "--file", flow("plan-v1.yaml"))
    assert "the plan is as it was: nothing to announce" in result.err
    assert case.document("plan.yaml")["version"] == 1


def test_need_with_a_complete_single_service_decision_ends_as_referred(
    case_in: CaseIn, docs: Path
) -> None:
    def single_service(need: dict[str, Any]) -> None:
        del need["coordinator_assignment"], need["agreement"]
        decision = need["decision"]
        decision["outcome"] = "single_service"
        del decision["notified"]
        decision["referrals"] = [
            {"to": "tk", "service": "Tööotsingu nõustamine", "date": "2026-01-12"}
        ]

    def without_referrals(need: dict[str, Any]) -> None:
        single_service(need)
        del need["decision"]["referrals"]

    case = case_in("opened")
    case.checked = True
    # without the referrals the decision is not complete: a draft, the case stays in need
    incomplete = variant(docs, "need.yaml", without_referrals, as_name="incomplete.yaml")
    case.step("2026-01-12", "need", case.id, "--file", incomplete, step="need", stage="need")
    referral = variant(docs, "need.yaml", single_service, as_name="referral.yaml")
    result = case.step(
        "2026-01-12", "need", case.id, "--file", referral,
        step="need: referred (§1.3 (1))", stage="referred",
    )  # fmt: skip
    assert "state: need -> referred (juhis §1.3 (1)" in result.out
    ended = case.refused("2026-01-20", "assess", case.id, "--file", flow("assessment.yaml"))
    assert "From referred the case can go to: nothing: the case has ended" in ended.err


def test_measures_in_plan_steps_back_to_planning(case_in: CaseIn) -> None:
    case = case_in("plan")
    case.checked = True
    case.step("2026-02-02", "sign", case.id, "--party", "client", step="sign: client", stage="plan")
    result = case.step(
        "2026-02-05", "measures", case.id, "--file", flow("planning.yaml"),
        step="measures: back to planning", stage="planning",
    )  # fmt: skip
    assert "state: plan -> planning (juhis §3" in result.out
    # and planning -> assessment, when a provider declines
    case.step(
        "2026-02-06", "assess", case.id, "--file", flow("assessment.yaml"),
        step="assess: back to assessment", stage="assessment",
    )  # fmt: skip


def _no_longer_needed(closing: dict[str, Any]) -> None:
    closing.update(reason="no_longer_needed", details="Liina leidis ise töö.")


def test_no_longer_needed_closes_from_need_but_needs_an_evaluation_once_signed(
    case_in: CaseIn, docs: Path
) -> None:
    """need -> closed when no help is needed; once a plan was signed, I10 asks for the
    evaluation that decided to close."""
    closing = variant(docs, "closing.yaml", _no_longer_needed, as_name="closing.yaml")
    signed = case_in("implementation")
    result = signed.refused(
        "2026-06-20", "close", signed.id, "--reason", "no_longer_needed", "--file", closing
    )
    assert "[I10] closing for this reason needs the evaluation that decided to close" in result.err

    case = case_in("opened")
    case.checked = True
    need = variant(docs, "need.yaml", _not_case_management, as_name="need.yaml")
    case.step("2026-01-12", "need", case.id, "--file", need, step="need", stage="need")
    closed = case.step(
        "2026-06-20", "close", case.id, "--reason", "no_longer_needed", "--file", closing,
        step="close: no_longer_needed", stage="closed",
    )  # fmt: skip
    assert "state: need -> closed (juhis §7" in closed.out
    assert "evaluation" not in case.document("closing.yaml")


# -- 4. a plan revised after some signatures ---------------------------------------------------


def test_revising_the_plan_after_some_signatures_voids_them(
    case_in: CaseIn, juhtum: Juhtum, docs: Path
) -> None:
    case = case_in("plan")
    for party in ("client", "kk"):
        case.step(
            "2026-02-02", "sign", case.id, "--party", party, step=f"sign: {party}", stage="plan"
        )
    case.checked = True
    case.step(
        "2026-02-03", "plan", case.id, "--file", _changed_plan(case, docs),
        step="plan", stage="plan",
    )  # fmt: skip
    plan = case.document("plan.yaml")
    assert plan["version"] == 1
    assert [s["party"] for s in plan["signatures"]] == ["client", "kk"]

    status = case.status()
    assert [(s["party"], s["standing"]) for s in status["plan"]["signatures"]] == [
        ("client", "void: the plan changed after it was signed"),
        ("kk", "void: the plan changed after it was signed"),
    ]
    assert sorted(status["plan"]["missing"]) == ["client", "kk", "ode", "tk"]
    text = juhtum("--today", "2026-02-03", "status", case.id, cwd=case.repo).out
    flat = " ".join(text.split())  # status wraps at the screen's width
    assert "void: the plan changed after it was signed: client, kk" in flat
    unsigned = flat.split("not signed: ")[1].split(" void")[0]
    assert sorted(unsigned.split(", ")) == ["client", "kk", "ode", "tk"]

    todo = juhtum("--today", "2026-02-03", "validate", "--todo", cwd=case.repo)
    assert todo.code == 0, todo.output
    assert "0 errors" in todo.out
    for party in ("client", "kk"):
        assert (
            f"to-do [I8] signatures[{('client', 'kk').index(party) + 1}].content_hash: the "
            f"signature of {party} no longer holds: the plan was changed after it was signed"
            in todo.out
        )
    for party in ("tk", "ode"):
        assert f"to-do [I8] signatures: the plan is not signed by {party}" in todo.out


def test_signing_again_after_a_revision_starts_the_implementation(
    case_in: CaseIn, docs: Path
) -> None:
    """I8: after a revision voids a signature, status and validate say "Sign again". Once every
    party has signed the plan as it now stands, the case moves to implementation; the void
    signatures are history, not errors."""
    case = case_in("plan")
    case.step("2026-02-02", "sign", case.id, "--party", "client", step="sign: client", stage="plan")
    case.step(
        "2026-02-03",
        "plan",
        case.id,
        "--file",
        _changed_plan(case, docs),
        step="plan",
        stage="plan",
    )
    for party in ("client", "kk", "tk"):
        case.step(
            "2026-02-04", "sign", case.id, "--party", party, step=f"sign: {party}", stage="plan"
        )
    result = case.run("2026-02-04", "sign", case.id, "--party", "ode")
    assert result.code == 0, result.output
    assert "all parties signed: plan -> implementation" in result.out
    assert case.state() == "implementation"
    assert case.status()["plan"]["missing"] == []
    valid = case.run("2026-02-04", "validate")
    assert valid.code == 0, valid.output


def test_a_handover_before_the_assessment_keeps_the_new_coordinator(
    case_in: CaseIn, docs: Path
) -> None:
    """Handover may happen in any open state (domain.md); I2: the coordinator is the ``to`` of
    the latest handover. Handed over in need, after the §1.4 assignment, the case must move
    on to assessment with the new coordinator."""
    case = case_in("need")

    def early(handover: dict[str, Any]) -> None:
        handover.update(date="2026-01-14", providers_notified=[])
        handover["client_informed"]["date"] = "2026-01-13"

    handover = variant(docs, "handover.yaml", early, as_name="handover.yaml")
    case.step(
        "2026-01-14", "handover", case.id, "--to", "kk2", "--name", "Kalev Kivi",
        "--file", handover, step="handover to kk2 (§8)", stage="need",
    )  # fmt: skip
    result = case.run("2026-01-20", "assess", case.id, "--file", flow("assessment.yaml"))
    assert result.code == 0, result.output
    assert case.state() == "assessment"
    assert case.document("case.yaml")["coordinator"] == "kk2"


def test_a_yaml_error_in_a_document_is_a_refusal_not_a_crash(case_in: CaseIn, docs: Path) -> None:
    """design.md: a user never sees a traceback; a message names the file, the line and the
    field. A flat document with a YAML error gets that; one with a nested block (every real
    document) ends in "unexpected error" and exit 3."""
    case = case_in("opened")
    docs.mkdir()
    flat = docs / "flat.yaml"
    flat.write_text("specialist: kk\ninfo_sufficient: [true\n", encoding="utf-8")
    result = case.refused("2026-01-12", "need", case.id, "--file", flat)
    # the file the person gave, and its line (issue 11: not a path that does not exist)
    assert f"{flat}:3: YAML syntax error" in result.err
    nested = docs / "nested.yaml"
    nested.write_text("specialist: kk\ninitial_info:\n  consent: [true\n", encoding="utf-8")
    result = case.refused("2026-01-12", "need", case.id, "--file", nested)
    assert f"{nested}:" in result.err
    assert "YAML syntax error" in result.err
    assert "unexpected error" not in result.err
    twice = docs / "twice.yaml"
    twice.write_text("specialist: kk\ninitial_info:\n  consent: {}\nspecialist: tk\n", "utf-8")
    result = case.refused("2026-01-12", "need", case.id, "--file", twice)
    assert f"{twice}:4: the key specialist appears twice" in result.err


# -- 5. no names in commit messages --------------------------------------------------------------


def test_commit_messages_hold_no_names_or_personal_codes(store: Store, juhtum: Juhtum) -> None:
    """Names and personal codes go in through --client, --name, edit and --reason (a plan
    change's reason names the person on purpose); none may reach a commit message."""
    checked = 0
    for name in ("flow-a", "flow-b"):
        case = flow_case(store, juhtum, name)
        secrets: set[str] = set()
        for path in sorted(case.repo.glob("cases/*/people/*.yaml")):
            person = load(path)
            assert isinstance(person, dict)
            secrets.add(person["name"])
            secrets.update(part for part in person["name"].split() if len(part) > 3)
            if person.get("personal_code"):
                secrets.add(person["personal_code"])
        assert {"Liina Kõrvits", "Kaja Kuusk", "Mare Kõrvits"} <= secrets
        messages = git(case.repo, "log", "--format=%B")
        assert messages.count(f"Case: {case.id}") == len(case.steps)
        for secret in sorted(secrets):
            assert secret.casefold() not in messages.casefold(), (name, secret)
            checked += 1
        if name == "flow-a":
            assert {"Kalev Kivi", "47905212148"} <= secrets
            assert "flow-a: handover to kk2 (§8)" in messages
    assert checked > 10


# -- 6. changes nobody committed ----------------------------------------------------------------


def test_uncommitted_changes_are_refused_and_kept_when_forced(case_in: CaseIn) -> None:
    case = case_in("opened")
    head = git(case.repo, "rev-parse", "HEAD")
    theirs = b"specialist: kk\n# someone's unsaved notes\n"
    (case.folder / "need.yaml").write_bytes(theirs)
    with (case.folder / "people" / "tk.yaml").open("a", encoding="utf-8") as f:
        f.write("# a note\n")
    before = files_of(case.folder)

    result = case.run("2026-01-12", "need", case.id, "--file", flow("need.yaml"))
    assert result.code == 1, result.output
    assert "case c-1 has changes nobody committed: " in result.err
    named = result.err.split("nobody committed: ", 1)[1].split(". Commit them first")[0]
    assert sorted(named.split(", ")) == ["cases/c-1/need.yaml", "cases/c-1/people/tk.yaml"]
    assert "run the command again with --force" in result.err
    assert git(case.repo, "rev-parse", "HEAD") == head
    assert files_of(case.folder) == before

    forced = case.step(
        "2026-01-12", "need", case.id, "--file", flow("need.yaml"), "--force",
        step="need", stage="need",
    )  # fmt: skip
    assert "wrote cases/c-1/need.yaml" in forced.out
    assert (case.folder / "need.yaml").read_bytes() == (
        b"case: c-1\n" + flow("need.yaml").read_bytes()
    )
    kept = list((case.repo / ".juhtum" / "overwritten").rglob("need.yaml"))
    assert len(kept) == 1
    assert kept[0].read_bytes() == theirs
    assert kept[0].relative_to(case.repo / ".juhtum" / "overwritten").parts[1:] == (
        "cases",
        "c-1",
        "need.yaml",
    )
    # what the command did not touch stays as it was, still not committed
    assert git(case.repo, "status", "--porcelain").strip() == "M cases/c-1/people/tk.yaml"
    # case.yaml too: its coordinator (who opened the case) follows the §1.4 assignment
    assert git(case.repo, "show", "--name-only", "--format=", "HEAD").split() == [
        "cases/c-1/case.yaml",
        "cases/c-1/need.yaml",
    ]


# -- 7. people --------------------------------------------------------------------------------


def test_people_lists_and_refuses_an_existing_handle(case_in: CaseIn, juhtum: Juhtum) -> None:
    case = case_in("opened")
    listed = juhtum("people", case.id, cwd=case.repo)
    assert listed.code == 0, listed.output
    assert listed.out.splitlines() == [
        "client: Liina Kõrvits (client)",
        "kk: Kaja Kuusk (coordinator)",
        "ode: Mare Kõrvits (network)",
        "tk: Töötukassa Näidiskülas (provider)",
    ]
    as_json = json.loads(juhtum("people", case.id, "--json", cwd=case.repo).out)
    assert sorted(as_json) == ["client", "kk", "ode", "tk"]
    assert as_json["tk"]["roles"] == ["provider"]

    result = case.refused(
        "2026-01-06", "people", case.id, "--add", "tk", "--name", "Teine Töötukassa",
        "--role", "provider",
    )  # fmt: skip
    assert "tk is registered in this case already" in result.err
    assert load(case.folder / "people" / "tk.yaml")["name"] == "Töötukassa Näidiskülas"
    result = case.refused(
        "2026-01-06", "people", case.id, "--add", "Bad_Handle", "--name", "X", "--role", "other"
    )
    assert "'Bad_Handle' is not a handle" in result.err
    usage = case.run("2026-01-06", "people", case.id, "--add", "zz", "--name", "X")
    assert usage.code == 2
    assert "--add needs --name and at least one --role" in usage.err
