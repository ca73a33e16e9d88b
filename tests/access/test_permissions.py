"""The permission table is the single source: enforcement and docs/permissions.md both follow it."""

from __future__ import annotations

import pytest

from powcase.access.permissions import (
    DOC_PATH,
    PERMISSIONS,
    AccessRefused,
    Role,
    User,
    authorize,
    authorize_pair,
    check_roles,
    correction_use_case,
    record_use_case,
    render_permissions_markdown,
)
from powcase.domain.events import COMMANDS, EVENT_TYPES
from powcase.errors import NotPermitted

# What the issue asks, written out independently of the table: the walk below compares the two.
EXPECTED: dict[str, set[str]] = {
    "register": {"registrar"},
    "correct_registration": {"registrar"},
    "record_capture": {"registrar"},
    "record_custody": {"registrar"},
    "record_medical": {"registrar"},
    "record_capture_card": {"registrar"},
    "record_notification": {"registrar", "legal_officer"},
    "record_interview": {"interviewer"},
    "record_correction": {"registrar", "interviewer", "legal_officer"},
    "record_risk_assessment": {"legal_officer"},
    "record_third_state_answer": {"legal_officer"},
    "record_legal_basis": {"legal_officer"},
    "record_safety_plan": {"legal_officer"},
    "record_transferee_assessment": {"legal_officer"},
    "record_proceedings": {"legal_officer"},
    "record_exposure": {"registrar", "legal_officer"},
    "record_decision": {"legal_officer"},
    "record_override": {"legal_officer"},
    "record_transfer": {"legal_officer"},
    "record_death": {"registrar"},
    "record_escape": {"registrar"},
    "record_detention_reason": {"legal_officer"},
    "list_pseudonymised": {"registrar", "interviewer", "legal_officer", "auditor"},
    "list_by_place": {"registrar", "interviewer", "legal_officer"},
    "show_identity": {"registrar", "interviewer", "legal_officer", "neutral_observer"},
    "show_statements": {"interviewer", "legal_officer", "neutral_observer"},
    "history": {"registrar", "interviewer", "legal_officer"},
    "export_identified": {"legal_officer"},
    "export_pseudonymised": {"legal_officer", "auditor"},
    "import": {"registrar"},
    "determine": {"interviewer", "legal_officer"},
    "trace_search": {"registrar", "legal_officer"},
    "disclose": {"legal_officer"},
    "deadlines": {"registrar", "legal_officer", "auditor"},
    "print_document": {"registrar", "interviewer", "legal_officer"},
    "cta_list": {"legal_officer"},
    "assign_observer": {"legal_officer"},
    "set_context": {"legal_officer"},
    "audit_show": {"auditor"},
    "audit_verify": {"auditor", "administrator"},
    "user_admin": {"administrator"},
    "user_reset_password": {"administrator"},
    "user_confirm": {"registrar", "interviewer", "legal_officer", "neutral_observer", "auditor", "administrator"},
    "keys_rotate": {"administrator"},
    "rebuild": {"administrator"},
    "retention_run": {"administrator", "legal_officer"},
    "erase": set(),  # two people only: see test_erase_needs_two_different_people
    "field_identity": {"administrator"},
    "field_enrol": {"legal_officer"},
    "field_withdraw": {"legal_officer"},
    "field_join": {"administrator"},
    "field_revoke": {"administrator", "legal_officer"},
    "field_list": {"administrator", "legal_officer", "auditor"},
    "sync_export": {"registrar", "legal_officer", "administrator"},
    "sync_import": {"registrar", "legal_officer", "administrator"},
    "sync_conflicts": {"registrar", "legal_officer", "auditor"},
    "sync_resolve": {"legal_officer"},
    "sync_duplicate": {"legal_officer"},
    "set_language": {"registrar", "interviewer", "legal_officer", "neutral_observer", "auditor", "administrator"},
}
CASE = "PW-TEST0001"


def _user(role: Role, uid: int = 1, assigned: frozenset[str] = frozenset()) -> User:
    return User(uid, f"user-{role.value}", frozenset({role}), assigned_cases=assigned)


