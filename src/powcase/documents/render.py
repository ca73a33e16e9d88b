"""Documents to PDF: Jinja2 to HTML to PDF with WeasyPrint, every font embedded.

Hangul needs Noto Sans CJK KR and Cyrillic DejaVu Sans; both are looked up through fontconfig
before rendering, and a missing one is named in a clear error instead of a PDF of empty boxes.
WeasyPrint embeds (subsets of) every font it uses, so the PDF reads the same on any reader.
"""

from __future__ import annotations

import shutil
import subprocess
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from powcase.documents.papers import Printed
from powcase.documents.texts import label
from powcase.errors import PowcaseError

# Font families the templates name, and the Debian package that provides each.
REQUIRED_FONTS: dict[str, str] = {"DejaVu Sans": "fonts-dejavu-core", "Noto Sans CJK KR": "fonts-noto-cjk"}


class MissingFont(PowcaseError):
    """A font the documents need is not installed; nothing was rendered."""


@cache
def _installed(family: str) -> bool:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    # A fixed argument list: the family names are the constants above, never user input.
    listed = subprocess.run([fc_list, f":family={family}", "family"], capture_output=True, text=True, check=False)  # noqa: S603
    return bool(listed.stdout.strip())


def missing_fonts(required: dict[str, str] = REQUIRED_FONTS) -> list[str]:
    """Each required family that fontconfig does not find, with the package that installs it."""
    return [f"{family} (apt-get install {package})" for family, package in required.items() if not _installed(family)]


def check_fonts() -> None:
    """Raise MissingFont naming every missing family and the package that installs it."""
    missing = missing_fonts()
    if missing:
        raise MissingFont("documents need fonts that are not installed: " + ", ".join(missing))


_ENV = Environment(
    loader=PackageLoader("powcase.documents", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=StrictUndefined,
)
_ENV.globals["label"] = label


def render_html(printed: Printed) -> str:
    return _ENV.get_template(printed.template).render(kind=printed.kind.value, **printed.data)


def render_pdf(printed: Printed) -> bytes:
    check_fonts()
    html = render_html(printed)
    # Imported here: WeasyPrint takes most of a second to load, and only documents need it.
    from weasyprint import HTML

    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
