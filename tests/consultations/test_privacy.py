import io
import json
import zipfile

import pytest

from consultations.models import ConsultationFollow, ConsultationResponse, LiveUpdate
from portal.privacy import account_erase, personal_data_export

pytestmark = pytest.mark.django_db


def test_download_and_erasure_cover_responses_follows_and_updates(
    consultation, meeting, resident, officer
):
    response = ConsultationResponse.objects.create(
        page=consultation,
        user=resident,
        reference="RBC-CR-2026-000001",
        answers={
            "q-comments": {
                "question": "Anything else?",
                "kind": "long_text",
                "position": 1,
                "answer": "Keep Saturdays.",
            }
        },
        consent_publish=True,
        consent_contact=True,
        name="Priya Shah",
        email="priya@example.com",
    )
    ConsultationFollow.objects.create(page=consultation, user=resident)
    LiveUpdate.objects.create(meeting=meeting, text="Meeting opened", posted_by=officer)

    archive = zipfile.ZipFile(io.BytesIO(personal_data_export(user=resident)))
    rows = json.loads(archive.read("consultation_responses.json"))
    assert rows[0]["reference"] == "RBC-CR-2026-000001"
    assert "Keep Saturdays." in rows[0]["answers"]
    assert json.loads(archive.read("consultations_followed.json"))[0]["consultation"]
    officer_archive = zipfile.ZipFile(io.BytesIO(personal_data_export(user=officer)))
    assert json.loads(officer_archive.read("meeting_live_updates.json"))[0]["text"] == (
        "Meeting opened"
    )

    account_erase(user=resident, by=resident)
    response.refresh_from_db()
    assert response.name == "" and response.email == ""
    assert response.answers["q-comments"]["answer"] == "Keep Saturdays."
    assert not ConsultationFollow.objects.filter(user=resident).exists()
