"""Factories shared by every test folder (each folder's conftest turns them into fixtures)."""

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from portal.models import User

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    display_name = factory.Sequence(lambda n: f"Resident {n}")
    email_verified = True
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if not create:
            return
        for role in extracted or []:
            self.groups.add(Group.objects.get(name=role))
        if self.email_verified:
            EmailAddress.objects.get_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )
        self.save()
