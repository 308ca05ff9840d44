import csv
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from scrutiny import exports, services
from scrutiny.models import Consent, EvidenceExport, TriageStatus
from scrutiny.selectors import EvidenceFilters

from .factories import bulk_evidence, make_evidence

pytestmark = pytest.mark.django_db


@pytest.fixture
def pack(inquiry, officer):
    plain = make_evidence(
        inquiry, text="Cars park on the zig-zags every morning.", author_name="Priya"
    )
    formula = make_evidence(
        inquiry, text='=HYPERLINK("http://evil.example","click")', author_name="@cmd"
    )
    phone = make_evidence(
        inquiry, text="Call me on 07700 900123 about the lights.", consent=Consent.COMMITTEE_ONLY
    )
    services.evidence_redact(
        evidence=phone, phrase="07700 900123", reason="Phone number", by=officer
    )
    services.evidence_set_status(evidences=[plain, phone], status=TriageStatus.RELEVANT, by=officer)
    services.evidence_add_themes(evidences=[plain, formula], names=["Parking"], by=officer)
    services.evidence_add_themes(evidences=[phone], names=["Crossings"], by=officer)
    other = make_evidence(None, text="Belongs to no inquiry.")
    return {"plain": plain, "formula": formula, "phone": phone, "other": other}


def _csv(inquiry, **filters):
    fh = io.BytesIO()
    exports.build("csv", fh, inquiry, EvidenceFilters(**filters))
    return list(csv.reader(io.StringIO(fh.getvalue().decode("utf-8-sig"))))


