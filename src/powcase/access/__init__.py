"""Protecting the people in the register: accounts, need-to-know, the access log, the
sharing gate, key rotation and retention. See docs/data-protection.md and docs/permissions.md.

Import the modules themselves (``powcase.access.permissions``, ``.accounts``, ``.gate``, ...).
This package imports nothing on purpose: ``powcase.domain.events`` may import
``powcase.access.events`` without a cycle through the rest of access control.
"""
