"""Source adapters for the lower apps' models (see sources.py)."""

from consultations.models import ConsultationResponse
from portal.notifications import absolute_url

from . import sources
from .models import Consent, SourceKind


class ConsultationResponseAdapter(sources.SourceAdapter):
    """A consultation response: the answers with each question's wording as it was asked.

    A response given without consent to publish can be read by the committee but never becomes
    public evidence (Consent.COMMITTEE_ONLY; the database refuses is_public for it).
    """

    kind = SourceKind.CONSULTATION_RESPONSE
    model_label = "consultations.ConsultationResponse"
    related = ("page", "user")

    def capture(self, obj: ConsultationResponse) -> sources.Captured:
        text = obj.as_text()
        if not text.strip():
            raise sources.PromotionRefused("This response has no answers to capture.")
        return sources.Captured(
            text=text,
            said_at=obj.submitted_at,
            consent=Consent.PUBLIC if obj.consent_publish else Consent.COMMITTEE_ONLY,
            title=f"Response {obj.reference or obj.pk} to “{obj.page.title}”",
            url=absolute_url(obj.get_absolute_url()) if obj.reference else "",
            author_name=obj.respondent_name,
            author_user=obj.user,
        )

    def current_text(self, obj: ConsultationResponse) -> str | None:
        return obj.as_text()

    def describe(self, obj: ConsultationResponse) -> str:
        return f"{obj.reference or obj.pk}: {obj.respondent_name}, {obj.as_text()}"

    def demo_candidates(self):
        return self.queryset().order_by("page_id", "submitted_at")


def register_all() -> None:
    """Register an adapter for every source model."""
    sources.register(ConsultationResponseAdapter())