def test_csv_has_one_row_per_item_with_every_column(inquiry, pack):
    rows = _csv(inquiry)
    assert rows[0] == exports.COLUMNS
    by_ref = {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert set(by_ref) == {pack[k].reference for k in ("plain", "formula", "phone")}
    plain = by_ref[pack["plain"].reference]
    assert plain["Source"] == "Direct submission"
    assert plain["Author"] == "Priya"
    assert plain["Text"] == "Cars park on the zig-zags every morning."
    assert plain["Themes"] == "Parking"
    assert plain["Status"] == "Relevant"
    assert plain["SHA-256"] == pack["plain"].text_sha256
    assert plain["Date"][:4].isdigit()


def test_csv_applies_redactions_and_keeps_the_original_hash(inquiry, pack):
    row = {r[0]: r for r in _csv(inquiry)}[pack["phone"].reference]
    assert "07700" not in ",".join(row)
    assert "[redacted]" in row[4]
    assert row[8] == "Yes"
    assert row[10] == pack["phone"].text_sha256


def test_spreadsheet_exports_escape_formula_injection(inquiry, pack):
    row = {r[0]: r for r in _csv(inquiry)}[pack["formula"].reference]
    assert row[4].startswith("'=HYPERLINK")
    assert row[2] == "'@cmd"

    fh = io.BytesIO()
    exports.build("xlsx", fh, inquiry, EvidenceFilters())
    ws = load_workbook(io.BytesIO(fh.getvalue())).active
    values = [[c.value for c in r] for r in ws.iter_rows()]
    assert values[0] == exports.COLUMNS
    cell = next(r for r in values if r[0] == pack["formula"].reference)
    assert cell[4].startswith("'=HYPERLINK")
    assert all(c.data_type != "f" for r in ws.iter_rows() for c in r)


def test_filters_by_status_and_theme(inquiry, pack):
    refs = {r[0] for r in _csv(inquiry, status="relevant")[1:]}
    assert refs == {pack["plain"].reference, pack["phone"].reference}
    refs = {r[0] for r in _csv(inquiry, theme="parking")[1:]}
    assert refs == {pack["plain"].reference, pack["formula"].reference}


def _pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_pdf_renders_with_cover_methods_charts_and_references(inquiry, pack):
    fh = io.BytesIO()
    n = exports.build(
        "pdf", fh, inquiry, EvidenceFilters(), organisation="Harrowfield Borough Council"
    )
    data = fh.getvalue()
    assert n == 3
    assert data.startswith(b"%PDF")
    text = _pdf_text(data)
    assert "Evidence pack: Road safety near schools" in text
    assert "Harrowfield Borough Council" in text
    assert "Terms of reference" in text
    assert "How this evidence was gathered" in text
    assert "Redactions: 1 passages in 1 items" in text
    assert "Phone number" in text
    for title in ("Evidence by theme", "Evidence by source", "Evidence by week"):
        assert title in text
    for key in ("plain", "formula", "phone"):
        assert pack[key].reference in text
    assert pack["other"].reference not in text
    assert "07700 900123" not in text
    # evidence is grouped by theme
    assert text.index("Crossings (1)") < text.index(
        pack["phone"].reference, text.index("Crossings (1)")
    )
    assert "Committee only" in text


def test_pdf_charts_are_drawn(inquiry, pack):
    from scrutiny.charts import charts_for
    from scrutiny.selectors import breakdown, filter_evidence

    stats = breakdown(filter_evidence(EvidenceFilters(inquiry=inquiry)))
    drawings = [c.drawing() for c in charts_for(stats)]
    assert all(len(c.drawings()) == 1 for c in charts_for(stats))
    # one bar (rect) per row in each chart
    from reportlab.graphics.shapes import Rect

    for chart, drawing in zip(charts_for(stats), drawings, strict=True):
        assert sum(isinstance(s, Rect) for s in drawing.contents) == len(chart.rows)


def test_management_command_writes_each_format_with_progress(inquiry, pack, tmp_path, capsys):
    for fmt in ("csv", "xlsx", "pdf"):
        out = tmp_path / f"pack.{fmt}"
        call_command(
            "export_evidence", "--inquiry", inquiry.slug, "--format", fmt, "--output", str(out)
        )
        assert out.exists() and out.stat().st_size > 0
        captured = capsys.readouterr()
        assert "Exported 3 of 3 items (100%)" in captured.err
        assert f"Wrote 3 items to {out}" in captured.out
    out = tmp_path / "relevant.csv"
    call_command(
        "export_evidence",
        "--inquiry",
        inquiry.slug,
        "--format",
        "csv",
        "--status",
        "relevant",
        "--tag",
        "Parking",
        "-o",
        str(out),
    )
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == [pack["plain"].reference]


def test_management_command_rejects_unknown_inquiry():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("export_evidence", "--inquiry", "nope", "--format", "csv")


def test_dashboard_export_runs_in_the_worker_and_offers_a_download(
    client, inquiry, pack, committee_member, django_capture_on_commit_callbacks
):
    client.force_login(committee_member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            inquiry.url + "dashboard/export/", {"format": "pdf", "status": "relevant"}
        )
    export = EvidenceExport.objects.get()
    assert response["Location"] == reverse("scrutiny:export_status", args=[export.pk])
    assert export.status == EvidenceExport.Status.DONE
    assert (export.done, export.total) == (2, 2)
    assert export.filters["status"] == "relevant"
    status = client.get(reverse("scrutiny:export_status_json", args=[export.pk])).json()
    assert status["percent"] == 100 and status["download_url"]
    page = client.get(response["Location"]).content.decode()
    assert "Your pack is ready" in page
    download = client.get(status["download_url"])
    assert download["Content-Disposition"].startswith("attachment")
    data = b"".join(download.streaming_content)
    text = _pdf_text(data)
    assert pack["plain"].reference in text and pack["formula"].reference not in text
    # the file is not under MEDIA_ROOT, so it is never served as a public file
    from django.conf import settings

    assert str(settings.MEDIA_ROOT) not in export.file.path
    assert export.file.path.startswith(str(settings.PARLEY_PRIVATE_ROOT))


def test_failed_export_is_recorded(inquiry, officer, monkeypatch):
    export = EvidenceExport.objects.create(inquiry=inquiry, format="pdf", requested_by=officer)

    def boom(*a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(exports, "build", boom)
    assert services.export_build(export_id=export.pk) is False
    export.refresh_from_db()
    assert export.status == EvidenceExport.Status.FAILED
    assert "disk full" in export.error


def test_large_export_queries_grow_with_chunks_not_rows(inquiry, django_assert_max_num_queries):
    bulk_evidence(inquiry, 1200, themes=["Speeding", "Parking"])
    fh = io.BytesIO()
    # count + (rows, themes, links, redactions, duplicates) per 500-row chunk
    with django_assert_max_num_queries(25):
        exports.build("csv", fh, inquiry, EvidenceFilters())
    assert fh.getvalue().decode("utf-8-sig").count("\n") == 1201


def test_pdf_with_years_of_weekly_evidence_splits_the_chart_across_pages(inquiry):
    from scrutiny.charts import Chart

    bulk_evidence(inquiry, 400, themes=["Speeding"])  # 7 hours apart: about 17 weeks
    weeks = [(f"w/c {i}", i % 7) for i in range(100)]
    chart = Chart("chart-weeks", "Evidence by week", "Week beginning", weeks)
    pieces = chart.drawings()
    assert [len(p.contents) for p in pieces][:1] and len(pieces) == 3
    fh = io.BytesIO()
    exports.build("pdf", fh, inquiry, EvidenceFilters())
    assert PdfReader(io.BytesIO(fh.getvalue())).pages


def test_old_packs_are_purged_with_their_files(inquiry, officer):
    from datetime import timedelta
    from pathlib import Path

    from django.utils import timezone

    from portal.privacy import purge_expired

    export = EvidenceExport.objects.create(inquiry=inquiry, format="csv", requested_by=officer)
    services.export_build(export_id=export.pk)
    export.refresh_from_db()
    path = Path(export.file.path)
    assert path.exists()
    fresh = EvidenceExport.objects.create(inquiry=inquiry, format="csv", requested_by=officer)
    results = dict(purge_expired(now=timezone.now() + timedelta(days=8)))
    assert results["evidence packs older than a week"] == 2
    assert not path.exists()
    assert not EvidenceExport.objects.filter(pk__in=[export.pk, fresh.pk]).exists()
