from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from consultations.models import ConsultationPage, Phase, phase_at, phase_q

from .factories import make_consultation

pytestmark = pytest.mark.django_db

OPENS = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
CLOSES = datetime(2026, 4, 13, 23, 59, tzinfo=UTC)
SECOND = timedelta(seconds=1)

BOUNDARIES = [
    (OPENS - SECOND, False, Phase.UPCOMING),
    (OPENS, False, Phase.OPEN),
    (OPENS + SECOND, False, Phase.OPEN),
    (CLOSES - SECOND, False, Phase.OPEN),
    (CLOSES, False, Phase.CLOSED),
    (CLOSES + timedelta(days=30), False, Phase.CLOSED),
    (CLOSES, True, Phase.DECIDED),
    (CLOSES - SECOND, True, Phase.OPEN),
]


@pytest.mark.parametrize(("now", "has_outcome", "expected"), BOUNDARIES)
def test_phase_at_each_boundary(now, has_outcome, expected):
    assert phase_at(opens_at=OPENS, closes_at=CLOSES, has_outcome=has_outcome, now=now) == expected


@pytest.mark.parametrize(("now", "has_outcome", "expected"), BOUNDARIES)
def test_page_phase_and_database_filter_agree_with_frozen_time(
    consultation_index, now, has_outcome, expected
):
    with time_machine.travel(CLOSES + timedelta(days=40), tick=False):
        page = make_consultation(
            consultation_index,
            opens_at=OPENS,
            closes_at=CLOSES,
            we_asked="<p>We asked about hours.</p>" if has_outcome else "",
            you_said="<p>You said keep Saturdays.</p>" if has_outcome else "",
            we_did="<p>We kept Saturdays.</p>" if has_outcome else "",
            decision="Cabinet kept Saturday hours." if has_outcome else "",
        )
    with time_machine.travel(now, tick=False):
        fresh = ConsultationPage.objects.get(pk=page.pk)
        assert fresh.phase == expected
        matching = {
            phase
            for phase in Phase
            if ConsultationPage.objects.filter(phase_q(phase, now), pk=page.pk).exists()
        }
        assert matching == {expected}


def test_no_phase_is_stored():
    field_names = {f.name for f in ConsultationPage._meta.get_fields()}
    assert "phase" not in field_names


def test_decision_cannot_be_published_before_closing(consultation):
    from django.core.exceptions import ValidationError

    consultation.decision = "Cabinet agreed."
    consultation.we_asked = consultation.you_said = consultation.we_did = "<p>Text</p>"
    with pytest.raises(ValidationError) as exc:
        consultation.full_clean()
    assert "decision" in exc.value.message_dict


def test_outcome_needs_all_three_sections(consultation_index):
    from django.core.exceptions import ValidationError

    page = make_consultation(
        consultation_index,
        slug="closed",
        opens_at=OPENS,
        closes_at=CLOSES,
    )
    page.decision = "Cabinet agreed."
    page.we_asked = "<p>We asked.</p>"
    with pytest.raises(ValidationError) as exc:
        page.full_clean()
    assert {"you_said", "we_did"} <= set(exc.value.message_dict)


def test_closing_must_follow_opening(consultation):
    from django.core.exceptions import ValidationError

    consultation.closes_at = consultation.opens_at
    with pytest.raises(ValidationError) as exc:
        consultation.full_clean()
    assert "closes_at" in exc.value.message_dict