def test_the_table_names_only_known_roles_and_use_cases() -> None:
    assert set(PERMISSIONS) == set(EXPECTED)
    for name, rule in PERMISSIONS.items():
        assert rule.roles, name
        assert rule.roles <= set(Role), name
        assert rule.assigned_only <= rule.roles, name
        if rule.together:
            assert set(rule.together) <= rule.roles, name


def test_every_event_command_has_its_use_case() -> None:
    for command in COMMANDS:
        assert record_use_case(command) in PERMISSIONS, command


def test_every_event_can_be_corrected_by_someone() -> None:
    """A correction needs the right to record the corrected event: every event type a person
    records, the registration included, maps to a use case of the table."""
    for cls in EVENT_TYPES.values():
        if cls.command:
            assert correction_use_case(cls.command) in PERMISSIONS, cls.command
    assert correction_use_case("register") == "correct_registration"


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("use_case", sorted(EXPECTED))
def test_every_role_against_every_use_case(role: Role, use_case: str) -> None:
    allowed = role.value in EXPECTED[use_case]
    user = _user(role, assigned=frozenset({CASE}))
    if allowed:
        authorize(user, use_case, CASE)
    else:
        with pytest.raises(NotPermitted):
            authorize(user, use_case, CASE)


def test_an_observer_acts_only_on_assigned_cases() -> None:
    observer = _user(Role.NEUTRAL_OBSERVER, assigned=frozenset({CASE}))
    authorize(observer, "show_identity", CASE)
    authorize(observer, "show_statements", CASE)
    with pytest.raises(AccessRefused, match="not assigned to case PW-OTHER001") as exc:
        authorize(observer, "show_identity", "PW-OTHER001")
    assert exc.value.code == "not_assigned"
    with pytest.raises(AccessRefused, match="only on an assigned case"):
        authorize(observer, "show_statements")
    # A registrar is not limited to assignments.
    authorize(_user(Role.REGISTRAR), "show_identity", "PW-OTHER001")


def test_a_refusal_says_who_what_and_who_may() -> None:
    with pytest.raises(AccessRefused) as exc:
        authorize(_user(Role.AUDITOR), "show_identity", CASE)
    message = str(exc.value)
    assert "user-auditor (auditor) may not show_identity" in message
    assert "allowed: interviewer, legal_officer, neutral_observer, registrar" in message
    assert exc.value.code == "role"


def test_unknown_use_cases_and_disabled_accounts_are_refused() -> None:
    with pytest.raises(AccessRefused, match="not a known use case"):
        authorize(_user(Role.LEGAL_OFFICER), "delete_everything")
    disabled = User(3, "gone", frozenset({Role.LEGAL_OFFICER}), disabled=True)
    with pytest.raises(AccessRefused, match="disabled"):
        authorize(disabled, "disclose", CASE)


def test_erase_needs_two_different_people() -> None:
    admin, legal = _user(Role.ADMINISTRATOR, 1), _user(Role.LEGAL_OFFICER, 2)
    with pytest.raises(AccessRefused, match="two different people"):
        authorize(legal, "erase", CASE)
    authorize_pair("erase", admin, legal, CASE)
    authorize_pair("erase", legal, admin, CASE)
    with pytest.raises(AccessRefused) as exc:
        authorize_pair("erase", admin, admin, CASE)
    assert exc.value.code == "same_person"
    with pytest.raises(AccessRefused, match="needs a administrator and a legal_officer"):
        authorize_pair("erase", legal, _user(Role.LEGAL_OFFICER, 3), CASE)
    with pytest.raises(AccessRefused, match="not a two-person use case"):
        authorize_pair("disclose", admin, legal)


def test_roles_are_checked_and_administrator_stands_alone() -> None:
    assert check_roles(["Registrar", "interviewer"]) == {Role.REGISTRAR, Role.INTERVIEWER}
    with pytest.raises(AccessRefused, match="unknown role 'boss'"):
        check_roles(["boss"])
    with pytest.raises(AccessRefused, match="cannot be combined"):
        check_roles(["administrator", "legal_officer"])
    with pytest.raises(AccessRefused, match="at least one role"):
        check_roles([])


def test_the_committed_document_is_the_generated_one() -> None:
    assert DOC_PATH.read_text(encoding="utf-8") == render_permissions_markdown(), (
        "docs/permissions.md is stale: run python -c 'from powcase.access.permissions import "
        "write_permissions_doc; write_permissions_doc()'"
    )
