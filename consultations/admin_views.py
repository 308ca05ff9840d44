"""Officers' views in the Wagtail admin: responses (list, filter, export) and results."""

import csv
import io
from datetime import date

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from portal.extensions import bulk_actions, item_actions, item_badges
from portal.text import escape_spreadsheet_cell

from . import permissions, selectors
from .forms import ResponseFilterForm
from .models import ConsultationPage, ConsultationResponse

RESPONSES_PER_PAGE = 50


def _check(request, *, export=False):
    allowed = (
        permissions.can_export_responses(request.user)
        if export
        else permissions.can_view_responses(request.user)
    )
    if not allowed:
        raise PermissionDenied


class _Base(WagtailAdminTemplateMixin, TemplateView):
    header_icon = "form"

    def dispatch(self, request, *args, **kwargs):
        _check(request)
        return super().dispatch(request, *args, **kwargs)

    def index_crumb(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("consultations_admin:index"), "label": "Consultation responses"},
        ]


class ConsultationsIndexView(_Base):
    """Every consultation with how many responses it has."""

    template_name = "consultations/admin/index.html"
    page_title = "Consultation responses"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pages = ConsultationPage.objects.annotate(total=Count("responses")).order_by("-closes_at")
        page_obj = Paginator(pages, 50).get_page(self.request.GET.get("p"))
        context.update({"page_obj": page_obj, "now": timezone.now()})
        return context


class ResponsesView(_Base):
    """One consultation's responses, filtered, with other apps' actions beside each."""

    template_name = "consultations/admin/responses.html"

    def get_page_title(self):
        return f"Responses: {self.consultation.title}"

    def get_breadcrumbs_items(self):
        return [*self.index_crumb(), {"url": "", "label": self.consultation.title}]

    def dispatch(self, request, page_id, *args, **kwargs):
        self.consultation = get_object_or_404(ConsultationPage, pk=page_id)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = ResponseFilterForm(self.request.GET or None)
        filters = form.filters()
        qs = selectors.responses_for_officers(self.consultation, filters=filters)
        page_obj = Paginator(qs, RESPONSES_PER_PAGE).get_page(self.request.GET.get("p"))
        rows = list(page_obj.object_list)
        query = self.request.GET.copy()
        query.pop("p", None)
        context.update(
            {
                "consultation": self.consultation,
                "filter_form": form,
                "page_obj": page_obj,
                "responses": rows,
                "total": selectors.response_count(self.consultation),
                "query": query.urlencode(),
                "actions": item_actions(self.request, rows),
                "badges": item_badges(self.request, rows),
                "bulk_actions": bulk_actions(self.request, ConsultationResponse),
                "can_export": permissions.can_export_responses(self.request.user),
                "next_url": self.request.get_full_path(),
            }
        )
        return context


