import re

from django import forms

from portal.forms import PlainTextField, ProtectedFormMixin

from .models import LiveUpdate
from .selectors import PHASE_FILTERS

# Residents write plain text; markup in an answer is refused rather than silently stored.
_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>|javascript\s*:", re.IGNORECASE)

YES_NO = [("yes", "Yes"), ("no", "No")]


def _reject_markup(label: str):
    def validate(value):
        if value and _MARKUP.search(value):
            raise forms.ValidationError(
                f"Your answer to '{label}' must not contain code or HTML tags such as <script>. "
                "Write it as plain text."
            )

    return validate


class ResponseForm(ProtectedFormMixin, forms.Form):
    """The response form: the officers' questions, then consent and optional contact details."""

    consent_publish = forms.ChoiceField(
        label="May we publish or quote your response?",
        help_text="We may quote what you wrote, without your name or email address, in our "
        "report on this consultation, and councillors may use it as evidence in scrutiny.",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if we may publish or quote your response"},
    )
    consent_contact = forms.ChoiceField(
        label="May we contact you about your response?",
        help_text="For example, to ask a follow-up question. We will not use your details for "
        "anything else.",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if we may contact you about your response"},
    )
    name = PlainTextField(
        label="Your name",
        max_length=100,
        multiline=False,
        required=False,
        error_messages={"max_length": "Your name must be 100 characters or fewer"},
    )
    email = forms.EmailField(
        label="Email address",
        required=False,
        max_length=254,
        help_text="We will email you a receipt with your reference number.",
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com"
        },
    )

    def __init__(self, *args, page, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.page = page
        self.questions = page.question_blocks()
        question_fields = {}
        for q in self.questions:
            question_fields[self.field_name(q)] = self._build_field(q)
        # the officers' questions come first, then consent, then contact details
        self.fields = {**question_fields, **self.fields}
        self.fields["name"].validators.append(_reject_markup("Your name"))
        if user is not None and user.is_authenticated and not self.is_bound:
            self.initial.setdefault("email", user.email)

    @staticmethod
    def field_name(question: dict) -> str:
        return f"q_{question['id']}"

    def _build_field(self, q: dict):
        label = q["question"]
        common = {
            "label": label,
            "required": q["required"],
            "help_text": q["hint"],
        }
        if q["kind"] in ("short_text", "long_text"):
            max_length = q["max_length"] or 200
            field = PlainTextField(
                multiline=q["kind"] == "long_text",
                max_length=max_length,
                widget=forms.Textarea(attrs={"rows": 6})
                if q["kind"] == "long_text"
                else forms.TextInput,
                error_messages={
                    "required": f"Enter your answer to '{label}'",
                    "max_length": f"Your answer to '{label}' must be {max_length} characters "
                    "or fewer",
                },
                **common,
            )
            field.validators.append(_reject_markup(label))
            return field
        choices = [(c, c) for c in q["choices"]]
        messages = {
            "required": f"Select an answer to '{label}'",
            "invalid_choice": f"Select one of the answers offered to '{label}'",
        }
        if q["kind"] == "multiple_choice":
            messages["required"] = f"Select at least one answer to '{label}'"
            return forms.MultipleChoiceField(
                choices=choices,
                widget=forms.CheckboxSelectMultiple,
                error_messages=messages,
                **common,
            )
        return forms.ChoiceField(
            choices=choices, widget=forms.RadioSelect, error_messages=messages, **common
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("consent_contact") == "yes" and not cleaned.get("email"):
            self.add_error(
                "email", "Enter your email address so that we can contact you, or select no"
            )
        return cleaned

    def question_fields(self):
        return [self[self.field_name(q)] for q in self.questions]

    def answers(self) -> dict:
        """Cleaned answers keyed by question block id."""
        return {q["id"]: self.cleaned_data.get(self.field_name(q)) for q in self.questions}


class LiveUpdateForm(ProtectedFormMixin, forms.Form):
    text = PlainTextField(
        label="Post a live update",
        max_length=LiveUpdate.MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown at the top of the meeting page straight away, with the time.",
        error_messages={
            "required": "Enter the update",
            "max_length": f"The update must be {LiveUpdate.MAX_LENGTH} characters or fewer",
        },
    )


class ConsultationFilterForm(forms.Form):
    """The index page's filters (GET), so every filtered list has a shareable URL."""

    q = forms.CharField(label="Search consultations", required=False, max_length=100)
    phase = forms.MultipleChoiceField(
        label="Status",
        choices=PHASE_FILTERS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    topic = forms.ChoiceField(label="Topic", required=False, choices=[])

    def __init__(self, *args, topics=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", "All topics")] + [
            (t["slug"], f"{t['name']} ({t['count']})") for t in topics
        ]


class ResponseFilterForm(forms.Form):
    """Officers' filters over a consultation's responses (list and exports)."""

    text = forms.CharField(label="Words in the answers or name", required=False, max_length=100)
    reference = forms.CharField(label="Reference", required=False, max_length=40)
    consent_publish = forms.ChoiceField(
        label="May be published",
        required=False,
        choices=[("", "Any"), ("yes", "Yes"), ("no", "No")],
    )
    consent_contact = forms.ChoiceField(
        label="May be contacted",
        required=False,
        choices=[("", "Any"), ("yes", "Yes"), ("no", "No")],
    )
    submitted_from = forms.DateField(
        label="Sent on or after", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    submitted_to = forms.DateField(
        label="Sent on or before", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def filters(self) -> dict:
        return self.cleaned_data if self.is_valid() else {}
