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
