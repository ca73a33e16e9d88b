"""The case page and the API name the office that sent an event, beside its author: a fact an
insider at a field office wrote under a headquarters officer's name does not pass there for one
headquarters recorded (tests/sync/test_received_from.py has the attack at the app level).

Headquarters is the web tests' store (on the suite's backend); the field office an SQLite file.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from html import unescape

import pytest
from tests.factories import interview
from tests.web.conftest import KOR1, Site, csrf

from powcase.app import sync
from powcase.app.service import Powcase
from powcase.domain.events import RiskAssessed


@pytest.fixture
def forged(site: Site, field_office: Powcase) -> int:
    """CAMP-NORTH, enrolled with the first soldier, writes a risk assessment under the name of a
    legal officer at headquarters straight into its store; headquarters imports its bundle and
    then records an interview of its own. Yields the forged event's number."""
    field = field_office
    with field.store.begin() as tx:
        seq = tx.rows(KOR1)[-1].seq
        tx.append(KOR1, seq, [RiskAssessed(occurred_on=date(2025, 11, 20), destination="PRK", conclusion="no_real_risk",
                                           reasoning="Invented.", assessor="Legal officer 1")], "hq-legal-1", datetime.now(UTC))
    sync.import_bundle(site.pw, sync.export(field, "HQ")[0])
    site.pw.record(KOR1, interview(date(2025, 11, 21)), "hq-interviewer")
    return seq + 1


def _timeline(html: str) -> str:
    start = html.index('id="h-history"')
    return unescape(html[start : html.index("</section>", start)])


def test_the_timeline_says_which_office_sent_an_event(site: Site, forged: int) -> None:
    timeline = _timeline(site.browser("legal").get(f"/cases/{KOR1}").text)
    assert f"#{forged} · hq-legal-1, received from CAMP-NORTH" in timeline
    assert "· hq-interviewer</span>" in timeline  # what headquarters recorded itself: as before
    assert timeline.count("received from") == 1


@pytest.mark.parametrize(("language", "said"), [("ko", "hq-legal-1, CAMP-NORTH 사무소에서 받음"),
                                                ("uk", "hq-legal-1, отримано від офісу CAMP-NORTH"),
                                                ("ru", "hq-legal-1, получено от офиса CAMP-NORTH")])
def test_in_the_readers_language(site: Site, forged: int, language: str, said: str) -> None:
    client = site.browser("legal")
    client.post("/language", data={"csrf": csrf(client.get(f"/cases/{KOR1}")), "language": language, "next": "/"})
    assert said in _timeline(client.get(f"/cases/{KOR1}").text)


def test_the_api_history_names_the_sender(site: Site, forged: int) -> None:
    events = site.api("legal").get(f"/api/v1/cases/{KOR1}/history").json()["events"]
    assert [(e["seq"], e["actor"]) for e in events if e.get("received_from") == "CAMP-NORTH"] == [(forged, "hq-legal-1")]
    assert events[-1]["actor"] == "hq-interviewer" and "received_from" not in events[-1]
