import pytest
from django.apps import apps
from django.core.management import call_command

from portal.demo import DEMO_PASSWORD, DEMO_USERS
from portal.models import User


def _snapshot():
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if not model._meta.proxy
    }


@pytest.mark.django_db(transaction=False)
def test_seed_demo_is_idempotent(capsys):
    call_command("seed_demo")
    first = _snapshot()
    call_command("seed_demo")
    second = _snapshot()

    assert {k: (first[k], second[k]) for k in first if first[k] != second[k]} == {}
    out = capsys.readouterr().out
    for _key, email, *_ in DEMO_USERS:
        assert email in out
        assert User.objects.get(email=email).check_password(DEMO_PASSWORD)
    assert DEMO_PASSWORD in out


@pytest.mark.django_db
def test_seed_demo_creates_one_user_per_role_and_the_footer_pages(client):
    call_command("seed_demo")
    from portal import roles

    assert User.objects.filter(groups__name=roles.OFFICERS).exists()
    assert User.objects.filter(groups__name=roles.MODERATORS).exists()
    assert User.objects.filter(groups__name=roles.COACHES).exists()
    assert User.objects.filter(groups__name=roles.SCRUTINY).exists()
    assert User.objects.filter(is_superuser=True).exists()

    html = client.get("/").content.decode()
    assert "Harrowfield Borough Council" in html
    for title in ("House rules", "Privacy notice", "Accessibility statement"):
        assert title in html
    assert client.login(email="resident@example.com", password=DEMO_PASSWORD)
