import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from scrutiny import services
from scrutiny.charts import Chart
from scrutiny.models import Evidence, TriageStatus

from .factories import bulk_evidence, make_evidence

pytestmark = pytest.mark.django_db


class ChartParser(HTMLParser):
    """Collects each chart's bars (from the SVG) and its table rows (from the table)."""

    def __init__(self):
        super().__init__()
        self.bars = {}
        self.tables = {}
        self._chart = None
        self._table = None
        self._cell = None
        self._row = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section" and a.get("aria-labelledby", "").startswith("chart-"):
            self._chart = a["aria-labelledby"].removesuffix("-heading")
            self.bars.setdefault(self._chart, [])
        if tag == "g" and "data-label" in a and self._chart:
            self.bars[self._chart].append((a["data-label"], int(a["data-value"])))
        if tag == "table" and a.get("id", "").endswith("-table"):
            self._table = a["id"].removesuffix("-table")
            self.tables[self._table] = []
        if self._table and tag == "tr":
            self._row = []
        if self._table and tag in ("th", "td"):
            self._cell = ""

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data

    def handle_endtag(self, tag):
        if self._table and tag in ("th", "td") and self._cell is not None:
            self._row.append(self._cell.strip())
            self._cell = None
        if self._table and tag == "tr" and len(self._row) == 2 and self._row[1].isdigit():
            self.tables[self._table].append((self._row[0], int(self._row[1])))
        if tag == "table":
            self._table = None


def _charts(html):
    p = ChartParser()
    p.feed(html)
    return p


def test_charts_and_tables_show_the_same_figures(client, committee_member, inquiry, officer):
    rows = bulk_evidence(inquiry, 40, themes=["Speeding", "Parking", "Crossings"])
    services.evidence_set_status(evidences=rows[:10], status=TriageStatus.RELEVANT, by=officer)
    client.force_login(committee_member)
    html = client.get(inquiry.url + "dashboard/").content.decode()
    parsed = _charts(html)
    assert set(parsed.bars) == {"chart-themes", "chart-sources", "chart-weeks"}
    for chart_id, bars in parsed.bars.items():
        assert bars, chart_id
        assert bars == parsed.tables[chart_id], chart_id
    assert dict(parsed.bars["chart-themes"]) == {"Crossings": 13, "Parking": 13, "Speeding": 14}
    assert sum(n for _, n in parsed.bars["chart-sources"]) == 40
    assert sum(n for _, n in parsed.bars["chart-weeks"]) == 40
    assert "40 items of evidence" in html


def test_week_chart_counts_weeks_in_order_with_empty_weeks(committee_member, client, inquiry):
    monday = timezone.now() - timedelta(days=timezone.now().weekday() + 21)
    make_evidence(inquiry, said_at=monday)
    make_evidence(inquiry, said_at=monday + timedelta(days=1))
    make_evidence(inquiry, said_at=monday + timedelta(days=15))
    client.force_login(committee_member)
    weeks = _charts(client.get(inquiry.url + "dashboard/").content.decode()).bars["chart-weeks"]
    assert [n for _, n in weeks] == [2, 0, 1]
    assert all(label.startswith("w/c ") for label, _ in weeks)


def test_chart_svg_is_labelled_and_escaped():
    chart = Chart("c", "Evidence by theme", "Theme", [("<script>x</script>", 3), ("Parking", 1)])
    svg = str(chart.svg())
    assert 'role="img"' in svg and 'aria-labelledby="c-title c-desc"' in svg
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "Largest: &lt;script&gt;x&lt;/script&gt;, 3." in svg
    widths = [float(w) for w in re.findall(r'<rect [^>]*width="([\d.]+)"', svg)]
    assert widths[0] == pytest.approx(3 * widths[1], abs=0.2)


def test_dashboard_filters_and_search(client, committee_member, inquiry, officer):
    a = make_evidence(inquiry, text="The lollipop lady retired and nobody replaced her.")
    b = make_evidence(inquiry, text="Speed bumps on Station Road would help.")
    services.evidence_set_status(evidences=[b], status=TriageStatus.RELEVANT, by=officer)
    client.force_login(committee_member)
    html = client.get(inquiry.url + "dashboard/", {"q": "lollipop"}).content.decode()
    assert a.reference in html and b.reference not in html
    html = client.get(inquiry.url + "dashboard/", {"status": "relevant"}).content.decode()
    assert b.reference in html and a.reference not in html
    html = client.get(inquiry.url + "dashboard/", {"q": a.reference}).content.decode()
    assert a.reference in html and b.reference not in html


def test_dashboard_only_shows_this_inquirys_evidence(
    client, committee_member, inquiry, closed_inquiry
):
    mine = make_evidence(inquiry)
    theirs = make_evidence(closed_inquiry)
    client.force_login(committee_member)
    html = client.get(inquiry.url + "dashboard/").content.decode()
    assert mine.reference in html and theirs.reference not in html


