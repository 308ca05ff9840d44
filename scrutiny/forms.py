from django import forms

from portal.forms import PlainTextField, ProtectedFormMixin

from .models import EvidenceExport, InquiryPage, SourceKind, TriageStatus
from .selectors import EvidenceFilters

YES_NO = [("yes", "Yes"), ("no", "No")]


class SubmitEvidenceForm(ProtectedFormMixin, forms.Form):
    """A resident's or organisation's evidence to an inquiry."""

    name = PlainTextField(
        label="Your name",
        max_length=150,
        multiline=False,
        help_text="We show this with your evidence if you agree to it being published.",
    )
    organisation = PlainTextField(
        label="Organisation",
        max_length=150,
        multiline=False,
        required=False,
        help_text="Only if you are giving evidence on behalf of an organisation.",
    )
    email = forms.EmailField(
        label="Email address",
        required=True,
        help_text="We will only use this to contact you about your evidence, if you agree to it.",
    )
    text = PlainTextField(
        label="Your evidence",
        max_length=10_000,
        help_text="Tell the committee what you know or have experienced. Do not include other "
        "people's names, addresses or phone numbers.",
        widget=forms.Textarea(attrs={"rows": 12}),
    )
    consent_publish = forms.ChoiceField(
        label="Can we publish your evidence?",
        choices=[
            ("yes", "Yes, you can publish my evidence with my name"),
            ("no", "No, only the committee and council officers may read it"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Tell us whether we can publish your evidence"},
    )
    consent_contact = forms.BooleanField(
        label="You can contact me about my evidence, for example to invite me to speak to "
        "the committee",
        required=False,
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user is not None and user.is_authenticated:
            # The account's verified address is used instead.
            del self.fields["email"]
            self.fields["name"].initial = user.display_name

    def clean_text(self):
        text = self.cleaned_data["text"]
        if len(text) < 20:
            raise forms.ValidationError("Your evidence must be at least 20 characters long")
        return text


class FilterForm(forms.Form):
    """Filters for the triage list and the dashboard (GET)."""

    q = forms.CharField(label="Search", required=False, max_length=200)
    inquiry = forms.ModelChoiceField(
        label="Inquiry",
        queryset=InquiryPage.objects.none(),
        required=False,
        empty_label="All inquiries",
    )
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *TriageStatus.choices]
    )
    source = forms.ChoiceField(
        label="Source", required=False, choices=[("", "Any source"), *SourceKind.choices]
    )
    theme = forms.ChoiceField(label="Theme", required=False, choices=[("", "Any theme")])
    date_from = forms.DateField(
        label="Said on or after", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="Said on or before", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, themes=(), with_inquiry=True, **kwargs):
        super().__init__(*args, **kwargs)
        if with_inquiry:
            self.fields["inquiry"].queryset = InquiryPage.objects.order_by("-evidence_opens")
        else:
            del self.fields["inquiry"]
        self.fields["theme"].choices = [("", "Any theme"), *[(t, t) for t in themes]]

    def filters(self, inquiry=None) -> EvidenceFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return EvidenceFilters(
            inquiry=inquiry or data.get("inquiry"),
            status=data.get("status") or "",
            source_kind=data.get("source") or "",
            theme=data.get("theme") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            query=data.get("q") or "",
        )


BULK_ACTIONS = [
    ("", "Choose an action"),
    ("relevant", "Mark as relevant"),
    ("not_relevant", "Mark as not relevant"),
    ("new", "Mark as new (not yet triaged)"),
    ("duplicate", "Mark as duplicates of…"),
    ("add_theme", "Add theme…"),
    ("remove_theme", "Remove theme…"),
    ("link", "Link to inquiry…"),
    ("unlink", "Remove from inquiry…"),
    ("public", "Publish on the inquiry page"),
    ("private", "Stop publishing"),
]


class BulkTriageForm(forms.Form):
    ids = forms.ModelMultipleChoiceField(
        queryset=None,
        error_messages={"required": "Select at least one item"},
        widget=forms.MultipleHiddenInput,
    )
    action = forms.ChoiceField(label="Action", choices=BULK_ACTIONS)
    theme = forms.CharField(
        label="Themes",
        required=False,
        max_length=300,
        help_text="For adding or removing themes. Separate several with commas.",
    )
    duplicate_of = forms.CharField(
        label="Original item's reference",
        required=False,
        max_length=20,
        help_text="For duplicates, for example EV-2026-000123.",
    )
    inquiry = forms.ModelChoiceField(
        label="Inquiry",
        queryset=InquiryPage.objects.none(),
        required=False,
        empty_label="Choose an inquiry",
        help_text="For linking or removing.",
    )

    def __init__(self, *args, **kwargs):
        from .models import Evidence

        # The filter form on the same page has "theme" and "inquiry" fields too: distinct ids
        # keep each label pointing at its own control.
        kwargs.setdefault("auto_id", "bulk_%s")
        super().__init__(*args, **kwargs)
        self.fields["ids"].queryset = Evidence.objects.all()
        self.fields["inquiry"].queryset = InquiryPage.objects.order_by("-evidence_opens")
        self.fields["action"].error_messages["required"] = "Choose an action"

    def clean(self):
        from .models import Evidence

        cleaned = super().clean()
        action = cleaned.get("action")
        if action in ("add_theme", "remove_theme"):
            names = [t.strip() for t in (cleaned.get("theme") or "").split(",") if t.strip()]
            if not names:
                self.add_error("theme", "Enter a theme")
            cleaned["theme_names"] = names
        if action == "duplicate":
            ref = (cleaned.get("duplicate_of") or "").strip().upper()
            original = Evidence.objects.filter(reference=ref).first() if ref else None
            if original is None:
                self.add_error("duplicate_of", "Enter the reference of the original item")
            cleaned["original"] = original
        if action in ("link", "unlink") and not cleaned.get("inquiry"):
            self.add_error("inquiry", "Choose an inquiry")
        return cleaned


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label="Triage status",
        choices=[c for c in TriageStatus.choices if c[0] != TriageStatus.DUPLICATE],
        widget=forms.RadioSelect,
    )


