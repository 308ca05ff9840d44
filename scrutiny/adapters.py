"""Source adapters for the lower apps' models (see sources.py)."""

from django.db.models.functions import Lower

from consultations.models import ConsultationResponse
from portal.models import User
from portal.notifications import absolute_url
from questions.models import Answer, Comment, Question
from social.models import Reply

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


class _ThreadAdapter(sources.SourceAdapter):
    """Shared by questions, answers and comments: public text with a signed-in author."""

    def _author(self, obj):
        user = obj.author if obj.author_id else None
        return (user.public_name if user else "Former resident"), user


class QuestionAdapter(_ThreadAdapter):
    kind = SourceKind.QUESTION
    model_label = "questions.Question"
    related = ("author",)

    def _text(self, obj: Question) -> str:
        return f"{obj.title}\n\n{obj.body}".strip()

    def capture(self, obj: Question) -> sources.Captured:
        if not obj.is_public:
            raise sources.PromotionRefused("Only published questions can become evidence.")
        name, user = self._author(obj)
        return sources.Captured(
            text=self._text(obj),
            said_at=obj.published_at or obj.created_at,
            title=obj.title,
            url=absolute_url(obj.get_absolute_url()),
            author_name=name,
            author_user=user,
        )

    def current_text(self, obj: Question) -> str | None:
        return self._text(obj) if obj.is_public else None

    def describe(self, obj: Question) -> str:
        return obj.title

    def demo_candidates(self):
        return self.queryset().public().order_by("pk")


class AnswerAdapter(_ThreadAdapter):
    kind = SourceKind.ANSWER
    model_label = "questions.Answer"
    related = ("author", "question")

    def _author(self, obj: Answer):
        name, user = super()._author(obj)
        if obj.is_official and obj.official_title:
            name = f"{name}, {obj.official_title}"
        return name, user

    def capture(self, obj: Answer) -> sources.Captured:
        if not (obj.is_visible and obj.question.is_public):
            raise sources.PromotionRefused("Only published answers can become evidence.")
        name, user = self._author(obj)
        kind = "Official answer" if obj.is_official else "Answer"
        return sources.Captured(
            text=obj.body,
            said_at=obj.created_at,
            title=f"{kind} to “{obj.question.title}”",
            url=absolute_url(obj.get_absolute_url()),
            author_name=name,
            author_user=user,
        )

    def current_text(self, obj: Answer) -> str | None:
        return obj.body if obj.is_visible and obj.question.is_public else None

    def describe(self, obj: Answer) -> str:
        return obj.body

    def demo_candidates(self):
        return self.queryset().filter(status="published", is_hidden=False).order_by("pk")


class CommentAdapter(_ThreadAdapter):
    kind = SourceKind.COMMENT
    model_label = "questions.Comment"
    related = ("author", "question")

    def capture(self, obj: Comment) -> sources.Captured:
        if not (obj.is_visible and obj.question.is_public):
            raise sources.PromotionRefused("Only published comments can become evidence.")
        name, user = self._author(obj)
        return sources.Captured(
            text=obj.body,
            said_at=obj.created_at,
            title=f"Comment on “{obj.question.title}”",
            url=absolute_url(obj.get_absolute_url()),
            author_name=name,
            author_user=user,
        )

    def current_text(self, obj: Comment) -> str | None:
        return obj.body if obj.is_visible and obj.question.is_public else None

    def describe(self, obj: Comment) -> str:
        return obj.body

    def demo_candidates(self):
        return self.queryset().filter(status="published", is_hidden=False).order_by("pk")


class XReplyAdapter(sources.SourceAdapter):
    """A reply posted on X to one of our posts: public where it was said.

    Hiding a reply from our own pages does not take it off X, so it is not "removed" here;
    only a reply deleted from the inbox is. A reply whose author has put the same X handle on
    their account here shows in that resident's "My contributions".
    """

    kind = SourceKind.X_REPLY
    model_label = "social.Reply"
    related = ("post",)

    def prepare(self, objs: list) -> None:
        """Match authors to residents' accounts by X handle, one query for the whole batch."""
        handles = {o.author_handle.lower() for o in objs if o.author_handle}
        users = {}
        if handles:
            for user in (
                User.objects.annotate(handle=Lower("x_handle"))
                .filter(handle__in=handles, is_active=True)
                .order_by("pk")
            ):
                users.setdefault(user.handle, user)
        for o in objs:
            o._scrutiny_author = users.get((o.author_handle or "").lower())

    def capture(self, obj: Reply) -> sources.Captured:
        if not hasattr(obj, "_scrutiny_author"):
            self.prepare([obj])
        about = obj.post.text if obj.post_id else ""
        title = f"Reply on X to “{about[:90]}{'…' if len(about) > 90 else ''}”" if about else ""
        return sources.Captured(
            text=obj.text,
            said_at=obj.created_at or obj.fetched_at,
            title=title or "Reply on X",
            url=obj.url,
            author_name=obj.author_name,
            author_handle=obj.author_handle,
            author_user=obj._scrutiny_author,
        )

    def current_text(self, obj: Reply) -> str | None:
        return obj.text

    def describe(self, obj: Reply) -> str:
        return f"@{obj.author_handle}: {obj.text}"

    def demo_candidates(self):
        return self.queryset().order_by("post_id", "created_at", "pk")


def register_all() -> None:
    """Register an adapter for every source model."""
    sources.register(QuestionAdapter())
    sources.register(AnswerAdapter())
    sources.register(CommentAdapter())
    sources.register(ConsultationResponseAdapter())
    sources.register(XReplyAdapter())
