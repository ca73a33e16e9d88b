"""Who may do what: ONE table, from which both the enforcement and docs/permissions.md come.

Need-to-know, not rank: each role sees what its work needs and nothing more. A refusal is the
default: a use case missing from the table is refused to everyone, and a role missing from a use
case's row is refused that use case.

Edit ``PERMISSIONS`` below, then regenerate the document with
``python -c "from powcase.access.permissions import write_permissions_doc; write_permissions_doc()"``;
a test fails while the committed document and the table disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from powcase.domain.events import COMMANDS
from powcase.errors import NotPermitted


class Role(StrEnum):
    REGISTRAR = "registrar"
    INTERVIEWER = "interviewer"
    LEGAL_OFFICER = "legal_officer"
    NEUTRAL_OBSERVER = "neutral_observer"
    AUDITOR = "auditor"
    ADMINISTRATOR = "administrator"


ROLE_DUTIES: dict[Role, str] = {
    Role.REGISTRAR: "registers prisoners; records capture, custody, medical findings, capture cards, notifications, death and escape",
    Role.INTERVIEWER: "records free-will interviews; reads identity and statements to prepare them",
    Role.LEGAL_OFFICER: "risk assessments, decisions, transfers, disclosures; assigns neutral observers",
    Role.NEUTRAL_OBSERVER: "reads identity and interviews of the cases assigned to it; attests interviews it attended",
    Role.AUDITOR: "reads the access log and pseudonymised views only",
    Role.ADMINISTRATOR: "manages accounts and keys; sees no case content",
}

# Roles that may not be combined with any other on one account: an administrator who could also
# read cases could grant himself anything unseen, and a two-person rule needs two people.
EXCLUSIVE_ROLES: frozenset[Role] = frozenset({Role.ADMINISTRATOR})

# Short names, so that each row of the table below reads as one line.
REGISTRAR, INTERVIEWER, LEGAL, OBSERVER, AUDITOR, ADMIN = (
    Role.REGISTRAR, Role.INTERVIEWER, Role.LEGAL_OFFICER, Role.NEUTRAL_OBSERVER, Role.AUDITOR, Role.ADMINISTRATOR,
)


@dataclass(frozen=True)
class Rule:
    """One use case: the roles allowed, and what it reads (the field names the access log records).

    ``assigned_only``: those of the roles that act only on cases assigned to them.
    ``together``: the use case needs two different people holding these roles, one each.
    """

    roles: frozenset[Role]
    what: str
    reads: tuple[str, ...] = ()
    assigned_only: frozenset[Role] = frozenset()
    together: tuple[Role, Role] | None = None


def _rule(
    roles: Iterable[Role], what: str, reads: Iterable[str] = (), assigned_only: Iterable[Role] = (),
    together: tuple[Role, Role] | None = None,
) -> Rule:
    return Rule(frozenset(roles), what, tuple(reads), frozenset(assigned_only), together)


IDENTITY = ("identity",)
STATEMENTS = ("interviews",)

# Who may record each kind of event, keyed by the CLI's `powcase record <command>` name.
_RECORDERS: dict[str, tuple[tuple[Role, ...], str]] = {
    "capture": ((REGISTRAR,), "Record the capture."),
    "custody": ((REGISTRAR,), "Record a move of custody."),
    "medical": ((REGISTRAR,), "Record a medical finding."),
    "capture-card": ((REGISTRAR,), "Record a capture card offered, sent or declined."),
    "notification": ((REGISTRAR, LEGAL), "Record a notification sent or withheld."),
    "interview": ((INTERVIEWER,), "Record a free-will interview."),
    "correction": ((REGISTRAR, INTERVIEWER, LEGAL), "Record a correction (and hold the right to record the corrected event)."),
    "risk-assessment": ((LEGAL,), "Record a risk assessment."),
    "third-state-answer": ((LEGAL,), "Record a third state's answer."),
    "legal-basis": ((LEGAL,), "Record the legal basis of a disposition."),
    "safety-plan": ((LEGAL,), "Record a safety plan."),
    "transferee-assessment": ((LEGAL,), "Record an assessment of a receiving Power (Art 12)."),
    "proceedings": ((LEGAL,), "Record criminal or disciplinary proceedings."),
    "exposure": ((REGISTRAR, LEGAL), "Record a public exposure of the prisoner."),
    "decision": ((LEGAL,), "Record a decision on a disposition."),
    "override": ((LEGAL,), "Grant an override of the execution guard: two such people together (`powcase override`)."),
    "transfer": ((LEGAL,), "Record a transfer, repatriation or release."),
    "death": ((REGISTRAR,), "Record a death."),
    "escape": ((REGISTRAR,), "Record an escape."),
    "detention-reason": ((LEGAL,), "Record why he is still held after the cessation of hostilities (Art 118)."),
}


def record_use_case(command: str) -> str:
    """The use case of `powcase record <command>`: ``capture-card`` -> ``record_capture_card``."""
    return "record_" + command.replace("-", "_")


def correction_use_case(command: str) -> str:
    """What a correction of an event recorded by ``command`` needs besides ``record_correction``:
    the right to record that event. A registration is not recorded with `record`; correcting it
    is its own use case, a registrar's."""
    return "correct_registration" if command == "register" else record_use_case(command)