class DuplicateForm(forms.Form):
    duplicate_of = forms.CharField(
        label="This is a duplicate of",
        max_length=20,
        help_text="The reference of the original item, for example EV-2026-000123.",
    )

    def clean_duplicate_of(self):
        from .models import Evidence

        ref = self.cleaned_data["duplicate_of"].strip().upper()
        original = Evidence.objects.filter(reference=ref).first()
        if original is None:
            raise forms.ValidationError("There is no evidence with that reference")
        return original


class ThemesForm(forms.Form):
    themes = forms.CharField(
        label="Themes",
        required=False,
        max_length=500,
        help_text="Separate themes with commas, for example: Speeding, School run, Crossings.",
    )

    def clean_themes(self):
        names = [t.strip() for t in self.cleaned_data["themes"].split(",") if t.strip()]
        if len(names) > 20:
            raise forms.ValidationError("Use at most 20 themes")
        return names


class NoteForm(forms.Form):
    note = PlainTextField(
        label="Officer's note",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Only officers and committee members see this.",
    )


class LinkForm(forms.Form):
    inquiry = forms.ModelChoiceField(
        label="Inquiry", queryset=InquiryPage.objects.order_by("-evidence_opens")
    )


class PublicForm(forms.Form):
    public = forms.ChoiceField(
        label="Show on the inquiry's public page?",
        choices=[("yes", "Yes, publish it"), ("no", "No, committee and officers only")],
        widget=forms.RadioSelect,
    )


class RedactForm(forms.Form):
    phrase = forms.CharField(
        label="Text to redact",
        max_length=500,
        help_text="Copy the exact words, for example a phone number. Every place it appears "
        "is redacted.",
    )
    reason = PlainTextField(
        label="Why are you redacting this?",
        max_length=300,
        multiline=False,
        help_text="For example: personal phone number. This is recorded in the audit log.",
    )


class RemoveRedactionForm(forms.Form):
    reason = PlainTextField(
        label="Why are you removing this redaction?", max_length=300, multiline=False
    )


class PromoteForm(forms.Form):
    inquiry = forms.ModelChoiceField(
        label="Which inquiry is this evidence for?",
        queryset=InquiryPage.objects.none(),
        required=False,
        empty_label="Not for an inquiry yet",
        help_text="You can link it to more inquiries later.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inquiry"].queryset = InquiryPage.objects.order_by("-evidence_opens")


class OralEvidenceForm(forms.Form):
    inquiry = forms.ModelChoiceField(label="Inquiry", queryset=InquiryPage.objects.none())
    witness = PlainTextField(label="Witness's name", max_length=150, multiline=False)
    role = PlainTextField(
        label="Role or organisation",
        max_length=150,
        multiline=False,
        required=False,
        help_text="For example: Headteacher, Millbrook Primary School.",
    )
    said_on = forms.DateField(
        label="Date of the session", widget=forms.DateInput(attrs={"type": "date"})
    )
    text = PlainTextField(
        label="Note of the evidence",
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 12}),
    )
    consent_publish = forms.ChoiceField(
        label="Was this given in public session?",
        choices=[
            ("yes", "Yes, it can be published"),
            ("no", "No, private session: committee only"),
        ],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inquiry"].queryset = InquiryPage.objects.order_by("-evidence_opens")


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        label="Format", choices=EvidenceExport.Format.choices, widget=forms.RadioSelect
    )
