"""Verifying the chains from the web: a background job whose page refreshes itself (no script)
with the number of cases checked, then the verdict; each job is its starter's."""

from __future__ import annotations

import re

from tests.web.conftest import Site, csrf

from powcase.web.verification import VerifyJob


def test_verify_answers_with_the_verdict_and_the_number_of_cases_checked(site: Site) -> None:
    client = site.browser("auditor")
    page = client.post("/audit", data={"csrf": csrf(client.get("/audit")), "action": "verify"})
    assert page.status_code == 200 and re.search(r"/audit/verify/VJ-\w+$", str(page.url))
    assert "Every chain verifies." in page.text and "Cases checked: 2" in page.text
    assert 'http-equiv="refresh"' not in page.text  # finished: no more refreshing
    # The job is the auditor's: the administrator, who may verify too, does not see it by its number.
    assert site.browser("admin").get(page.url.path).status_code == 404


def test_a_running_verification_shows_its_progress_and_refreshes_itself(site: Site) -> None:
    client = site.browser("auditor")
    client.get("/audit")
    assert site.app is not None
    running = VerifyJob("VJ-running", "auditor", total=2, checked=1)
    site.app.state.verify_jobs._jobs[running.id] = running  # a job caught half way
    page = client.get("/audit/verify/VJ-running")
    assert '<meta http-equiv="refresh" content="2">' in page.text
    assert '<progress max="2" value="1">' in page.text and "<script" not in page.text