PERMISSIONS: dict[str, Rule] = {
    "register": _rule([REGISTRAR], "Register a prisoner (creates the case with his identity).", IDENTITY),
    "correct_registration": _rule(
        [REGISTRAR], "Correct a registration's fields (`record correction` of event 1), with a reason.", IDENTITY,
    ),
    **{
        record_use_case(command): _rule(roles, what)
        for command, (roles, what) in _RECORDERS.items()
    },
    "list_pseudonymised": _rule([REGISTRAR, INTERVIEWER, LEGAL, AUDITOR], "List cases without names or statements."),
    # Where a man is held tells who he is to anyone who knows the camp: casework roles only.
    "list_by_place": _rule([REGISTRAR, INTERVIEWER, LEGAL], "Filter the case list by place of internment."),
    "show_identity": _rule([REGISTRAR, INTERVIEWER, LEGAL, OBSERVER], "Read a prisoner's identity.", IDENTITY, assigned_only=[OBSERVER]),
    "show_statements": _rule([INTERVIEWER, LEGAL, OBSERVER], "Read what he said in interviews.", STATEMENTS, assigned_only=[OBSERVER]),
    "history": _rule([REGISTRAR, INTERVIEWER, LEGAL], "Read a case's full history.", ("history",)),
    "export_identified": _rule([LEGAL], "Export a case file with identity and statements.", ("history",)),
    "export_pseudonymised": _rule([LEGAL, AUDITOR], "Export cases without names or statements."),
    "import": _rule([REGISTRAR], "Import case files."),
    "determine": _rule([INTERVIEWER, LEGAL], "Run the law engine on a case.", ("history",)),
    "trace_search": _rule([REGISTRAR, LEGAL], "Search the register by name (tracing).", IDENTITY),
    "disclose": _rule([LEGAL], "Disclose fields of a case outside the casework, with a purpose."),
    "print_document": _rule(
        [REGISTRAR, INTERVIEWER, LEGAL], "Print a case's document (capture card, notice, certificates; identity, statements "
        "and the decision memo each need their own right too).", IDENTITY,
    ),
    "cta_list": _rule([LEGAL], "List Art 122 particulars and notices for the Central Tracing Agency (a recorded disclosure on every case).", IDENTITY),
    "deadlines": _rule([REGISTRAR, LEGAL, AUDITOR], "List the detaining power's duties and their deadlines (names only to roles that read identity)."),
    "assign_observer": _rule([LEGAL], "Assign a case to a neutral observer, or withdraw it."),
    "set_context": _rule([LEGAL], "Change the context: the state of hostilities and the agreements in force."),
    "audit_show": _rule([AUDITOR], "Read the access log."),
    "audit_verify": _rule([AUDITOR, ADMIN], "Verify the hash chains of the events and of the access log."),
    "user_admin": _rule([ADMIN], "Add, disable or re-enable accounts; set roles; revoke tokens."),
    "user_reset_password": _rule(
        [ADMIN], "Reset another account's password: its owner must choose a new one at next login, and it needs confirming again.",
    ),
    "user_confirm": _rule(
        list(Role), "Confirm an account an administrator created, reset or re-roled: another holder of its role, or another administrator.",
    ),
    "keys_rotate": _rule([ADMIN], "Re-wrap every case key under a new master key."),
    "rebuild": _rule([ADMIN], "Rebuild the case summary from the events (reads every case, shows none)."),
    "retention_run": _rule([ADMIN, LEGAL], "List the cases due for erasure under the retention policy."),
    "erase": _rule(
        [ADMIN, LEGAL], "Erase a case (destroy its key): two different people, an administrator and a legal officer.",
        together=(ADMIN, LEGAL),
    ),
    # Field offices (docs/field-offices.md). Bundles carry ciphertext and show nobody any content.
    "field_identity": _rule([ADMIN], "Make this store's office keys (signing and encryption) and its enrolment request."),
    "field_enrol": _rule(
        [LEGAL], "Enrol a field office with the cases it needs: their events and data keys leave, encrypted to it.", ("history",),
    ),
    "field_withdraw": _rule(
        [LEGAL], "Take cases back from a field office: it sends what it holds on them, then destroys its copy of their keys.",
    ),
    "field_join": _rule([ADMIN], "Accept headquarters' enrolment package at a field office."),
    "field_revoke": _rule([ADMIN, LEGAL], "Revoke a field office: no bundle from or to it is accepted or made again."),
    "field_list": _rule([ADMIN, LEGAL, AUDITOR], "List the offices this store synchronises with."),
    "sync_export": _rule([REGISTRAR, LEGAL, ADMIN], "Write a bundle of the events another office has not acknowledged."),
    "sync_import": _rule([REGISTRAR, LEGAL, ADMIN], "Import a bundle from an enrolled office (checked by the execution guard)."),
    "sync_conflicts": _rule([REGISTRAR, LEGAL, AUDITOR], "List cases in conflict between offices and possible duplicates."),
    "sync_resolve": _rule([LEGAL], "Resolve a conflict at headquarters: merge the other office's line, through the guard.", ("history",)),
    "sync_duplicate": _rule([LEGAL], "Decide at headquarters whether a case from a field office is a man held here: carry its facts, or keep both.",
                            ("history",)),
    "set_language": _rule(list(Role), "Choose the language of one's own web pages (remembered per account)."),
}

