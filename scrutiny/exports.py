"""Evidence packs: CSV and XLSX (one row per item) and a PDF for committee papers.

Writers take an open file and report progress through a callback every chunk, so the
management command can print progress and the worker can record it on the EvidenceExport row.
Rows are read in chunks with their themes, links and redactions prefetched: the number of
queries grows with the number of chunks, never with the number of items.
"""

import csv
import io
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import datetime

from django.utils import timezone

from portal.text import escape_spreadsheet_cell, strip_html

from .charts import charts_for
from .models import Evidence, InquiryPage, Redaction
from .selectors import EvidenceFilters, breakdown, filter_evidence

CHUNK = 500
COLUMNS = [
    "Reference",
    "Source",
    "Author",
    "Date",
    "Text",
    "Themes",
    "Status",
    "Consent",
    "Redacted",
    "URL",
    "SHA-256",
]

Progress = Callable[[int, int], None] | None


def export_queryset(inquiry: InquiryPage, filters: EvidenceFilters):
    filters.inquiry = inquiry
    return filter_evidence(filters)


def iter_rows(qs, progress: Progress = None):
    """Evidence in chunks with everything a row needs, calling progress(done, total)."""
    total = qs.count()
    done = 0
    if progress:
        progress(0, total)
    for evidence in qs.with_list_data().iterator(chunk_size=CHUNK):
        yield evidence
        done += 1
        if progress and (done % CHUNK == 0 or done == total):
            progress(done, total)


def _local(dt: datetime) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%d %H:%M")


def row_for(e: Evidence) -> list:
    return [
        e.reference,
        e.source_label,
        e.author_label,
        _local(e.said_at),
        e.display_text,
        "; ".join(e.theme_names),
        e.get_status_display()
        + (f" of {e.duplicate_of.reference}" if e.duplicate_of_id and e.duplicate_of else ""),
        e.get_consent_display(),
        "Yes" if e.is_redacted else "No",
        e.source_url,
        e.text_sha256,
    ]


def write_csv(fh, qs, progress: Progress = None) -> int:
    """One row per item; every cell escaped against formula injection."""
    writer = csv.writer(fh)
    writer.writerow(COLUMNS)
    n = 0
    for e in iter_rows(qs, progress):
        writer.writerow([escape_spreadsheet_cell(v) for v in row_for(e)])
        n += 1
    return n


