"""Write a label for every enum value into the JSON Schemas: ``x-enum-labels`` beside ``enum``.

    python scripts/enum_labels.py [SCHEMA_FOLDER]     # default: schemas/, else src/juhtum/schemas/

A code value (``implementation``, ``goals_achieved``, ``paper``) is what a document holds; a
person reads its label, in Estonian or English, and the labels are kept with the schema that
defines the values (juhtum shows them through ``juhtum.i18n.label``). Rerunning it is safe: it
sets each enum's ``x-enum-labels`` from the table below and leaves everything else as it is
(the files are rewritten as ``json.dumps(indent=2)`` writes them, as they are kept). It fails
on an enum value without a label, so a new value cannot ship unlabelled.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

# value: (Estonian, English). One label per value wherever it occurs: the same code means
# the same thing in every document (a role "client", a source "client", an action "client").
LABELS: dict[str, tuple[str, str]] = {
    # stages (case.yaml)
    "need": ("vajaduse väljaselgitamine", "need"),
    "assessment": ("hindamine", "assessment"),
    "planning": ("planeerimine", "planning"),
    "plan": ("juhtumiplaan", "plan"),
    "implementation": ("elluviimine ja monitooring", "implementation"),
    "evaluation": ("tulemuslikkuse hindamine", "evaluation"),
    "closed": ("lõpetatud", "closed"),
    "referred": ("suunatud üksikteenusele", "referred"),
    # frameworks
    "adult": ("täiskasvanu", "adult"),
    "child": ("laps", "child"),
    # closing reasons (§7.1)
    "transferred": ("üle antud teisele organisatsioonile", "transferred to another organisation"),
    # related cases (§7, §8)
    "sibling": ("õe või venna juhtum", "sibling's case"),
    "reopened_from": ("taasavatud juhtumist", "reopened from"),
    "reopened_as": ("taasavatud uue juhtumina", "reopened as"),
    "transferred_to": ("üle antud juhtumisse", "transferred to"),
    "transferred_from": ("üle tulnud juhtumist", "transferred from"),
    # why a case is reopened (§7; seed 002)
    "new_need": ("uus abivajadus", "a new need"),
    "need_returned": ("abivajadus tekkis uuesti", "the need returned"),
    "service_not_received": ("suunatud abi ei jõudnud isikuni", "the referred help never came"),
    "person_asked": ("isik pöördus ise uuesti", "the person asked again"),
    "goals_achieved": ("eesmärgid saavutatud", "goals achieved"),
    "no_longer_needed": ("juhtumikorraldust pole enam vaja", "no longer needed"),
    "cannot_continue": ("ei saa jätkata", "cannot continue"),
    # roles, sources, action kinds
    "client": ("klient", "client"),
    "representative": ("esindaja", "representative"),
    "coordinator": ("juhtumikorraldaja", "coordinator"),
    "specialist": ("spetsialist", "specialist"),
    "provider": ("teenuseosutaja", "provider"),
    "network": ("võrgustik", "network"),
    "other": ("muu", "other"),
    "register": ("register", "register"),
    "service": ("teenus", "service"),
    # life domains
    "health": ("tervis", "health"),
    "housing": ("eluase", "housing"),
    "employment": ("töö", "employment"),
    "education": ("haridus", "education"),
    "income": ("sissetulek", "income"),
    "relationships": ("suhted", "relationships"),
    "social_network": ("sotsiaalne võrgustik", "social network"),
    "daily_living": ("igapäevane toimetulek", "daily living"),
    "safety": ("turvalisus", "safety"),
    "legal": ("õigusküsimused", "legal matters"),
    "emotional_behavioural": ("emotsionaalne ja käitumuslik areng", "emotional and behavioural"),
    "identity": ("identiteet", "identity"),
    "family_social_relationships": (
        "pere- ja sotsiaalsed suhted",
        "family and social relationships",
    ),
    "social_presentation": ("sotsiaalne esitlus", "social presentation"),
    "self_care": ("enese eest hoolitsemine", "self-care"),
    "basic_care": ("põhihoolitsus", "basic care"),
    "emotional_warmth": ("emotsionaalne soojus", "emotional warmth"),
    "stimulation": ("arengu toetamine", "stimulation"),
    "guidance_boundaries": ("juhendamine ja piirid", "guidance and boundaries"),
    "stability": ("stabiilsus", "stability"),
    "family_history_functioning": ("pere ajalugu ja toimimine", "family history and functioning"),
    "wider_family": ("laiem pere", "wider family"),
    "social_integration": ("sotsiaalne lõimumine", "social integration"),
    "community_resources": ("kogukonna ressursid", "community resources"),
    # assessment ratings
    "problem": ("probleem", "problem"),
    "unknown": ("teadmata", "unknown"),
    "no_problem": ("probleemi pole", "no problem"),
    # goal results, evaluation decisions
    "achieved": ("saavutatud", "achieved"),
    "partly": ("osaliselt saavutatud", "partly achieved"),
    "not_achieved": ("saavutamata", "not achieved"),
    "continue": ("jätkata", "continue"),
    "modify": ("muuta plaani", "modify the plan"),
    "reassess": ("hinnata uuesti", "reassess"),
    "close": ("lõpetada", "close"),
    # languages
    "et": ("eesti", "Estonian"),
    "en": ("inglise", "English"),
    # monitoring entries, action statuses
    "contact": ("kontakt", "contact"),
    "linking": ("teenusega sidumine", "linking"),
    "service_check": ("teenuse kontroll", "service check"),
    "plan_change": ("plaani muudatus", "plan change"),
    "planned": ("kavandatud", "planned"),
    "in_progress": ("pooleli", "in progress"),
    "done": ("tehtud", "done"),
    "cancelled": ("tühistatud", "cancelled"),
    # consent and agreement forms, need decisions
    "written": ("kirjalik", "written"),
    "oral": ("suuline", "oral"),
    "case_management": ("juhtumikorraldus", "case management"),
    "single_service": ("üksik teenus", "single service"),
    "no_help_needed": ("abi pole vaja", "no help needed"),
    "declined": ("keeldus", "declined"),
    # signature methods, negotiations
    "paper": ("paberil", "on paper"),
    "digital": ("digitaalselt", "digitally"),
    "agreed": ("kokku lepitud", "agreed"),
    "queued": ("järjekorras", "queued"),
    "pending": ("ootel", "pending"),
    # signatures in real life (juhis §4.2)
    "signed": ("allkirjastas", "signed"),
    "refused": ("keeldus allkirjastamast", "refused to sign"),
    "unable": ("ei saa allkirjastada", "cannot sign"),
    "waived": ("plaan kehtib allkirjata", "in force without it"),
    "not_found": ("ei ole leitav", "cannot be found"),
    "lacks_capacity": ("puudub teovõime", "lacks capacity"),
    "in_hospital": ("haiglas", "in hospital"),
    # why a case cannot continue (juhis §7.1)
    "died": ("suri", "died"),
    "moved_unreachable": ("kolis, ei ole kättesaadav", "moved away, cannot be reached"),
    "refuses_contact": ("keeldub kontaktist", "refuses contact"),
    "placed_elsewhere": ("paigutatud mujale", "placed in care elsewhere"),
    # case diary entries (juhis §3, §5.1)
    "call": ("kõne", "call"),
    "visit": ("külastus", "visit"),
    "urgent_help": ("kiire abi", "urgent help"),
    "information_received": ("saadud teave", "information received"),
    "information_passed": ("edastatud teave", "information passed on"),
    # children (LasteKS): why the child could not take part, notifications of a child in need
    "age": ("lapse vanus", "the child's age"),
    "ability": ("lapse võimed", "the child's ability"),
    "phone": ("telefon", "phone"),
    "email": ("e-kiri", "e-mail"),
    "letter": ("kiri", "letter"),
    "in_person": ("isiklikult", "in person"),
    "helpline": ("lasteabitelefon 116 111", "child helpline 116 111"),
    "police": ("politsei", "police"),
    "private": ("eraisik", "private person"),
    "professional": ("lapsega töötav isik", "works with children"),
    "anonymous": ("anonüümne", "anonymous"),
    # what a legal representative's right rests on (määrus nr 10 § 1 (1) 5)
    "custody": ("vanema hooldusõigus", "parental custody"),
    "guardianship": ("kohtu eestkostemäärus", "court's guardianship decision"),
}


def labelled(node: Any, missing: set[str]) -> Any:
    """``node`` with ``x-enum-labels`` set right after every ``enum`` of strings."""
    if isinstance(node, list):
        return [labelled(item, missing) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "x-enum-labels":
            continue
        out[key] = labelled(value, missing)
        if key == "enum" and all(isinstance(v, str) for v in value):
            missing.update(v for v in value if v not in LABELS)
            out["x-enum-labels"] = {
                v: {"et": LABELS[v][0], "en": LABELS[v][1]} for v in value if v in LABELS
            }
    return out


def main(argv: list[str]) -> int:
    root = Path(__file__).resolve().parents[1]
    if argv:
        folder = Path(argv[0])
    else:
        folder = next(
            f for f in (root / "schemas", root / "src" / "juhtum" / "schemas") if f.is_dir()
        )
    missing: set[str] = set()
    for path in sorted(folder.glob("*.schema.json")):
        text = path.read_text(encoding="utf-8")
        new = json.dumps(labelled(json.loads(text), missing), indent=2, ensure_ascii=False) + "\n"
        if new != text:
            path.write_text(new, encoding="utf-8")
            print(f"labelled {path.name}")
    if missing:
        print(f"no label for: {', '.join(sorted(missing))} (add them to LABELS)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
