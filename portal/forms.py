import time

from django import forms
from django.conf import settings
from django.core import signing

from .models import User
from .text import normalise_text

_SIGNER_SALT = "parley.form-started"


def form_token(shown_at: float | None = None) -> str:
    """The signed "form shown at" value ProtectedFormMixin checks (tests post it too)."""
    return signing.dumps(time.time() if shown_at is None else shown_at, salt=_SIGNER_SALT)


class PlainTextField(forms.CharField):
    """A CharField for residents' words: normalised, control characters removed."""

    def __init__(self, *args, multiline: bool = True, **kwargs):
        self.multiline = multiline
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_text(value, multiline=self.multiline)


class HoneypotWidget(forms.TextInput):
    template_name = "components/forms/honeypot.html"


class ProtectedFormMixin:
    """A honeypot field and a minimum time to fill the form, against spam bots.

    Humans never see the honeypot (it is off-screen and hidden from assistive technology); a
    signed timestamp says when the form was shown, and a form returned faster than a person
    could type it is refused with a message that tells a real person what to do.
    """

    honeypot_name = "website"
    timestamp_name = "form_started"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[self.honeypot_name] = forms.CharField(
            required=False, label="Leave this field empty", widget=HoneypotWidget
        )
        self.fields[self.honeypot_name].is_honeypot = True
        self.fields[self.timestamp_name] = forms.CharField(
            required=False,
            widget=forms.HiddenInput,
            initial=form_token(),
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get(self.honeypot_name):
            raise forms.ValidationError(
                "We could not accept this form. If you are a person, please try again.",
                code="honeypot",
            )
        started = cleaned.get(self.timestamp_name)
        try:
            started_at = float(signing.loads(started, salt=_SIGNER_SALT, max_age=60 * 60 * 24))
        except (signing.BadSignature, TypeError, ValueError):
            raise forms.ValidationError(
                "This form has expired. Please check your answers and send it again.",
                code="expired",
            ) from None
        if time.time() - started_at < settings.PARLEY_FORM_MIN_SECONDS:
            raise forms.ValidationError(
                "That was sent very quickly. Please check your answers and send it again.",
                code="too_fast",
            )
        return cleaned

    def refresh_timestamp(self):
        """Show the form again with a fresh timestamp (after an error, for example)."""
        if self.is_bound:
            data = self.data.copy()
            data[self.add_prefix(self.timestamp_name)] = form_token(
                time.time() - settings.PARLEY_FORM_MIN_SECONDS
            )
            self.data = data


class SignupExtraForm(ProtectedFormMixin, forms.Form):
    """The fields Parley adds to allauth's sign-up form."""

    display_name = PlainTextField(
        label="Display name",
        max_length=60,
        multiline=False,
        help_text="Shown next to everything you post. You can use your first name or a nickname.",
    )

    field_order = ["display_name", "email", "password1", "password2"]

    def signup(self, request, user):
        user.display_name = self.cleaned_data["display_name"]
        user.save(update_fields=["display_name"])


class AccountDetailsForm(forms.ModelForm):
    display_name = PlainTextField(
        label="Display name",
        max_length=60,
        multiline=False,
        help_text="Shown next to everything you post.",
    )

    class Meta:
        model = User
        fields = ["display_name", "email_frequency", "x_handle"]
        widgets = {"email_frequency": forms.RadioSelect}
        labels = {"email_frequency": "How often should we email you about things you follow?"}
        help_texts = {"x_handle": "Optional. Without the @. Lets us link replies you post on X."}

    def clean_x_handle(self):
        handle = (self.cleaned_data.get("x_handle") or "").strip().lstrip("@")
        if handle and not all(c.isalnum() or c == "_" for c in handle):
            raise forms.ValidationError(
                "Enter an X handle using only letters, numbers and underscores"
            )
        return handle


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Enter your password to confirm",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        strip=False,
    )
    understood = forms.BooleanField(
        label="I understand that I cannot undo this",
        error_messages={"required": "Confirm that you understand you cannot undo this"},
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data.get("password", "")
        if not self.user.check_password(password):
            raise forms.ValidationError("The password is not correct")
        return password