class ResponseView(_Base):
    template_name = "consultations/admin/response.html"

    def dispatch(self, request, pk, *args, **kwargs):
        self.response = get_object_or_404(
            ConsultationResponse.objects.select_related("page", "user"), pk=pk
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"Response {self.response.reference}"

    def get_breadcrumbs_items(self):
        page = self.response.page
        return [
            *self.index_crumb(),
            {"url": reverse("consultations_admin:responses", args=[page.pk]), "label": page.title},
            {"url": "", "label": self.response.reference},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = [self.response]
        context.update(
            {
                "response": self.response,
                "answers": self.response.ordered_answers(),
                "actions": item_actions(self.request, rows),
                "badges": item_badges(self.request, rows),
            }
        )
        return context


class ResultsView(_Base):
    """Counts per answer for each question, as charts with the same numbers in a table."""

    template_name = "consultations/admin/results.html"

    def dispatch(self, request, page_id, *args, **kwargs):
        self.consultation = get_object_or_404(ConsultationPage, pk=page_id)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"Results: {self.consultation.title}"

    def get_breadcrumbs_items(self):
        return [
            *self.index_crumb(),
            {
                "url": reverse("consultations_admin:responses", args=[self.consultation.pk]),
                "label": self.consultation.title,
            },
            {"url": "", "label": "Results"},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        data = selectors.results(self.consultation)
        for question in data["questions"]:
            if "rows" in question:
                question["chart"] = bar_chart(question["rows"], question["max_count"])
        context.update({"consultation": self.consultation, **data})
        return context


# Charts: plain SVG drawn here so they need no JavaScript; the table beside each carries the
# same numbers for people who cannot see the chart.

CHART_WIDTH = 640
LABEL_WIDTH = 220
BAR_HEIGHT = 24
BAR_GAP = 10


def bar_chart(rows: list[dict], max_count: int) -> dict:
    """Geometry for a horizontal bar chart of `rows` (label, count, percent)."""
    usable = CHART_WIDTH - LABEL_WIDTH - 90
    bars = []
    for i, row in enumerate(rows):
        width = round(usable * row["count"] / max_count) if max_count else 0
        y = i * (BAR_HEIGHT + BAR_GAP)
        bars.append(
            {
                **row,
                "y": y,
                "text_y": y + BAR_HEIGHT * 0.7,
                "width": width,
                "value_x": LABEL_WIDTH + width + 8,
            }
        )
    return {
        "width": CHART_WIDTH,
        "height": max(1, len(rows)) * (BAR_HEIGHT + BAR_GAP),
        "label_width": LABEL_WIDTH,
        "label_x": LABEL_WIDTH - 8,
        "bar_height": BAR_HEIGHT,
        "bars": bars,
    }


# Exports


def _columns(page: ConsultationPage, responses) -> list[tuple[str, str]]:
    """(question id, heading) for the page's questions, then any answered but since removed."""
    columns = [(q["id"], q["question"]) for q in page.question_blocks()]
    known = {c[0] for c in columns}
    extra = {}
    for response in responses:
        for key, entry in (response.answers or {}).items():
            if key not in known and key not in extra:
                extra[key] = f"{entry.get('question', key)} (no longer asked)"
    return columns + list(extra.items())


HEADINGS = [
    "Reference",
    "Sent",
    "Name",
    "Email",
    "Signed in as",
    "May publish or quote",
    "May contact",
]


def _rows(page: ConsultationPage, responses: list[ConsultationResponse]):
    columns = _columns(page, responses)
    yield [escape_spreadsheet_cell(h) for h in HEADINGS + [heading for _, heading in columns]]
    for r in responses:
        answers = r.answers or {}
        row = [
            r.reference,
            timezone.localtime(r.submitted_at).strftime("%Y-%m-%d %H:%M"),
            r.name,
            r.email,
            r.user.email if r.user_id and r.user else "",
            "Yes" if r.consent_publish else "No",
            "Yes" if r.consent_contact else "No",
        ]
        for key, _heading in columns:
            answer = (answers.get(key) or {}).get("answer", "")
            row.append("; ".join(answer) if isinstance(answer, list) else answer)
        yield [escape_spreadsheet_cell(value) for value in row]


def _filename(page: ConsultationPage, ext: str) -> str:
    return f"{page.slug}-responses-{date.today().isoformat()}.{ext}"


def export_responses(request, page_id: int, fmt: str):
    """The filtered responses as CSV or XLSX, every cell escaped against formula injection."""
    _check(request, export=True)
    if fmt not in ("csv", "xlsx"):
        raise Http404("Unknown format")
    page = get_object_or_404(ConsultationPage, pk=page_id)
    form = ResponseFilterForm(request.GET or None)
    responses = list(selectors.responses_for_officers(page, filters=form.filters()))
    if fmt == "csv":

        class _Echo:
            def write(self, value):
                return value

        writer = csv.writer(_Echo())
        # the byte-order mark makes Excel read the file as UTF-8
        stream = (
            ("\ufeff" if i == 0 else "") + writer.writerow(row)
            for i, row in enumerate(_rows(page, responses))
        )
        response = StreamingHttpResponse(stream, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{_filename(page, "csv")}"'
        return response

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Responses")
    bold = Font(bold=True)
    for i, row in enumerate(_rows(page, responses)):
        if i == 0:
            cells = []
            for value in row:
                cell = WriteOnlyCell(sheet, value=value)
                cell.font = bold
                cells.append(cell)
            sheet.append(cells)
        else:
            sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(page, "xlsx")}"'
    return response
