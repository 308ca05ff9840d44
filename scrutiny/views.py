"""Scrutiny's pages: the public inquiry routes (submit, follow, published evidence), the
committee dashboard, officers' triage, promotion from other apps, and evidence packs."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from portal import ratelimit, submissions

from . import permissions, selectors, services, sources
from .charts import charts_for
from .forms import (
    BulkTriageForm,
    DuplicateForm,
    ExportForm,
    FilterForm,
    LinkForm,
    NoteForm,
    OralEvidenceForm,
    PromoteForm,
    PublicForm,
    RedactForm,
    RemoveRedactionForm,
    StatusForm,
    SubmitEvidenceForm,
    ThemesForm,
)
from .models import Evidence, EvidenceExport, InquiryPage, Redaction, TriageStatus
from .redaction import suggest

TRIAGE_PAGE_SIZE = 50
DASHBOARD_PAGE_SIZE = 25
STAFF_WRITES = "1200/3600"


def staff_view(check):
    """Sign-in then permission check for staff pages; anonymous people go to sign in."""

    def decorator(view):
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.__name__ = view.__name__
        wrapped.__doc__ = view.__doc__
        return wrapped

    return decorator


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _paginate(request, qs, size):
    paginator = Paginator(qs.values_list("pk", flat=True), size)
    page_obj = paginator.get_page(request.GET.get("page"))
    rows = selectors.page_of(qs, page_obj)
    return page_obj, rows


# -- public inquiry routes -----------------------------------------------------------------


def inquiry_public_evidence(request, inquiry: InquiryPage):
    """The evidence the public may read: published, with consent, not ruled out."""
    form = FilterForm(request.GET or None, themes=selectors.theme_choices(), with_inquiry=False)
    filters = form.filters(inquiry=inquiry) if form.is_bound else selectors.EvidenceFilters(inquiry)
    filters.public_only = True
    qs = selectors.filter_evidence(filters)
    page_obj, rows = _paginate(request, qs, DASHBOARD_PAGE_SIZE)
    return TemplateResponse(
        request,
        "scrutiny/public_evidence.html",
        {"page": inquiry, "form": form, "page_obj": page_obj, "rows": rows},
    )


@require_http_methods(["GET", "POST"])
@ratelimit.rate_limit("scrutiny-submit", per_user="5/3600", per_ip="10/3600")
def submit_evidence(request, inquiry: InquiryPage):
    """The call for evidence form, open only between its dates."""
    if not permissions.can_submit_evidence(request.user, inquiry):
        return TemplateResponse(
            request, "scrutiny/submit_closed.html", {"page": inquiry}, status=403
        )
    form = SubmitEvidenceForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data

            def store() -> str:
                evidence = services.evidence_submit(
                    inquiry=inquiry,
                    name=data["name"],
                    organisation=data.get("organisation", ""),
                    email=data.get("email", ""),
                    text=data["text"],
                    consent_publish=data["consent_publish"] == "yes",
                    consent_contact=data.get("consent_contact", False),
                    user=request.user if request.user.is_authenticated else None,
                )
                return evidence.reference

            try:
                # evidence sent twice (double click, resend) is stored once
                outcome = submissions.run_once(
                    key=submissions.submission_key(request, form, f"evidence:{inquiry.pk}"),
                    action=store,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                # The receipt page is only for the person who submitted.
                request.session["scrutiny_receipt"] = outcome.result
                return redirect(
                    inquiry.url + inquiry.reverse_subpage("submit_done", args=[outcome.result])
                )
        form.refresh_timestamp()
    return TemplateResponse(request, "scrutiny/submit.html", {"page": inquiry, "form": form})


def submit_done(request, inquiry: InquiryPage, reference: str):
    if request.session.get("scrutiny_receipt") != reference:
        raise Http404
    evidence = get_object_or_404(Evidence, reference=reference)
    return TemplateResponse(
        request, "scrutiny/submit_done.html", {"page": inquiry, "evidence": evidence}
    )


@require_POST
@ratelimit.rate_limit("scrutiny-follow", per_user="60/3600")
def follow_inquiry(request, inquiry: InquiryPage):
    if not request.user.is_authenticated:
        return redirect_to_login(inquiry.url)
    if request.POST.get("follow") == "no":
        services.inquiry_unfollow(inquiry=inquiry, user=request.user)
        messages.success(request, f"You are no longer following '{inquiry.title}'.")
    else:
        services.inquiry_follow(inquiry=inquiry, user=request.user)
        messages.success(
            request,
            f"You are following '{inquiry.title}'. We will email you when its report and the "
            "council's response are published.",
        )
    return redirect(inquiry.url)


# -- the committee dashboard ----------------------------------------------------------------


@staff_view(permissions.can_view_dashboard)
def dashboard(request, inquiry: InquiryPage):
    """Per-inquiry charts (theme, source, week) with tables, and the filterable evidence list."""
    form = FilterForm(request.GET or None, themes=selectors.theme_choices(), with_inquiry=False)
    filters = form.filters(inquiry=inquiry) if form.is_bound else selectors.EvidenceFilters(inquiry)
    qs = selectors.filter_evidence(filters)
    stats = selectors.breakdown(qs)
    page_obj, rows = _paginate(request, qs, DASHBOARD_PAGE_SIZE)
    exports = list(EvidenceExport.objects.filter(inquiry=inquiry, requested_by=request.user)[:5])
    return TemplateResponse(
        request,
        "scrutiny/dashboard.html",
        {
            "page": inquiry,
            "form": form,
            "stats": stats,
            "charts": charts_for(stats),
            "page_obj": page_obj,
            "rows": rows,
            "export_form": ExportForm(initial={"format": "pdf"}),
            "filters_query": request.GET.urlencode(),
            "can_export": permissions.can_export(request.user),
            "can_triage": permissions.can_triage(request.user),
            "exports": exports,
            "filtered": any(filters.describe()),
        },
    )


@require_POST
@staff_view(permissions.can_export)
@ratelimit.rate_limit("scrutiny-export", per_user="30/3600")
def start_export(request, inquiry: InquiryPage):
    form = ExportForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a format for the evidence pack.")
        return redirect(inquiry.url + "dashboard/")
    filter_form = FilterForm(
        {
            k: v
            for k, v in request.POST.items()
            if k in ("q", "status", "source", "theme", "date_from", "date_to")
        },
        themes=selectors.theme_choices(),
        with_inquiry=False,
    )
    filters = filter_form.filters(inquiry=inquiry)
    export = services.export_request(
        inquiry=inquiry, fmt=form.cleaned_data["format"], filters=filters.as_dict(), by=request.user
    )
    return redirect("scrutiny:export_status", export.pk)


def _own_export(request, pk) -> EvidenceExport:
    export = get_object_or_404(EvidenceExport.objects.select_related("inquiry"), pk=pk)
    if not permissions.can_download_export(request.user, export):
        raise PermissionDenied
    return export


@staff_view(permissions.can_export)
def export_status(request, pk: int):
    export = _own_export(request, pk)
    return render(request, "scrutiny/export_status.html", {"export": export})


@staff_view(permissions.can_export)
def export_status_json(request, pk: int):
    export = _own_export(request, pk)
    return JsonResponse(
        {
            "status": export.status,
            "status_label": export.get_status_display(),
            "done": export.done,
            "total": export.total,
            "percent": export.percent,
            "download_url": reverse("scrutiny:export_download", args=[export.pk])
            if export.status == EvidenceExport.Status.DONE
            else "",
        }
    )


@staff_view(permissions.can_export)
def export_download(request, pk: int):
    export = _own_export(request, pk)
    if export.status != EvidenceExport.Status.DONE or not export.file:
        raise Http404
    response = FileResponse(export.file.open("rb"), as_attachment=True, filename=export.filename)
    response["Cache-Control"] = "private, no-store"
    return response


# -- officers' triage -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_view(permissions.can_triage)
@ratelimit.rate_limit("scrutiny-triage", per_user=STAFF_WRITES)
def triage(request):
    """Every item in the ledger, filtered and searched, with bulk actions."""
    bulk = BulkTriageForm(request.POST or None)
    if request.method == "POST" and bulk.is_valid():
        done = _apply_bulk(request, bulk)
        if done is not None:
            messages.success(request, done)
            return redirect(_safe_next(request, reverse("scrutiny:triage")))
    themes = selectors.theme_choices()
    form = FilterForm(request.GET or None, themes=themes)
    filters = form.filters() if form.is_bound else selectors.EvidenceFilters()
    qs = selectors.filter_evidence(filters)
    page_obj, rows = _paginate(request, qs, TRIAGE_PAGE_SIZE)
    selected = {str(pk) for pk in request.POST.getlist("ids")}
    return TemplateResponse(
        request,
        "scrutiny/triage.html",
        {
            "form": form,
            "bulk": bulk,
            "page_obj": page_obj,
            "rows": rows,
            "themes": themes,
            "theme_attrs": {"list": "theme-list", "autocomplete": "off"},
            "selected": selected,
            "next": request.get_full_path(),
            "can_promote": permissions.can_promote(request.user),
        },
        status=400 if request.method == "POST" else 200,
    )


def _apply_bulk(request, bulk: BulkTriageForm) -> str | None:
    data = bulk.cleaned_data
    items = list(data["ids"])
    action = data["action"]
    by = request.user
    try:
        if action in (TriageStatus.RELEVANT, TriageStatus.NOT_RELEVANT, TriageStatus.NEW):
            n = services.evidence_set_status(evidences=items, status=action, by=by)
            return f"{n} items marked {TriageStatus(action).label.lower()}."
        if action == "duplicate":
            n = services.evidence_mark_duplicate(evidences=items, original=data["original"], by=by)
            return f"{n} items marked as duplicates of {data['original'].reference}."
        if action == "add_theme":
            n = services.evidence_add_themes(evidences=items, names=data["theme_names"], by=by)
            return f"Themes added to {n} items."
        if action == "remove_theme":
            n = services.evidence_remove_themes(evidences=items, names=data["theme_names"], by=by)
            return f"Themes removed from {n} items."
        if action == "link":
            n = services.evidence_link(evidences=items, inquiry=data["inquiry"], by=by)
            return f"{n} items linked to '{data['inquiry'].title}'."
        if action == "unlink":
            n = services.evidence_unlink(evidences=items, inquiry=data["inquiry"], by=by)
            return f"{n} items removed from '{data['inquiry'].title}'."
        if action in ("public", "private"):
            n = services.evidence_set_public(evidences=items, public=action == "public", by=by)
            return f"{n} items {'published' if action == 'public' else 'no longer published'}."
    except ValidationError as exc:
        bulk.add_error(None, exc)
        return None
    bulk.add_error("action", "Choose an action")
    return None


DETAIL_FORMS = {
    "status": StatusForm,
    "duplicate": DuplicateForm,
    "themes": ThemesForm,
    "note": NoteForm,
    "link": LinkForm,
    "public": PublicForm,
    "redact": RedactForm,
}


@require_http_methods(["GET", "POST"])
@staff_view(permissions.can_see_unpublished_evidence)
@ratelimit.rate_limit("scrutiny-triage", per_user=STAFF_WRITES)
def evidence_detail(request, reference: str):
    """One item: its text, provenance, hash check, triage controls and audit history."""
    evidence = get_object_or_404(
        Evidence.objects.with_list_data().select_related("captured_by", "source_content_type"),
        reference=reference,
    )
    user = request.user
    bound = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action in ("unlink", "unredact"):
            return _detail_remove(request, evidence, action)
        form_class = DETAIL_FORMS.get(action)
        if form_class is None:
            raise Http404
        needed = permissions.can_redact if action == "redact" else permissions.can_triage
        if not needed(user):
            raise PermissionDenied
        bound = (action, form_class(request.POST))
        form = bound[1]
        if form.is_valid():
            try:
                message = _apply_detail(evidence, action, form.cleaned_data, user)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, message)
                return redirect(evidence.get_absolute_url())

    forms_ = {
        "status": StatusForm(initial={"status": evidence.status}),
        "duplicate": DuplicateForm(
            initial={
                "duplicate_of": evidence.duplicate_of.reference if evidence.duplicate_of else ""
            }
        ),
        "themes": ThemesForm(initial={"themes": ", ".join(evidence.theme_names)}),
        "note": NoteForm(initial={"note": evidence.officer_note}),
        "link": LinkForm(),
        "public": PublicForm(initial={"public": "yes" if evidence.is_public else "no"}),
        "redact": RedactForm(),
    }
    if bound:
        forms_[bound[0]] = bound[1]
    from wagtail.models import ModelLogEntry

    history = list(
        ModelLogEntry.objects.for_instance(evidence)
        .select_related("user")
        .order_by("-timestamp", "-id")[:100]
    )
    return TemplateResponse(
        request,
        "scrutiny/evidence_detail.html",
        {
            "evidence": evidence,
            "forms": forms_,
            "error_form": bound[1] if bound else None,
            "history": history,
            "verified": evidence.verify(),
            "can_triage": permissions.can_triage(user),
            "can_redact": permissions.can_redact(user),
            "show_original": permissions.can_see_original_text(user),
            "suggestions": suggest(evidence.text) if permissions.can_redact(user) else [],
            "redactions": list(evidence.redactions.select_related("created_by")),
            "duplicates": list(evidence.duplicates.only("reference")),
        },
        status=400 if bound else 200,
    )


def _apply_detail(evidence: Evidence, action: str, data: dict, by) -> str:
    if action == "status":
        services.evidence_set_status(evidences=[evidence], status=data["status"], by=by)
        return f"{evidence.reference} marked {TriageStatus(data['status']).label.lower()}."
    if action == "duplicate":
        services.evidence_mark_duplicate(evidences=[evidence], original=data["duplicate_of"], by=by)
        return f"{evidence.reference} marked as a duplicate of {data['duplicate_of'].reference}."
    if action == "themes":
        services.evidence_set_themes(evidence=evidence, names=data["themes"], by=by)
        return "Themes saved."
    if action == "note":
        services.evidence_set_note(evidence=evidence, note=data["note"], by=by)
        return "Note saved."
    if action == "link":
        services.evidence_link(evidences=[evidence], inquiry=data["inquiry"], by=by)
        return f"Linked to '{data['inquiry'].title}'."
    if action == "public":
        public = data["public"] == "yes"
        services.evidence_set_public(evidences=[evidence], public=public, by=by)
        return "Published on the inquiry page." if public else "No longer published."
    if action == "redact":
        spans = services.evidence_redact(
            evidence=evidence, phrase=data["phrase"], reason=data["reason"], by=by
        )
        return f"Redacted {len(spans)} {'place' if len(spans) == 1 else 'places'}."
    raise Http404


def _detail_remove(request, evidence: Evidence, action: str):
    if action == "unlink":
        if not permissions.can_triage(request.user):
            raise PermissionDenied
        inquiry = get_object_or_404(InquiryPage, pk=request.POST.get("inquiry"))
        services.evidence_unlink(evidences=[evidence], inquiry=inquiry, by=request.user)
        messages.success(request, f"Removed from '{inquiry.title}'.")
        return redirect(evidence.get_absolute_url())
    if not permissions.can_redact(request.user):
        raise PermissionDenied
    redaction = get_object_or_404(Redaction, pk=request.POST.get("redaction"), evidence=evidence)
    form = RemoveRedactionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why you are removing the redaction.")
        return redirect(evidence.get_absolute_url())
    services.evidence_remove_redaction(
        redaction=redaction, reason=form.cleaned_data["reason"], by=request.user
    )
    messages.success(request, "Redaction removed.")
    return redirect(evidence.get_absolute_url())


@require_http_methods(["GET", "POST"])
@staff_view(permissions.can_add_oral_evidence)
@ratelimit.rate_limit("scrutiny-triage", per_user=STAFF_WRITES)
def add_oral_evidence(request):
    form = OralEvidenceForm(
        request.POST if request.method == "POST" else None,
        initial={"inquiry": request.GET.get("inquiry")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        evidence = services.evidence_add_oral(
            inquiry=data["inquiry"],
            witness=data["witness"],
            role=data["role"],
            said_on=data["said_on"],
            text=data["text"],
            consent_publish=data["consent_publish"] == "yes",
            by=request.user,
        )
        messages.success(request, f"Oral evidence recorded as {evidence.reference}.")
        return redirect(evidence.get_absolute_url())
    return render(
        request, "scrutiny/oral.html", {"form": form}, status=400 if form.is_bound else 200
    )


# -- promotion from other apps ----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_view(permissions.can_promote)
@ratelimit.rate_limit("scrutiny-promote", per_user=STAFF_WRITES)
def promote(request):
    """Confirm and promote one contribution (a question, answer, comment, response or reply)."""
    token = request.POST.get("source") or request.GET.get("source", "")
    try:
        adapter, obj = sources.resolve(token)
    except LookupError:
        raise Http404 from None
    existing = selectors.evidence_for_objects([obj]).get(obj)
    form = PromoteForm(request.POST if request.method == "POST" else None)
    back = _safe_next(request, obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else "/")
    if request.method == "POST" and form.is_valid():
        try:
            [result] = services.evidence_promote_many(
                sources_=[obj], inquiry=form.cleaned_data["inquiry"], by=request.user
            )
        except sources.PromotionRefused as exc:
            form.add_error(None, str(exc))
        else:
            e = result.evidence
            if result.created:
                messages.success(request, f"Saved as evidence {e.reference}.")
            else:
                messages.success(
                    request, f"This was already evidence {e.reference}; nothing was copied."
                )
            return redirect(back)
    preview = None
    refused = ""
    if existing is None:
        try:
            preview = adapter.capture(obj)
        except sources.PromotionRefused as exc:
            refused = str(exc)
    return render(
        request,
        "scrutiny/promote.html",
        {
            "form": form,
            "source": token,
            "kind": sources.KIND_LABELS[adapter.kind],
            "existing": existing,
            "preview": preview,
            "refused": refused,
            "next": back,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@require_POST
@staff_view(permissions.can_promote)
@ratelimit.rate_limit("scrutiny-promote", per_user=STAFF_WRITES)
def promote_bulk(request):
    """Promote the items ticked on another app's list (confirm the inquiry first)."""
    adapter = sources.adapter_for_label(request.POST.get("model") or request.GET.get("model", ""))
    if adapter is None:
        raise Http404
    ids = [i for i in request.POST.getlist("ids") if i.strip()][:500]
    back = _safe_next(request, reverse("scrutiny:triage"))
    if not ids:
        messages.error(request, "Select at least one item to promote to evidence.")
        return redirect(back)
    objs = list(adapter.queryset().filter(pk__in=ids))
    form = PromoteForm(request.POST if "confirm" in request.POST else None)
    if "confirm" in request.POST and form.is_valid():
        try:
            results = services.evidence_promote_many(
                sources_=objs, inquiry=form.cleaned_data["inquiry"], by=request.user
            )
        except sources.PromotionRefused as exc:
            form.add_error(None, str(exc))
        else:
            created = sum(1 for r in results if r.created)
            # The references, so the officer can find the new items in triage to tag them.
            refs = ", ".join(r.evidence.reference for r in results[:10])
            more = f" and {len(results) - 10} more" if len(results) > 10 else ""
            messages.success(
                request,
                f"{created} new items of evidence; {len(results) - created} were already "
                f"evidence. References: {refs}{more}. Tag them in evidence triage.",
            )
            return redirect(back)
    return render(
        request,
        "scrutiny/promote_bulk.html",
        {
            "form": form,
            "items": [(o, adapter.describe(o)) for o in objs],
            "ids": [str(o.pk) for o in objs],
            "model": adapter.model_label,
            "kind": sources.KIND_LABELS[adapter.kind],
            "next": back,
            "describe": adapter.describe,
        },
    )
