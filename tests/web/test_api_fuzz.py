"""schemathesis against the OpenAPI document: generated requests as every role, no server error.

Bounded: a fixed number of examples per operation, each sent once per role (2,000+ requests in
all, counted and asserted), with no deadline (the machine is shared).
"""

from __future__ import annotations

from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from tests.web.conftest import ROLES, Site

EXAMPLES = 39  # per operation (fewer where the inputs run out), each sent as six roles and as nobody
COUNT: Counter[str] = Counter()


@pytest.fixture
def backend(tmp_path):  # type: ignore[no-untyped-def]
    """The fuzzing asks the HTTP layer, not the storage: SQLite (the other web tests run on both)."""
    from tests.conftest import Backend

    from powcase.store import schema as db_schema
    from powcase.store.engine import make_engine

    url = f"sqlite:///{tmp_path / 'powcase.db'}"
    engine = make_engine(url)
    db_schema.upgrade(engine)
    yield Backend("sqlite", url, engine)
    engine.dispose()


def test_no_generated_request_gets_a_server_error(site: Site) -> None:
    site.client()
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", site.app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 14  # with GET /api/v1/deadlines, GET /api/v1/conflicts, POST .../resolve and .../duplicate, GET /api/v1/offices
    roles: list[str | None] = [*(r for r in ROLES if r != "legal2"), None]  # None: no token at all
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
                  database=None)
        def send(case: schemathesis.Case) -> None:
            for role in roles:
                response = case.call(headers={"Authorization": f"Bearer {site.tokens[role]}"} if role else {})
                COUNT[role or "nobody"] += 1
                assert response.status_code < 500, (role, case.method, case.path, response.status_code, response.text[:300])
                if response.status_code >= 400:
                    kind = response.headers.get("content-type") or [""]
                    assert "application/problem+json" in kind, (case.method, case.path, response.status_code)

        send()
    print(f"schemathesis: {sum(COUNT.values())} requests, {dict(COUNT)}")
    assert sum(COUNT.values()) >= 2000, COUNT
