"""Officers' views in the admin: the responses list, exports and results."""

import csv
import io

import pytest
from openpyxl import load_workbook
from wagtail import hooks

from consultations.models import ConsultationResponse

from .factories import make_consultation

pytestmark = pytest.mark.django_db

NASTY = ["=SUM(A1:A9)", "+44 1632 960418", "-1 for this", "@cmd", '=HYPERLINK("http://x")']


def _response(page, ref, *, publish=True, contact=False, comment="Fine by me", option=None):
    answers = {
        "q-option": {
            "question": "Which option do you prefer?",
            "kind": "single_choice",
            "position": 1,
            "answer": option or "Option A: later weekday opening",
        },
        "q-uses": {
            "question": "What do you use the library for?",
            "kind": "multiple_choice",
            "position": 3,
            "answer": ["Computers", "Study space"],
        },
        "q-comments": {
            "question": "Is there anything else you want to tell us?",
            "kind": "long_text",
            "position": 5,
            "answer": comment,
        },
    }
    return ConsultationResponse.objects.create(
        page=page,
        reference=ref,
        answers=answers,
        consent_publish=publish,
        consent_contact=contact,
        email="someone@example.com" if contact else "",
    )


@pytest.fixture
def responses(consultation, consultation_index):
    other = make_consultation(consultation_index, slug="parking-zone", title="Parking zone")
    mine = [
        _response(consultation, f"RBC-CR-2026-00000{i}", comment=text, publish=i % 2 == 0)
        for i, text in enumerate(NASTY)
    ]
    _response(other, "RBC-CR-2026-000099", comment="Other consultation")
    return mine


def _export(client, page, fmt, query=""):
    response = client.get(f"/admin/consultations/{page.pk}/responses/export.{fmt}{query}")
    assert response.status_code == 200
    return response


def test_csv_export_has_exactly_the_responses_and_escapes_formulas(
    client, officer, consultation, responses
):
    client.force_login(officer)
    response = _export(client, consultation, "csv")
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    header, data = rows[0], rows[1:]
    assert header[:7] == [
        "Reference",
        "Sent",
        "Name",
        "Email",
        "Signed in as",
        "May publish or quote",
        "May contact",
    ]
    assert "Which option do you prefer?" in header
    assert sorted(r[0] for r in data) == sorted(r.reference for r in responses)
    comments = [r[header.index("Is there anything else you want to tell us?")] for r in data]
    assert sorted(comments) == sorted("'" + text for text in NASTY)
    uses = {r[header.index("What do you use the library for?")] for r in data}
    assert uses == {"Computers; Study space"}


def test_xlsx_export_escapes_formulas_and_reads_back(client, officer, consultation, responses):
    client.force_login(officer)
    response = _export(client, consultation, "xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    rows = list(sheet.iter_rows(values_only=True))
    header, data = rows[0], rows[1:]
    assert sorted(r[0] for r in data) == sorted(r.reference for r in responses)
    column = header.index("Is there anything else you want to tell us?")
    assert sorted(r[column] for r in data) == sorted("'" + text for text in NASTY)
    for row in sheet.iter_rows(min_row=2):
        assert all(cell.data_type != "f" for cell in row)


def test_exports_follow_the_filters(client, officer, consultation, responses):
    client.force_login(officer)
    response = _export(client, consultation, "xlsx", "?consent_publish=yes")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    expected = sorted(r.reference for r in responses if r.consent_publish)
    assert sorted(r[0] for r in rows[1:]) == expected


def test_exports_are_refused_to_residents_and_coaches(client, resident, coach, consultation):
    for user in (resident, coach):
        client.force_login(user)
        response = client.get(f"/admin/consultations/{consultation.pk}/responses/export.csv")
        assert response.status_code in (302, 403)


def test_response_list_filters_and_calls_extension_points_once(
    client, officer, consultation, responses, django_assert_max_num_queries
):
    calls = []

    def actions(request, items):
        calls.append(("actions", len(items)))
        return {item: [{"label": "Test action", "url": f"/p/{item.pk}/"}] for item in items}

    def badges(request, items):
        calls.append(("badges", len(items)))
        return {items[0]: [{"text": "Used as evidence", "colour": "green", "url": ""}]}

    def bulk(request, model):
        calls.append(("bulk", model))
        return [{"label": "Promote selected", "url": "/promote/"}]

    client.force_login(officer)
    with (
        hooks.register_temporarily("parley_item_actions", actions),
        hooks.register_temporarily("parley_item_badges", badges),
        hooks.register_temporarily("parley_bulk_actions", bulk),
    ):
        html = client.get(f"/admin/consultations/{consultation.pk}/responses/").content.decode()
        assert calls == [("actions", 5), ("badges", 5), ("bulk", ConsultationResponse)]
        assert html.count("Test action") == 5
        assert "Used as evidence" in html
        assert "Promote selected" in html
        assert 'name="ids"' in html

        filtered = client.get(
            f"/admin/consultations/{consultation.pk}/responses/?text=cmd"
        ).content.decode()
    assert "RBC-CR-2026-000003" in filtered
    assert "RBC-CR-2026-000001" not in filtered
    assert "RBC-CR-2026-000099" not in filtered


def test_results_view_counts_choice_answers_with_chart_and_table(client, officer, consultation):
    for i in range(3):
        _response(consultation, f"A{i}", option="Option B: close on Wednesdays")
    _response(consultation, "B1")
    client.force_login(officer)
    html = client.get(f"/admin/consultations/{consultation.pk}/results/").content.decode()
    assert "4 responses" in html
    assert '<svg class="parley-chart" role="img"' in html
    assert "Option B: close on Wednesdays: 3." in html  # the chart's text description
    assert '<th scope="row">Option B: close on Wednesdays</th><td>3</td><td>75%</td>' in html
    assert '<th scope="row">Option A: later weekday opening</th><td>1</td><td>25%</td>' in html
    assert '<th scope="row">Computers</th><td>4</td><td>100%</td>' in html


def test_response_detail_in_the_admin(client, moderator, consultation, responses):
    client.force_login(moderator)
    response = responses[0]
    html = client.get(response.get_admin_url()).content.decode()
    assert response.reference in html
    assert "Which option do you prefer?" in html


def test_consultation_pages_get_responses_buttons_in_the_admin(client, officer, consultation):
    client.force_login(officer)
    html = client.get(f"/admin/pages/{consultation.pk}/edit/").content.decode()
    assert f"/admin/consultations/{consultation.pk}/responses/" in html
    assert "Consultation responses" in client.get("/admin/").content.decode()
