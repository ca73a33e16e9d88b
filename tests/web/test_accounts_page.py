"""The administrator's accounts page and the second person's confirmation, through Accounts:
separation of duties holds on the web exactly as on the command line."""

from __future__ import annotations

from tests.web.conftest import PASSWORD, Site, csrf
from tests.web.test_pages import errors_by_field

from powcase.access.permissions import Role

NEW = "a brand new passphrase 7"


def test_an_administrator_adds_an_account_and_a_bad_one_comes_back_with_errors_beside_fields(site: Site) -> None:
    admin = site.browser("admin")
    token = csrf(admin.get("/accounts"))
    bad = admin.post("/accounts/add", data={"csrf": token, "name": "legal3", "password": "short"})
    assert bad.status_code == 422
    assert set(errors_by_field(bad.text)) == {"roles"}
    weak = admin.post("/accounts/add", data={"csrf": token, "name": "legal3", "password": "short", "roles": ["legal_officer"]})
    assert weak.status_code == 422 and "at least 12 characters" in errors_by_field(weak.text)["password"]
    taken = admin.post("/accounts/add", data={"csrf": token, "name": "LEGAL", "password": PASSWORD, "roles": ["legal_officer"]})
    assert taken.status_code == 422 and "exists already" in errors_by_field(taken.text)["name"]
    added = admin.post("/accounts/add", data={"csrf": token, "name": "legal3", "password": PASSWORD,
                                              "roles": ["legal_officer"]}, follow_redirects=False)
    assert added.status_code == 303
    assert site.accounts.get("legal3").roles == {Role.LEGAL_OFFICER}
    assert site.browser("legal").post("/accounts/add", data={"csrf": token, "name": "x9", "password": PASSWORD,
                                                             "roles": ["administrator"]}).status_code == 403


def test_a_reset_account_chooses_its_own_password_then_waits_for_a_second_person(site: Site) -> None:
    admin = site.browser("admin")
    token = csrf(admin.get("/accounts"))
    assert admin.post("/accounts/reset", data={"csrf": token, "name": "legal2", "password": "temporary passphrase 1"},
                      follow_redirects=False).status_code == 303
    client = site.client()
    login = client.post("/login", data={"csrf": csrf(client.get("/login")), "name": "legal2", "password": "temporary passphrase 1"})
    assert login.status_code == 401 and "choose your own first" in errors_by_field(login.text)["password"]
    form = client.get("/password/own")
    chosen = client.post("/password/own", data={"csrf": csrf(form), "name": "legal2", "old": "temporary passphrase 1",
                                                "new": NEW, "repeat": NEW}, follow_redirects=False)
    assert chosen.status_code == 303
    # Whoever knew the temporary password could have chosen this one: no login before a second person.
    waiting = client.post("/login", data={"csrf": csrf(client.get("/login")), "name": "legal2", "password": NEW})
    assert waiting.status_code == 401 and "second person's confirmation" in errors_by_field(waiting.text)["password"]
    # The administrator who reset it cannot confirm it; another legal officer can.
    mine = admin.post("/accounts/confirm", data={"csrf": csrf(admin.get("/accounts/confirm")), "name": "legal2"})
    assert mine.status_code == 409 and "second person" in errors_by_field(mine.text)["name"]
    legal = site.browser("legal")
    done = legal.post("/accounts/confirm", data={"csrf": csrf(legal.get("/accounts/confirm")), "name": "legal2"})
    assert done.status_code == 200 and "Confirmed:" in done.text
    # The first login after it tells the owner who reset his password; the next one goes straight in.
    first = client.post("/login", data={"csrf": csrf(client.get("/login")), "name": "legal2", "password": NEW},
                        follow_redirects=False)
    assert first.status_code == 200 and 'role="status"' in first.text
    assert "admin reset the password of legal2" in first.text and 'href="/cases"' in first.text
    assert client.get("/cases").status_code == 200
    again = site.client()
    assert again.post("/login", data={"csrf": csrf(again.get("/login")), "name": "legal2", "password": NEW},
                      follow_redirects=False).status_code == 303


def test_roles_are_set_by_the_administrator_and_an_account_needs_one(site: Site) -> None:
    admin = site.browser("admin")
    token = csrf(admin.get("/accounts"))
    empty = admin.post("/accounts/roles", data={"csrf": token, "name": "auditor"})
    assert empty.status_code == 422 and "at least one role" in errors_by_field(empty.text)["roles-auditor"]
    assert admin.post("/accounts/roles", data={"csrf": token, "name": "registrar", "roles": ["registrar", "interviewer"]},
                      follow_redirects=False).status_code == 303
    assert site.accounts.get("registrar").roles == {Role.REGISTRAR, Role.INTERVIEWER}
