"""Field offices: identities, signed and encrypted bundles, and what a store knows of its peers.

The use cases that put these together (enrolment, export, import) are in
:mod:`powcase.app.sync`; a person reaches them through :class:`powcase.app.office.Office`.
"""

from powcase.sync.errors import BundleRefused
from powcase.sync.identity import FIELD, HQ, OfficeIdentity, fingerprint

__all__ = ["FIELD", "HQ", "BundleRefused", "OfficeIdentity", "fingerprint"]
