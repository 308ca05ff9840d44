import logging
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods
from wagtail import hooks

from . import privacy, ratelimit
from .forms import AccountDetailsForm, DeleteAccountForm

logger = logging.getLogger(__name__)


@login_required
@require_http_methods(["GET", "POST"])
@ratelimit.rate_limit("account", per_user="30/3600")
def account(request):
    """The resident's own account: display name, email preferences, X handle."""
    request.parley_section = "account"
    form = AccountDetailsForm(
        request.POST if request.method == "POST" else None, instance=request.user
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your account details have been saved.")
        return redirect("portal:account")
    return render(
        request,
        "portal/account.html",
        {"form": form, "account_links": _account_links(request)},
    )


def _account_links(request):
    """Links other apps add to the account page (`parley_account_links` hook)."""
    links = []
    for fn in hooks.get_hooks("parley_account_links"):
        links.extend(fn(request) or [])
    return sorted(links, key=lambda link: link.get("order", 100))


@login_required
def contributions(request):
    """Everything the resident has contributed, and what happened to it.

    Each app contributes a section through the `parley_contribution_sections` hook:
    fn(request, user) returns None or {"order", "title", "template", "context"}.
    """
    request.parley_section = "account"
    sections = []
    for fn in hooks.get_hooks("parley_contribution_sections"):
        section = fn(request, request.user)
        if section:
            sections.append(section)
    sections.sort(key=lambda s: s.get("order", 100))
    return render(request, "portal/contributions.html", {"sections": sections})


@login_required
@require_http_methods(["GET", "POST"])
@ratelimit.rate_limit("data-export", per_user="5/3600", per_ip="20/3600")
def your_data(request):
    """Explain what we hold, and download all of it as a ZIP of JSON and CSV files."""
    request.parley_section = "account"
    if request.method == "POST":
        data = privacy.personal_data_export(user=request.user)
        response = HttpResponse(data, content_type="application/zip")
        filename = f"your-data-{timezone.localdate():%Y-%m-%d}.zip"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    tables = [(name, len(rows)) for name, rows in privacy.personal_data(request.user)]
    return render(request, "portal/your_data.html", {"tables": tables})


@login_required
@require_http_methods(["GET", "POST"])
@ratelimit.rate_limit("account-delete", per_user="5/3600", per_ip="20/3600")
def delete_account(request):
    """Erase the account: personal data goes, contributions stay as 'Former resident'."""
    request.parley_section = "account"
    form = DeleteAccountForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        privacy.account_erase(user=user, by=user)
        logout(request)
        return redirect("portal:account_deleted")
    return render(request, "portal/delete_account.html", {"form": form})


def sign_in_redirect(request):
    """Every sign-in goes through allauth's page, which throttles and locks out.

    Wagtail's admin sign-in, its front-end sign-in for private pages and the Django admin's
    would otherwise each accept passwords without those limits. Nothing posted here is read.
    Someone already signed in was sent here because they may not see what they asked for.
    """
    if request.user.is_authenticated:
        raise PermissionDenied("You do not have permission to see that page.")
    url = reverse("account_login")
    next_url = request.GET.get("next", "")
    if next_url:
        url = f"{url}?{urlencode({'next': next_url})}"
    return redirect(url)


def not_found(request, *args, **kwargs):
    raise Http404


def account_deleted(request):
    return render(request, "portal/account_deleted.html")


def server_error(request, *args, **kwargs):
    """The 500 page; it must render even when the database is what failed."""
    template = loader.get_template("500.html")
    context = {
        "chrome": {"organisation_name": "", "service_name": "Have your say", "phase": "live"}
    }
    try:
        from .context_processors import Chrome

        chrome = Chrome(request)
        context["chrome"] = {
            "organisation_name": chrome.organisation_name,
            "service_name": chrome.service_name,
            "contact_email": chrome.contact_email,
            "phase": "live",
        }
    except Exception:  # noqa: BLE001 - the fallback context is good enough here
        logger.exception("Could not read site settings for the error page")
    return HttpResponseServerError(template.render(context))
