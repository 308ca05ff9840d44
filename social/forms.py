from django import forms

from .models import Channel, Post

TEXT_HELP = (
    "Plain text. Links count as 23 characters; text over 280 becomes a numbered thread. "
    "Never include anyone's personal details."
)


class DraftForm(forms.Form):
    channel = forms.ModelChoiceField(queryset=Channel.objects.filter(active=True), empty_label=None)
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}), max_length=5000, help_text=TEXT_HELP
    )
    submit_now = forms.BooleanField(
        required=False, initial=True, label="Send it to a coach for approval now"
    )


class EditForm(forms.Form):
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}), max_length=5000, help_text=TEXT_HELP
    )


class ApproveForm(forms.Form):
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}), max_length=5000, help_text=TEXT_HELP
    )
    override_reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        label="Reason for posting personal data anyway",
        help_text="Only if the check found something that is fine to post (it is logged).",
    )


class RejectForm(forms.Form):
    feedback = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text="What should the drafter change? They see this next to their draft.",
    )


class PostFilterForm(forms.Form):
    status = forms.ChoiceField(required=False, choices=[("", "Any status"), *Post.Status.choices])
    channel = forms.ModelChoiceField(
        required=False, queryset=Channel.objects.all(), empty_label="Any channel"
    )
    mine = forms.BooleanField(required=False, label="Only my drafts")


class InboxFilterForm(forms.Form):
    READ_CHOICES = [
        ("unread", "Unread"),
        ("read", "Read"),
        ("all", "All (not hidden)"),
        ("hidden", "Hidden"),
    ]
    state = forms.ChoiceField(required=False, choices=READ_CHOICES, label="Show")
    channel = forms.ModelChoiceField(
        required=False, queryset=Channel.objects.all(), empty_label="Any channel"
    )
    post = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    date_from = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )
    q = forms.CharField(required=False, max_length=200, label="Search replies")

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "The end date must be on or after the start date.")
        return data


class ImportForm(forms.Form):
    url = forms.CharField(
        max_length=300,
        label="Link to the reply on X",
        help_text="Copy it from X: Share, then Copy link. For example https://x.com/name/status/1234567890",
    )


class ReplyForm(forms.Form):
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        label="Your reply",
        help_text="A coach approves it before it is posted. " + TEXT_HELP,
    )


class HideForm(forms.Form):
    reason = forms.CharField(
        required=False, max_length=300, label="Why hide it? (optional, for other officers)"
    )
