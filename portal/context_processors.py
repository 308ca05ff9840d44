from django.conf import settings
from django.utils.functional import SimpleLazyObject, cached_property
from wagtail.models import Site

from .models import SiteSettings
from .roles import is_staff_member


class Chrome:
    """What every page's header, phase banner and footer need, read once per request."""

    def __init__(self, request):
        self.request = request
        self.site = Site.find_for_request(request)
        self.settings = SiteSettings.for_site(self.site) if self.site else SiteSettings()
        self.organisation_name = self.settings.organisation_name
        self.service_name = self.settings.service_name
        self.contact_email = self.settings.contact_email
        self.phase = self.settings.phase
        self.feedback_url = self.settings.feedback_url
        self.demo_mode = settings.PARLEY_DEMO_MODE
        self.section = getattr(request, "parley_section", "")
        user = getattr(request, "user", None)
        self.is_staff_member = bool(user and is_staff_member(user))

    @cached_property
    def nav(self):
        if not self.site:
            return []
        root = self.site.root_page
        path = self.request.path
        items = []
        for page in (
            root.get_children()
            .live()
            .in_menu()
            .only("id", "title", "url_path", "path", "depth", "locale_id")
        ):
            url = page.get_url(self.request)
            if not url:
                continue
            items.append(
                {
                    "title": page.title,
                    "url": url,
                    "current": path == url,
                    "active": url != "/" and path.startswith(url),
                }
            )
        return items

    @cached_property
    def footer_links(self):
        links = []
        for attr in ("house_rules_page", "privacy_page", "accessibility_page"):
            page = getattr(self.settings, attr)
            if page is not None and page.live:
                links.append({"title": page.title, "url": page.get_url(self.request)})
        return links

    def _page_url(self, attr):
        page = getattr(self.settings, attr)
        return page.get_url(self.request) if page is not None and page.live else ""

    @cached_property
    def house_rules_url(self):
        return self._page_url("house_rules_page")

    @cached_property
    def privacy_url(self):
        return self._page_url("privacy_page")

    @cached_property
    def tour_url(self):
        from django.urls import reverse

        return reverse("tour") if self.demo_mode else ""


def site_chrome(request):
    return {"chrome": SimpleLazyObject(lambda: Chrome(request))}
