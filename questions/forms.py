"""Forms residents fill in: plain text only, GOV.UK error messages, honeypot on every one."""

import re

from django import forms

from portal.forms import PlainTextField, ProtectedFormMixin
from portal.text import normalise_text

from .models import (
    ANSWER_MAX_LENGTH,
    COMMENT_MAX_LENGTH,
    FLAG_DETAILS_MAX_LENGTH,
    MAX_TAGS,
    MODERATION_REASON_MAX_LENGTH,
    QUESTION_BODY_MAX_LENGTH,
    TAG_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    TITLE_MIN_LENGTH,
    Flag,
)

_TAG_OK = re.compile(r"^[\w][\w '’&-]*$", re.UNICODE)
_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)


def parse_tags(value: str) -> list[str]:
    """Comma-separated topics, tidied: lower case, single spaces, no duplicates."""
    tags: list[str] = []
    for raw in (value or "").split(","):
        tag = " ".join(normalise_text(raw, multiline=False).split()).strip(" -").lower()
        if tag and tag not in tags:
            tags.append(tag)
    return tags


def _has_words(value: str, minimum: int) -> bool:
    return len(_LETTERS.findall(value)) >= minimum


def _check_title(title: str) -> str:
    if len(title) < TITLE_MIN_LENGTH:
        raise forms.ValidationError(
            f"Your question must be {TITLE_MIN_LENGTH} characters or more", code="min_length"
        )
    if not _has_words(title, 10) or len(title.split()) < 3:
        raise forms.ValidationError(
            "Write your question in words, for example ‘When will the library reopen?’",
            code="words",
        )
    if not title.rstrip().endswith(("?", "？", "؟")):
        raise forms.ValidationError("Your question must end with a question mark", code="question")
    letters = _LETTERS.findall(title)
    upper = sum(1 for ch in letters if ch.isupper())
    if len(letters) >= 12 and upper / len(letters) > 0.7:
        raise forms.ValidationError(
            "Write your question in sentence case rather than capital letters", code="shouting"
        )
    return title


class TopicsField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        tags = parse_tags(value)
        if len(tags) > MAX_TAGS:
            raise forms.ValidationError(f"Enter {MAX_TAGS} topics or fewer", code="too_many")
        for tag in tags:
            if len(tag) > TAG_MAX_LENGTH:
                raise forms.ValidationError(
                    f"Each topic must be {TAG_MAX_LENGTH} characters or fewer", code="tag_length"
                )
            if len(tag) < 2 or not _TAG_OK.match(tag):
                raise forms.ValidationError(
                    "Topics can only include letters, numbers, spaces, hyphens and apostrophes",
                    code="tag_chars",
                )
        return tags


class QuestionFieldsMixin(forms.Form):
    title = PlainTextField(
        label="Your question",
        multiline=False,
        max_length=TITLE_MAX_LENGTH,
        help_text=(
            "Ask one question, in a sentence that ends with a question mark. For example, "
            "‘When will the recycling centre on Mill Lane reopen?’"
        ),
        error_messages={
            "required": "Enter your question",
            "max_length": f"Your question must be {TITLE_MAX_LENGTH} characters or fewer",
        },
    )
    body = PlainTextField(
        label="More detail",
        required=False,
        max_length=QUESTION_BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=(
            "Add anything that helps us answer, such as the street or area. Do not "
            "include personal details like your address, phone number or case reference."
        ),
        error_messages={
            "max_length": f"More detail must be {QUESTION_BODY_MAX_LENGTH} characters or fewer",
        },
    )
    tags = TopicsField(
        label="Topics",
        required=False,
        max_length=300,
        help_text="Up to 5, separated by commas, for example: bins, recycling",
        error_messages={"max_length": "Topics must be 300 characters or fewer in total"},
    )

    def clean_title(self):
        return _check_title(self.cleaned_data["title"])


class AskForm(ProtectedFormMixin, QuestionFieldsMixin):
    about = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # "1" once the person has seen similar questions (live with JavaScript, or on the check step)
    checked = forms.CharField(required=False, widget=forms.HiddenInput)

    field_order = ["title", "body", "tags"]


class EditQuestionForm(ProtectedFormMixin, QuestionFieldsMixin):
    field_order = ["title", "body", "tags"]


def _body_field(label: str, max_length: int, required_message: str, rows: int = 6, hint: str = ""):
    return PlainTextField(
        label=label,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=hint,
        error_messages={
            "required": required_message,
            "max_length": f"{label} must be {max_length:,} characters or fewer",
        },
    )


class AnswerForm(ProtectedFormMixin, forms.Form):
    body = _body_field(
        "Your answer",
        ANSWER_MAX_LENGTH,
        "Enter your answer",
        rows=8,
        hint="Explain what you know. Links to official pages help others check.",
    )
    official = forms.BooleanField(
        label="Post as the council’s official answer",
        required=False,
        help_text="Your job title and department are shown with it, and followers are told.",
    )

    def __init__(self, *args, can_answer_officially: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_answer_officially:
            del self.fields["official"]

    def clean_body(self):
        body = self.cleaned_data["body"]
        if not _has_words(body, 2):
            raise forms.ValidationError("Enter your answer in words", code="words")
        return body


class EditAnswerForm(ProtectedFormMixin, forms.Form):
    body = _body_field("Your answer", ANSWER_MAX_LENGTH, "Enter your answer", rows=8)


class CommentForm(ProtectedFormMixin, forms.Form):
    body = _body_field("Comment", COMMENT_MAX_LENGTH, "Enter your comment", rows=3)

    def clean_body(self):
        body = self.cleaned_data["body"]
        if not _has_words(body, 2):
            raise forms.ValidationError("Enter your comment in words", code="words")
        return body


class EditCommentForm(CommentForm):
    pass


class FlagForm(ProtectedFormMixin, forms.Form):
    reason = forms.ChoiceField(
        label="Why are you reporting this?",
        choices=Flag.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why you are reporting this"},
    )
    details = PlainTextField(
        label="Tell us more",
        required=False,
        max_length=FLAG_DETAILS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Required if you chose ‘Something else’. Only moderators see this.",
        error_messages={
            "max_length": f"Tell us more must be {FLAG_DETAILS_MAX_LENGTH} characters or fewer"
        },
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == Flag.Reason.OTHER and not cleaned.get("details"):
            self.add_error("details", "Tell us why you are reporting this")
        return cleaned


class ReasonForm(forms.Form):
    """Moderators' reason for rejecting, closing or removing (shown to the author)."""

    reason = PlainTextField(
        label="Reason",
        max_length=MODERATION_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The person who wrote it will see this. Refer to the house rule it breaks.",
        error_messages={"required": "Enter a reason"},
    )

    def __init__(self, *args, required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required
        if not required:
            self.fields["reason"].help_text = "Optional. Shown on the question and to followers."


class MergeForm(forms.Form):
    into = forms.IntegerField(
        label="Question number to merge into",
        min_value=1,
        help_text="The number in the other question’s address, for example 123 in /123/slug/.",
        error_messages={"required": "Enter the number of the question to merge into"},
    )