def test_dashboard_query_count_is_bounded_with_thousands_of_items(
    client, committee_member, inquiry, django_assert_max_num_queries
):
    bulk_evidence(inquiry, 2500, themes=["Speeding", "Parking", "Crossings", "Lighting"])
    client.force_login(committee_member)
    client.get(inquiry.url + "dashboard/")  # warm caches (site settings, content types)
    with django_assert_max_num_queries(34):
        response = client.get(inquiry.url + "dashboard/")
    assert response.status_code == 200
    with django_assert_max_num_queries(34):
        response = client.get(inquiry.url + "dashboard/", {"page": 7, "theme": "Parking"})
    assert response.status_code == 200


def test_triage_list_query_count_is_bounded_with_thousands_of_items(
    client, officer, inquiry, django_assert_max_num_queries
):
    bulk_evidence(inquiry, 2500, themes=["Speeding", "Parking"])
    client.force_login(officer)
    client.get(reverse("scrutiny:triage"))
    with django_assert_max_num_queries(34):
        response = client.get(reverse("scrutiny:triage"))
    assert response.status_code == 200
    assert response.content.decode().count("data-evidence-row") == 50
    with django_assert_max_num_queries(34):
        client.get(reverse("scrutiny:triage"), {"page": 20, "source": "x_reply", "q": "traffic"})


def test_bulk_triage_from_the_list(client, officer, inquiry, closed_inquiry):
    rows = bulk_evidence(inquiry, 6)
    client.force_login(officer)
    url = reverse("scrutiny:triage")
    ids = [e.pk for e in rows[:3]]
    r = client.post(url, {"ids": ids, "action": "relevant", "next": url + "?status=new"})
    assert r.status_code == 302 and r["Location"] == url + "?status=new"
    assert set(Evidence.objects.filter(status="relevant").values_list("pk", flat=True)) == set(ids)
    client.post(url, {"ids": ids, "action": "add_theme", "theme": "School run, Parking"})
    assert sorted(Evidence.objects.get(pk=ids[0]).theme_names) == ["Parking", "School run"]
    client.post(url, {"ids": ids[1:], "action": "duplicate", "duplicate_of": rows[0].reference})
    assert Evidence.objects.filter(duplicate_of=rows[0]).count() == 2
    client.post(url, {"ids": ids, "action": "link", "inquiry": closed_inquiry.pk})
    assert closed_inquiry.links.count() == 3
    r = client.post(url, {"ids": ids, "action": "add_theme", "theme": ""})
    assert r.status_code == 400
    assert "Enter a theme" in r.content.decode()
    r = client.post(url, {"action": "relevant"})
    assert "Select at least one item" in r.content.decode()


def test_bulk_publish_refuses_items_without_consent(client, officer, inquiry):
    rows = bulk_evidence(inquiry, 3)  # row 0 has no consent to publish
    client.force_login(officer)
    r = client.post(reverse("scrutiny:triage"), {"ids": [e.pk for e in rows], "action": "public"})
    assert r.status_code == 400
    assert rows[0].reference in r.content.decode()


def test_evidence_detail_shows_history_hash_and_controls(client, officer, inquiry):
    e = make_evidence(inquiry, text="Ring 07700 900123 any time.")
    client.force_login(officer)
    r = client.post(
        e.get_absolute_url(),
        {"action": "redact", "phrase": "07700 900123", "reason": "Personal phone number"},
    )
    assert r.status_code == 302
    html = client.get(e.get_absolute_url()).content.decode()
    assert "Verified: the snapshot matches its fingerprint" in html
    assert e.text_sha256 in html
    assert "Redacted 1 place: Personal phone number" in html
    assert "Ring [redacted] any time." in html
    r = client.post(e.get_absolute_url(), {"action": "redact", "phrase": "", "reason": ""})
    assert r.status_code == 400
    assert "govuk-error-summary" in r.content.decode()


def test_committee_members_read_without_the_original_text(
    client, committee_member, officer, inquiry
):
    e = make_evidence(inquiry, text="Ring 07700 900123 any time.")
    services.evidence_redact(evidence=e, phrase="07700 900123", reason="Phone", by=officer)
    client.force_login(committee_member)
    html = client.get(e.get_absolute_url()).content.decode()
    assert "[redacted]" in html and "07700" not in html
    assert 'name="action" value="status"' not in html


def test_triage_page_ids_are_unique_so_each_label_names_its_own_control(client, officer, inquiry):
    """Found by the browser journey: the bulk "Themes" label pointed at the filter's select."""
    bulk_evidence(inquiry, 2, themes=["Speeding"])
    client.force_login(officer)
    html = client.get(reverse("scrutiny:triage")).content.decode()
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    assert re.search(r"<label[^>]*for=\"bulk_theme\"[^>]*>\s*Themes", html)
    r = client.post(reverse("scrutiny:triage"), {"action": "add_theme", "theme": ""})
    assert 'href="#bulk_theme"' in r.content.decode() or 'href="#bulk_ids"' in r.content.decode()
