"""Use cases: the only layer that touches both the store and the law."""

from powcase.app.bootstrap import Settings, init_store, open_powcase
from powcase.app.service import CaseSummary, Powcase, new_case_id

__all__ = ["CaseSummary", "Powcase", "Settings", "init_store", "new_case_id", "open_powcase"]