def write_xlsx(fh, qs, progress: Progress = None, title: str = "Evidence") -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31] or "Evidence")
    for col, width in zip("ABCDEFGHIJK", [16, 20, 26, 17, 80, 30, 16, 24, 10, 40, 66], strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    header = []
    for name in COLUMNS:
        cell = WriteOnlyCell(ws, value=name)
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    wrap = Alignment(wrap_text=True, vertical="top")
    n = 0
    for e in iter_rows(qs, progress):
        cells = []
        for value in row_for(e):
            cell = WriteOnlyCell(ws, value=escape_spreadsheet_cell(value))
            cell.alignment = wrap
            # text cells are never formulas, whatever they start with
            cell.data_type = "s"
            cells.append(cell)
        ws.append(cells)
        n += 1
    wb.save(fh)
    return n


# -- PDF -------------------------------------------------------------------------------------


def _styles():
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet

    base = getSampleStyleSheet()
    return {
        "title": ParagraphStyle("t", parent=base["Title"], fontSize=24, leading=30, alignment=0),
        "h1": ParagraphStyle("h1", parent=base["Heading1"], fontSize=18, leading=22),
        "h2": ParagraphStyle("h2", parent=base["Heading2"], fontSize=14, leading=18),
        "h3": ParagraphStyle("h3", parent=base["Heading3"], fontSize=11.5, leading=15),
        "body": ParagraphStyle("b", parent=base["BodyText"], fontSize=10, leading=14),
        "meta": ParagraphStyle(
            "m",
            parent=base["BodyText"],
            fontSize=8.5,
            leading=11,
            textColor=colors.HexColor("#505a5f"),
        ),
        "quote": ParagraphStyle(
            "q", parent=base["BodyText"], fontSize=10, leading=14, leftIndent=10
        ),
    }


def xml_escape(text: str) -> str:
    """Escape for ReportLab's paragraph markup (a tiny XML dialect)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _p(text: str, style):
    from reportlab.platypus import Paragraph

    return Paragraph(xml_escape(text).replace("\n", "<br/>"), style)


def _rich_paragraphs(html: str, style) -> list:
    text = strip_html(html or "")
    return [_p(block, style) for block in text.split("\n\n") if block.strip()]


def _table(rows, header, col_widths=None):
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    t = Table([header, *[[label, str(n)] for label, n in rows]], colWidths=col_widths, repeatRows=1)
    t.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 9),
                ("FONT", (0, 1), (-1, -1), "Helvetica", 9),
                ("ALIGN", (1, 0), (1, -1), "RIGHT"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.HexColor("#0b0c0c")),
                ("LINEBELOW", (0, 1), (-1, -1), 0.3, colors.HexColor("#b1b4b6")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return t


def write_pdf(
    fh,
    inquiry: InquiryPage,
    qs,
    filters: EvidenceFilters,
    progress: Progress = None,
    organisation: str = "",
) -> int:
    """The committee pack: cover, terms of reference, methods, charts, evidence by theme."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, PageBreak, SimpleDocTemplate, Spacer

    styles = _styles()
    items = list(iter_rows(qs, progress))
    stats = breakdown(qs)
    generated = timezone.localtime()
    story = []

    # Cover
    story += [
        Spacer(1, 40 * mm),
        _p(organisation or "Scrutiny", styles["meta"]),
        _p(f"{inquiry.committee}", styles["h2"]),
        _p(f"Evidence pack: {inquiry.title}", styles["title"]),
        _p(inquiry.summary, styles["body"]),
        Spacer(1, 10 * mm),
        _p(f"Chair: {inquiry.chair}" if inquiry.chair else "", styles["body"]),
        _p(
            f"Call for evidence: {inquiry.evidence_opens:%-d %B %Y} to "
            f"{inquiry.evidence_closes:%-d %B %Y}",
            styles["body"],
        ),
        _p(
            f"{len(items)} items of evidence. Pack produced {generated:%-d %B %Y at %H:%M}.",
            styles["body"],
        ),
        PageBreak(),
    ]

    # Terms of reference and key questions
    story.append(_p("Terms of reference", styles["h1"]))
    story += _rich_paragraphs(inquiry.terms_of_reference, styles["body"])
    if inquiry.key_question_list:
        story.append(_p("Key questions", styles["h2"]))
        for i, q in enumerate(inquiry.key_question_list, 1):
            story.append(_p(f"{i}. {q}", styles["body"]))

    # Methods note
    story.append(_p("How this evidence was gathered", styles["h1"]))
    sources = ", ".join(f"{label} ({n})" for label, n in stats.sources) or "none"
    story.append(_p(f"Sources: {sources}.", styles["body"]))
    if items:
        first = min(e.said_at for e in items)
        last = max(e.said_at for e in items)
        story.append(
            _p(
                "Dates: the evidence was written or given between "
                f"{timezone.localtime(first):%-d %B %Y} and {timezone.localtime(last):%-d %B %Y}.",
                styles["body"],
            )
        )
    story.append(
        _p(
            "Triage: officers read every item, marked it relevant, not relevant or a duplicate "
            "of an earlier item, and tagged it by theme. Counts by status: "
            + ", ".join(f"{label} {n}" for label, n in stats.statuses)
            + ".",
            styles["body"],
        )
    )
    described = filters.describe()
    story.append(
        _p(
            "This pack includes "
            + (
                "items with " + "; ".join(described)
                if described
                else "every item linked to the inquiry"
            )
            + ".",
            styles["body"],
        )
    )
    story.append(
        _p(
            "Consent: consultation responses and direct submissions given without consent to "
            "publish are marked 'Committee only' and must not be quoted in public papers. "
            "Replies on X and questions, answers and comments on this site were public when "
            "captured.",
            styles["body"],
        )
    )
    redactions = list(
        Redaction.objects.filter(evidence__in=[e.pk for e in items])
        .values_list("evidence__reference", "reason")
        .order_by("evidence__reference")
    )
    if redactions:
        reasons = Counter(reason for _, reason in redactions)
        story.append(
            _p(
                f"Redactions: {len(redactions)} passages in "
                f"{len({ref for ref, _ in redactions})} items were redacted before this pack was "
                "made, shown as [redacted]. Reasons: "
                + "; ".join(f"{r} ({n})" for r, n in reasons.most_common())
                + ".",
                styles["body"],
            )
        )
    else:
        story.append(_p("Redactions: nothing in this pack was redacted.", styles["body"]))
    story.append(
        _p(
            "Each item carries the SHA-256 fingerprint of the text exactly as captured. The "
            "council keeps that original; its fingerprint still matches even where a passage is "
            "redacted here, so anyone can check that nothing else was changed.",
            styles["body"],
        )
    )

    # Charts, each with its figures
    story.append(PageBreak())
    story.append(_p("Evidence at a glance", styles["h1"]))
    for chart in charts_for(stats):
        pieces = chart.drawings()
        story.append(KeepTogether([_p(chart.title, styles["h2"]), pieces[0]]))
        story += pieces[1:]
        story += [
            Spacer(1, 3 * mm),
            _table(chart.rows, [chart.label_heading, "Items"], [110 * mm, 25 * mm]),
            Spacer(1, 6 * mm),
        ]
    story.append(
        _p(
            "An item can have more than one theme, so theme counts can add up to more than "
            "the total.",
            styles["meta"],
        )
    )

    # Evidence grouped by theme
    story.append(PageBreak())
    story.append(_p("The evidence, by theme", styles["h1"]))
    groups: dict[str, list[Evidence]] = defaultdict(list)
    for e in items:
        for theme in e.theme_names or ["No theme yet"]:
            groups[theme].append(e)
    printed: dict[str, str] = {}
    for theme in sorted(groups, key=lambda t: (t == "No theme yet", t.lower())):
        story.append(_p(f"{theme} ({len(groups[theme])})", styles["h2"]))
        for e in groups[theme]:
            if e.reference in printed:
                story.append(
                    _p(f"{e.reference}: see under '{printed[e.reference]}'.", styles["meta"])
                )
                continue
            printed[e.reference] = theme
            head = f"{e.reference} · {e.source_label} · {e.author_label} · {_local(e.said_at)}"
            flags = [e.get_status_display()]
            if e.duplicate_of_id and e.duplicate_of:
                flags[-1] += f" of {e.duplicate_of.reference}"
            if e.consent != "public":
                flags.append("Committee only")
            if e.is_redacted:
                flags.append("Redacted")
            if e.source_state in ("edited", "removed"):
                flags.append(e.get_source_state_display())
            block = [_p(head, styles["h3"]), _p(" · ".join(flags), styles["meta"])]
            if e.title:
                block.append(_p(e.title, styles["body"]))
            block.append(_p(e.display_text, styles["quote"]))
            if e.source_url:
                block.append(_p(e.source_url, styles["meta"]))
            block.append(_p(f"SHA-256 {e.text_sha256}", styles["meta"]))
            block.append(Spacer(1, 4 * mm))
            story.append(KeepTogether(block[:3]))
            story += block[3:]

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(
            18 * mm, 10 * mm, f"{inquiry.title}: evidence pack, {generated:%-d %B %Y}"
        )
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, f"Page {doc.page}")
        canvas.restoreState()

    doc = SimpleDocTemplate(
        fh,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=f"Evidence pack: {inquiry.title}",
        author=organisation or "Scrutiny",
        subject=inquiry.committee,
    )
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return len(items)


def build(
    fmt: str,
    fh,
    inquiry,
    filters: EvidenceFilters,
    progress: Progress = None,
    organisation: str = "",
) -> int:
    """Write the pack in `fmt` to `fh` (binary); returns the number of items."""
    qs = export_queryset(inquiry, filters)
    if fmt == "csv":
        text = io.TextIOWrapper(fh, encoding="utf-8-sig", newline="")
        try:
            return write_csv(text, qs, progress)
        finally:
            text.flush()
            text.detach()
    if fmt == "xlsx":
        return write_xlsx(fh, qs, progress, title=inquiry.title)
    if fmt == "pdf":
        return write_pdf(fh, inquiry, qs, filters, progress, organisation=organisation)
    raise ValueError(f"Unknown format {fmt}")
