"""A case's documents as PDF, from the case page: capture card, notice of rights, interview record,
decision memo, certificates, death notification (GC III Art 70, 41, 120, 122; Annex IV).

Printed by ``Office.document``: an audited read, refused (and the refusal logged) to a role that
may not read what the document carries. The URL holds the case number, the kind and the
language, nothing about him. A case that lacks the facts a document needs gets a page listing
what is missing; nothing is printed.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from powcase.access.preferences import LANGUAGES
from powcase.app.office import Office
from powcase.documents import IDENTITY_KINDS, STATEMENT_KINDS, DocumentKind, MissingFacts
from powcase.errors import NotFound
from powcase.web.deadlines import day_or_none
from powcase.web.i18n import N_
from powcase.web.session import open_page, render, to_login

router = APIRouter(include_in_schema=False)

TITLES = {
    DocumentKind.CAPTURE_CARD.value: N_("Capture card (Annex IV B)"),
    DocumentKind.NOTICE.value: N_("Notice of rights and options"),
    DocumentKind.INTERVIEW_RECORD.value: N_("Interview record"),
    DocumentKind.DECISION_MEMO.value: N_("Decision memo"),
    DocumentKind.REPATRIATION_CERTIFICATE.value: N_("Repatriation certificate (Annex IV E)"),
    DocumentKind.HANDOVER_CERTIFICATE.value: N_("Handover certificate"),
    DocumentKind.DEATH_NOTIFICATION.value: N_("Death notification (Annex IV D)"),
}


def printable(office: Office, case_id: str) -> list[str]:
    """The kinds this user may print for this case (the same checks Office.document makes)."""
    if not office.may("print_document", case_id):
        return []
    kinds = []
    for kind in DocumentKind:
        if kind in IDENTITY_KINDS and not office.may("show_identity", case_id):
            continue
        if kind in STATEMENT_KINDS and not office.may("show_statements", case_id):
            continue
        if kind is DocumentKind.DECISION_MEMO and not office.may("determine", case_id):
            continue
        kinds.append(kind.value)
    return kinds


@router.get("/cases/{case_id}/documents")
def document(request: Request, case_id: str, kind: str = "", lang: str = "", as_of: str = "") -> Response:
    page = open_page(request)
    office = page.office
    if office is None:
        return to_login(page)
    try:
        chosen = DocumentKind(kind)
    except ValueError:
        raise NotFound(f"no document kind {kind[:40]!r}") from None
    language = lang if lang in LANGUAGES else None
    day = day_or_none(as_of) or office.pw.today()
    try:
        pdf = office.document(chosen, case_id, language, day)
    except MissingFacts as exc:
        return render(page, "document.html", status=422, case_id=case_id, title=TITLES[chosen.value], missing=exc.missing)
    filename = f"{case_id}-{chosen.value}.pdf"
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
