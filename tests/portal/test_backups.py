import pytest
from django.core.management import call_command

from portal.models import User
from tests.factories import UserFactory

# The restore replaces the whole database, so it runs outside a test transaction.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_backup_then_restore_brings_back_rows_and_media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "documents").mkdir(parents=True)
    (settings.MEDIA_ROOT / "documents" / "budget.pdf").write_bytes(b"%PDF-1.4 budget")
    keep = UserFactory(display_name="Kept resident")

    call_command("backup", output_dir=tmp_path / "backups")
    archive = next((tmp_path / "backups").glob("parley-*.tar.gz"))

    UserFactory(display_name="Added after the backup")
    User.objects.filter(pk=keep.pk).update(display_name="Changed after the backup")
    (settings.MEDIA_ROOT / "documents" / "budget.pdf").unlink()

    call_command("restore", str(archive), yes=True)

    assert User.objects.get(pk=keep.pk).display_name == "Kept resident"
    assert not User.objects.filter(display_name="Added after the backup").exists()
    assert (settings.MEDIA_ROOT / "documents" / "budget.pdf").read_bytes() == b"%PDF-1.4 budget"


def test_restore_of_a_missing_file_changes_nothing(tmp_path):
    from django.core.management.base import CommandError

    UserFactory(display_name="Still here")
    with pytest.raises(CommandError, match="No backup at"):
        call_command("restore", str(tmp_path / "nope.tar.gz"), yes=True)
    assert User.objects.filter(display_name="Still here").exists()
