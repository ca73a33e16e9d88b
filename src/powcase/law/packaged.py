"""YAML shipped inside the package (the rulebook, the country profiles, the sources), read with libyaml.

These files are ours, reviewed and versioned with the code, and read every time the law engine
starts: PyYAML's C parser reads them about ten times faster than its pure-Python one, to the same
data (tests/law/test_rulebook.py checks both give the same). Where PyYAML was built without
libyaml, the pure-Python safe loader reads them as before.

Never for input from outside (case files, context files, exchange bundles, a deployment's
overrides): that goes through :mod:`powcase.domain.reading`, whose depth and alias limits hook the
pure-Python composer, which the C loader does not run.
"""

from __future__ import annotations

from typing import Any

import yaml

try:
    from yaml import CSafeLoader as PackagedLoader
except ImportError:  # PyYAML without libyaml
    from yaml import SafeLoader as PackagedLoader  # type: ignore[assignment]


def load_packaged(text: str) -> Any:
    """One YAML document of the package's own files."""
    return yaml.load(text, Loader=PackagedLoader)  # a safe loader, C or Python, on our own files
