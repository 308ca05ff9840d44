"""Consultations go through Wagtail's moderation workflow: officers submit, moderators publish."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from wagtail.models import Page, WorkflowState

from consultations import tasks
from consultations.models import ConsultationPage

from .factories import make_consultation

pytestmark = pytest.mark.django_db


def test_the_default_workflow_applies_to_consultations_and_meetings(consultation, meeting):
    for page in (consultation, meeting):
        workflow = page.get_workflow()
        assert workflow is not None and workflow.active
        [task] = [t.specific for t in workflow.tasks]
        assert {g.name for g in task.groups.all()} == {"Moderators"}


def test_officers_submit_for_approval_and_cannot_publish(client, officer, consultation):
    client.force_login(officer)
    html = client.get(f"/admin/pages/{consultation.pk}/edit/").content.decode()
    assert 'name="action-submit"' in html
    assert 'name="action-publish"' not in html
    assert not consultation.permissions_for_user(officer).can_publish()


def test_the_editor_does_not_autosave(client, officer, consultation):
    """An autosave landing after "Submit to moderation" became the latest revision and was
    what the moderator published (found by the browser journey): editors save explicitly."""
    client.force_login(officer)
    html = client.get(f"/admin/pages/{consultation.pk}/edit/").content.decode()
    [controllers] = re.findall(r'data-controller="(w-init w-unsaved[^"]*)"', html)
    assert "w-autosave" not in controllers.split()
    assert "w-autosave-interval-value" not in html


def test_moderators_can_publish(client, moderator, consultation):
    client.force_login(moderator)
    html = client.get(f"/admin/pages/{consultation.pk}/edit/").content.decode()
    assert 'name="action-publish"' in html


def test_submitted_draft_is_published_at_its_scheduled_time_after_approval(
    consultation_index, officer, moderator
):
    now = timezone.now()
    page = make_consultation(consultation_index, slug="draft", publish=False)
    assert not page.live
    page.go_live_at = now + timedelta(days=2)
    page.save_revision(user=officer)
    workflow_state = page.get_workflow().start(page, officer)
    assert workflow_state.status == WorkflowState.STATUS_IN_PROGRESS

    task_state = workflow_state.current_task_state
    task = task_state.task.specific
    assert (
        not task.user_can_access_editor(page, officer)
        or not page.permissions_for_user(officer).can_publish()
    )
    task.on_action(task_state, user=moderator, action_name="approve")

    page = ConsultationPage.objects.get(pk=page.pk)
    workflow_state.refresh_from_db()
    assert workflow_state.status == WorkflowState.STATUS_APPROVED
    assert not page.live  # scheduled, not yet live
    assert page.get_latest_revision().approved_go_live_at is not None

    with time_machine.travel(now + timedelta(days=2, minutes=5), tick=False):
        tasks.publish_scheduled_pages.enqueue()
    assert Page.objects.get(pk=page.pk).live
