from allauth.account.signals import email_confirmed
from django.dispatch import receiver


@receiver(email_confirmed)
def mark_user_verified(request, email_address, **kwargs):
    user = email_address.user
    if not user.email_verified and email_address.email.lower() == user.email.lower():
        user.email_verified = True
        user.save(update_fields=["email_verified"])
