"""Keys under which two writings of one identifier or name compare equal.

Service numbers are compared exactly after removing what clerks add or drop without meaning:
spaces, dashes, letter case, and Cyrillic letters that look like Latin ones (a Russian number
'АВ-123456' retyped on a Latin keyboard is 'AB123456'; the two are one number). No other
letter is changed: anything looser would be guessing.
"""

from __future__ import annotations

import re
import unicodedata

_NOISE = re.compile(r"[\s\-‐-―−_/.]+")
# Cyrillic capitals that are drawn exactly like a Latin capital.
_LOOKALIKES = str.maketrans("АВЕКМНОРСТУХІЈЅ", "ABEKMHOPCTYXIJS")


def service_number_key(number: str) -> str:
    text = unicodedata.normalize("NFKC", number).upper()
    return _NOISE.sub("", text).translate(_LOOKALIKES)


def name_key(name: str) -> str:
    """Case, spacing and Unicode form removed; the script and the spelling are kept."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())