ALL_USE_CASES: frozenset[str] = frozenset(PERMISSIONS)


class AccessRefused(NotPermitted):
    """A refusal by access control. ``code`` is what the access log keeps: never personal data."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class User:
    """An authenticated account, as authorization sees it (no password hash, no token)."""

    id: int
    name: str
    roles: frozenset[Role]
    disabled: bool = False
    assigned_cases: frozenset[str] = frozenset()


def _roles_text(roles: Iterable[Role]) -> str:
    return ", ".join(sorted(r.value for r in roles)) or "no role"


def rule_for(use_case: str) -> Rule:
    rule = PERMISSIONS.get(use_case)
    if rule is None:
        # Deny by default: a use case nobody wrote down is nobody's.
        raise AccessRefused(f"{use_case!r} is not a known use case; refused", "unknown_use_case")
    return rule


def authorize(user: User, use_case: str, case_id: str | None = None) -> None:
    """Return if ``user`` may perform ``use_case`` (on ``case_id``); raise :class:`AccessRefused`."""
    rule = rule_for(use_case)
    if user.disabled:
        raise AccessRefused(f"account {user.name} is disabled", "disabled")
    if rule.together is not None:
        first, second = rule.together
        raise AccessRefused(
            f"{use_case} needs two different people, a {first.value} and a {second.value}: "
            "use authorize_pair", "two_person",
        )
    held = user.roles & rule.roles
    if not held:
        raise AccessRefused(
            f"{user.name} ({_roles_text(user.roles)}) may not {use_case}; allowed: {_roles_text(rule.roles)}", "role"
        )
    if held <= rule.assigned_only:
        # Every role that grants this is limited to assigned cases: the case must be one of them.
        if case_id is None:
            raise AccessRefused(f"{user.name} may {use_case} only on an assigned case; name the case", "not_assigned")
        if case_id not in user.assigned_cases:
            raise AccessRefused(f"{user.name} is not assigned to case {case_id}", "not_assigned")


def authorize_pair(use_case: str, first: User, second: User, case_id: str | None = None) -> None:
    """Authorize a two-person use case: two different enabled accounts covering both roles."""
    rule = rule_for(use_case)
    if rule.together is None:
        raise AccessRefused(f"{use_case} is not a two-person use case; use authorize", "not_two_person")
    for user in (first, second):
        if user.disabled:
            raise AccessRefused(f"account {user.name} is disabled", "disabled")
    if first.id == second.id:
        raise AccessRefused(f"{use_case} needs two different people; {first.name} cannot approve twice", "same_person")
    a, b = rule.together
    if not ((a in first.roles and b in second.roles) or (b in first.roles and a in second.roles)):
        raise AccessRefused(
            f"{use_case} needs a {a.value} and a {b.value}; got {first.name} ({_roles_text(first.roles)}) "
            f"and {second.name} ({_roles_text(second.roles)})", "role",
        )


def check_roles(roles: Iterable[str]) -> frozenset[Role]:
    """Validate a set of role names for one account."""
    out: set[Role] = set()
    for name in roles:
        try:
            out.add(Role(name.strip().lower()))
        except ValueError:
            raise AccessRefused(
                f"role: unknown role {name!r}; known roles: {_roles_text(Role)}", "unknown_role"
            ) from None
    if not out:
        raise AccessRefused("role: an account needs at least one role", "no_role")
    for exclusive in EXCLUSIVE_ROLES & out:
        if len(out) > 1:
            raise AccessRefused(
                f"role: {exclusive.value} cannot be combined with other roles (separation of duties)",
                "role_combination",
            )
    return frozenset(out)


# --- the generated document ---------------------------------------------------------------------

DOC_PATH = Path(__file__).resolve().parents[3] / "docs" / "permissions.md"


def _cell(rule: Rule, role: Role) -> str:
    if role not in rule.roles:
        return ""
    if rule.together is not None:
        return "together"
    if role in rule.assigned_only:
        return "assigned"
    return "yes"


def render_permissions_markdown() -> str:
    """docs/permissions.md, generated from ``PERMISSIONS`` so that the two cannot disagree."""
    roles = list(Role)
    lines = [
        "# Who may do what",
        "",
        "<!-- Generated by powcase.access.permissions.render_permissions_markdown(); do not edit by hand. -->",
        "",
        "Every use case is refused unless this table allows it. `yes`: allowed; `assigned`: only on",
        "cases assigned to that account; `together`: two different people, one of each marked role, act",
        "together (`authorize_pair`). Every access, allowed or refused, goes to the access log",
        "(see [data-protection.md](data-protection.md)).",
        "",
        "## Roles",
        "",
    ]
    lines += [f"- **{role.value}**: {ROLE_DUTIES[role]}." for role in roles]
    lines += [
        "",
        f"The {', '.join(r.value for r in sorted(EXCLUSIVE_ROLES))} role cannot be combined with another role on one account.",
        "",
        "## Use cases",
        "",
        "| use case | " + " | ".join(r.value for r in roles) + " | what |",
        "|---" * (len(roles) + 2) + "|",
    ]
    for name, rule in PERMISSIONS.items():
        cells = " | ".join(_cell(rule, r) for r in roles)
        lines.append(f"| `{name}` | {cells} | {rule.what} |")
    lines += [
        "",
        "Recording events: `powcase record <command>` is the use case `record_<command>` with dashes",
        f"as underscores; the commands are {', '.join(f'`{c}`' for c in sorted(COMMANDS) if c != 'override')}.",
        "An override (`record_override`) is granted by two people together with `powcase override`.",
        "",
    ]
    return "\n".join(lines)


def write_permissions_doc(path: Path = DOC_PATH) -> None:
    path.write_text(render_permissions_markdown(), encoding="utf-8")
