from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings


class AccountAdapter(DefaultAccountAdapter):
    """allauth's hooks, adapted to Parley's custom user (email login, display name)."""

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.display_name = form.cleaned_data.get("display_name", "") or user.display_name
        if commit:
            user.save()
        return user

    def get_email_verification_redirect_url(self, email_address):
        return settings.LOGIN_REDIRECT_URL
