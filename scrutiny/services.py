"""Actions on inquiries and evidence. Each checks permission, runs in one transaction, and
writes an audit log entry (Wagtail's ModelLogEntry, actions registered in wagtail_hooks.py)
for every change to evidence."""

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import ModelLogEntry
from wagtail.search import index

from portal.notifications import notify
from portal.text import normalise_text

from . import permissions, sources
from .models import (
    Consent,
    Evidence,
    EvidenceCounter,
    EvidenceLink,
    EvidenceTheme,
    InquiryAnnouncement,
    InquiryFollow,
    InquiryPage,
    Redaction,
    SourceKind,
    SourceState,
    ThemedEvidence,
    TriageStatus,
)
from .redaction import find_phrase

MAX_THEMES_PER_ACTION = 20


def _require(allowed: bool, message: str = "You do not have permission to do that.") -> None:
    if not allowed:
        raise PermissionDenied(message)


# -- references ---------------------------------------------------------------------------


def allocate_references(count: int = 1, *, year: int | None = None) -> list[str]:
    """Reserve `count` consecutive references for the year, safely under concurrency.

    The UPDATE takes the counter row's write lock (a row lock on PostgreSQL; the database lock
    on SQLite), so concurrent transactions queue and each reads back its own range. A rolled
    back transaction returns its numbers; a gap is harmless, a duplicate impossible (the
    reference is also unique in the table).
    """
    year = year or timezone.localdate().year
    with transaction.atomic():
        updated = EvidenceCounter.objects.filter(year=year).update(last=F("last") + count)
        if not updated:
            try:
                with transaction.atomic():
                    EvidenceCounter.objects.create(year=year, last=count)
            except IntegrityError:
                EvidenceCounter.objects.filter(year=year).update(last=F("last") + count)
        last = EvidenceCounter.objects.values_list("last", flat=True).get(year=year)
    return [f"EV-{year}-{n:06d}" for n in range(last - count + 1, last + 1)]


# -- the audit log -------------------------------------------------------------------------


def _audit(evidences: Iterable[Evidence], action: str, by, data: dict | None = None) -> None:
    ct = ContentType.objects.get_for_model(Evidence)
    now = timezone.now()
    batch = uuid.uuid4()
    ModelLogEntry.objects.bulk_create(
        [
            ModelLogEntry(
                content_type=ct,
                object_id=str(e.pk),
                label=e.reference,
                action=action,
                data=data or {},
                timestamp=now,
                uuid=batch,
                user=by if getattr(by, "pk", None) else None,
                content_changed=True,
            )
            for e in evidences
        ]
    )


def _reindex(evidences: Iterable[Evidence]) -> None:
    for e in evidences:
        # display_text is cached on the instance; a fresh copy indexes the current redactions
        index.insert_or_update_object(e)


def _reindex_after_commit(pks: Iterable[int]) -> None:
    """Refresh the index for these items once the change is committed (status, visibility,
    themes, links and authors are indexed; `update()` does not send the save signal)."""
    pks = list(pks)
    if pks:
        transaction.on_commit(lambda: _reindex(Evidence.objects.filter(pk__in=pks)))


# -- getting evidence in -------------------------------------------------------------------


@dataclass
class Promotion:
    evidence: Evidence
    created: bool
    linked: bool


def _link(evidences: list[Evidence], inquiry: InquiryPage | None, by) -> list[Evidence]:
    """Link evidence to an inquiry; returns the items newly linked."""
    if inquiry is None or not evidences:
        return []
    already = set(
        EvidenceLink.objects.filter(
            inquiry=inquiry, evidence_id__in=[e.pk for e in evidences]
        ).values_list("evidence_id", flat=True)
    )
    new = [e for e in evidences if e.pk not in already]
    EvidenceLink.objects.bulk_create(
        [EvidenceLink(evidence=e, inquiry=inquiry, linked_by=by) for e in new],
        ignore_conflicts=True,
    )
    if new:
        _audit(new, "scrutiny.evidence.link", by, {"inquiry": inquiry.pk, "title": inquiry.title})
    return new


def _evidence_from_capture(adapter, obj, captured: sources.Captured, reference: str, by):
    ct = ContentType.objects.get_for_model(type(obj))
    text = normalise_text(captured.text)
    return Evidence(
        reference=reference,
        source_kind=adapter.kind,
        source_content_type=ct,
        source_object_id=str(obj.pk),
        source_url=captured.url,
        title=captured.title[:300],
        author_name=captured.author_name[:150],
        author_handle=captured.author_handle[:100],
        author_user=captured.author_user,
        said_at=captured.said_at,
        captured_by=by,
        text=text,
        text_sha256=Evidence.hash_text(text),
        consent=captured.consent,
        source_checked_at=timezone.now(),
    )


def evidence_promote(*, source, inquiry: InquiryPage | None = None, by) -> Promotion:
    """Capture one source object as evidence (or find it if already captured) and link it."""
    result = evidence_promote_many(sources_=[source], inquiry=inquiry, by=by)
    return result[0]


@transaction.atomic
def evidence_promote_many(
    *, sources_: list, inquiry: InquiryPage | None = None, by
) -> list[Promotion]:
    """Capture many source objects at once, idempotently: existing items are linked, not copied.

    Queries: one per source model to find existing items, one reference allocation, one insert,
    one link insert and one audit insert, whatever the number of items.
    """
    _require(permissions.can_promote(by))
    by_model = defaultdict(list)
    for obj in sources_:
        adapter = sources.adapter_for(obj)
        if adapter is None:
            raise sources.PromotionRefused(f"{obj._meta.verbose_name} cannot become evidence.")
        by_model[type(obj)].append(obj)

    existing: dict[tuple[int, str], Evidence] = {}
    for model, objs in by_model.items():
        ct = ContentType.objects.get_for_model(model)
        for e in Evidence.objects.filter(
            source_content_type=ct, source_object_id__in=[str(o.pk) for o in objs]
        ):
            existing[(ct.pk, e.source_object_id)] = e

    for model, objs in by_model.items():
        sources.adapter_for_model(model).prepare(objs)

    to_create = []
    for obj in sources_:
        ct = ContentType.objects.get_for_model(type(obj))
        key = (ct.pk, str(obj.pk))
        if key in existing or any(k == key for k, _ in to_create):
            continue
        adapter = sources.adapter_for(obj)
        captured = adapter.capture(obj)
        to_create.append((key, (adapter, obj, captured)))

    created: list[Evidence] = []
    if to_create:
        refs = allocate_references(len(to_create))
        rows = [
            _evidence_from_capture(adapter, obj, captured, ref, by)
            for (_key, (adapter, obj, captured)), ref in zip(to_create, refs, strict=True)
        ]
        try:
            with transaction.atomic():
                created = Evidence.objects.bulk_create(rows)
        except IntegrityError:
            # Someone promoted one of these at the same moment: fall back to one at a time.
            created = []
            for row in rows:
                try:
                    with transaction.atomic():
                        row.save()
                    created.append(row)
                except IntegrityError:
                    existing[(row.source_content_type_id, row.source_object_id)] = (
                        Evidence.objects.get(
                            source_content_type_id=row.source_content_type_id,
                            source_object_id=row.source_object_id,
                        )
                    )
        for e in created:
            existing[(e.source_content_type_id, e.source_object_id)] = e
        _audit(created, "scrutiny.evidence.promote", by, {})
        created_pks = {e.pk for e in created}
        transaction.on_commit(lambda: _reindex(Evidence.objects.filter(pk__in=created_pks)))

    created_pks = {e.pk for e in created}
    ordered = []
    for obj in sources_:
        ct = ContentType.objects.get_for_model(type(obj))
        ordered.append(existing[(ct.pk, str(obj.pk))])
    unique = list({e.pk: e for e in ordered}.values())
    newly_linked = {e.pk for e in _link(unique, inquiry, by)}
    return [Promotion(e, e.pk in created_pks, e.pk in newly_linked) for e in ordered]


@transaction.atomic
def evidence_submit(
    *,
    inquiry: InquiryPage,
    name: str,
    text: str,
    consent_publish: bool,
    consent_contact: bool = False,
    email: str = "",
    organisation: str = "",
    user=None,
) -> Evidence:
    """A resident's (or organisation's) own evidence to an inquiry during its call for evidence."""
    if not permissions.can_submit_evidence(user, inquiry):
        raise ValidationError("This inquiry is not taking evidence at the moment.")
    text = normalise_text(text)
    if not text:
        raise ValidationError("Enter your evidence")
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    [reference] = allocate_references(1)
    evidence = Evidence.objects.create(
        reference=reference,
        source_kind=SourceKind.SUBMISSION,
        source_state=SourceState.NONE,
        author_name=normalise_text(name, multiline=False)[:150],
        author_user=user,
        organisation=normalise_text(organisation, multiline=False)[:150],
        contact_email=(email or (user.email if user else ""))[:254],
        consent_contact=consent_contact,
        said_at=timezone.now(),
        captured_by=user,
        text=text,
        text_sha256=Evidence.hash_text(text),
        consent=Consent.PUBLIC if consent_publish else Consent.COMMITTEE_ONLY,
    )
    EvidenceLink.objects.create(evidence=evidence, inquiry=inquiry, linked_by=user)
    _audit([evidence], "scrutiny.evidence.submit", user, {"inquiry": inquiry.pk})
    if user is not None:
        notify(
            user=user,
            kind="scrutiny.receipt",
            subject=f"We have received your evidence ({reference})",
            body=(
                f"Thank you for giving evidence to the inquiry '{inquiry.title}'. Your reference "
                f"is {reference}. Quote it if you contact us about your evidence."
            ),
            url=inquiry.url or "",
        )
    return evidence


@transaction.atomic
def evidence_add_oral(
    *,
    inquiry: InquiryPage,
    witness: str,
    role: str,
    said_on,
    text: str,
    consent_publish: bool,
    by,
) -> Evidence:
    """An officer's note of oral evidence given to the committee (a witness session)."""
    _require(permissions.can_add_oral_evidence(by))
    text = normalise_text(text)
    [reference] = allocate_references(1)
    said_at = timezone.make_aware(datetime.combine(said_on, time(12, 0)))
    evidence = Evidence.objects.create(
        reference=reference,
        source_kind=SourceKind.ORAL,
        source_state=SourceState.NONE,
        author_name=normalise_text(witness, multiline=False)[:150],
        organisation=normalise_text(role, multiline=False)[:150],
        title=f"Oral evidence from {witness}"[:300],
        said_at=said_at,
        captured_by=by,
        text=text,
        text_sha256=Evidence.hash_text(text),
        consent=Consent.PUBLIC if consent_publish else Consent.COMMITTEE_ONLY,
    )
    EvidenceLink.objects.create(evidence=evidence, inquiry=inquiry, linked_by=by)
    _audit([evidence], "scrutiny.evidence.oral", by, {"inquiry": inquiry.pk})
    return evidence


# -- triage --------------------------------------------------------------------------------


def _lock(evidences: Iterable[Evidence]) -> list[Evidence]:
    pks = [e.pk for e in evidences]
    return list(Evidence.objects.select_for_update().filter(pk__in=pks).order_by("pk"))


@transaction.atomic
def evidence_set_status(*, evidences: list[Evidence], status: str, by) -> int:
    """Set the triage status of many items (not 'duplicate': see evidence_mark_duplicate)."""
    _require(permissions.can_triage(by))
    if status not in TriageStatus.values or status == TriageStatus.DUPLICATE:
        raise ValidationError("Choose a status")
    rows = [e for e in _lock(evidences) if e.status != status]
    for old in {e.status for e in rows}:
        group = [e for e in rows if e.status == old]
        _audit(group, "scrutiny.evidence.status", by, {"from": old, "to": status})
    Evidence.objects.filter(pk__in=[e.pk for e in rows]).update(
        status=status, duplicate_of=None, updated_at=timezone.now()
    )
    _reindex_after_commit(e.pk for e in rows)
    return len(rows)


@transaction.atomic
def evidence_mark_duplicate(*, evidences: list[Evidence], original: Evidence, by) -> int:
    """Mark items as duplicates of `original` (which must not itself be a duplicate)."""
    _require(permissions.can_triage(by))
    original = Evidence.objects.select_for_update().get(pk=original.pk)
    if original.status == TriageStatus.DUPLICATE:
        original = original.duplicate_of
    rows = [e for e in _lock(evidences) if e.pk != original.pk]
    if not rows:
        raise ValidationError("An item cannot be a duplicate of itself")
    # Anything that pointed at these now points at the original, so chains stay one deep.
    Evidence.objects.filter(duplicate_of__in=[e.pk for e in rows]).update(duplicate_of=original)
    Evidence.objects.filter(pk__in=[e.pk for e in rows]).update(
        status=TriageStatus.DUPLICATE, duplicate_of=original, updated_at=timezone.now()
    )
    _audit(
        rows,
        "scrutiny.evidence.duplicate",
        by,
        {"of": original.reference, "to": TriageStatus.DUPLICATE},
    )
    _reindex_after_commit(e.pk for e in rows)
    return len(rows)


def _clean_theme_names(names: Iterable[str]) -> list[str]:
    cleaned = []
    for name in names:
        name = normalise_text(name, multiline=False)[:100]
        if name and name.lower() not in {c.lower() for c in cleaned}:
            cleaned.append(name)
    if len(cleaned) > MAX_THEMES_PER_ACTION:
        raise ValidationError(f"Add at most {MAX_THEMES_PER_ACTION} themes at once")
    return cleaned


def _themes_for(names: list[str]) -> list[EvidenceTheme]:
    themes = []
    for name in names:
        theme = EvidenceTheme.objects.filter(name__iexact=name).first()
        if theme is None:
            slug = slugify(name)[:100] or "theme"
            if EvidenceTheme.objects.filter(slug=slug).exists():
                slug = f"{slug[:90]}-{uuid.uuid4().hex[:6]}"
            theme = EvidenceTheme.objects.create(name=name, slug=slug)
        themes.append(theme)
    return themes


@transaction.atomic
def evidence_add_themes(*, evidences: list[Evidence], names: Iterable[str], by) -> int:
    """Tag many items with themes (created as needed)."""
    _require(permissions.can_triage(by))
    themes = _themes_for(_clean_theme_names(names))
    if not themes or not evidences:
        return 0
    pks = [e.pk for e in evidences]
    have = set(
        ThemedEvidence.objects.filter(content_object_id__in=pks, tag__in=themes).values_list(
            "content_object_id", "tag_id"
        )
    )
    new = [
        ThemedEvidence(content_object_id=pk, tag=t)
        for pk in pks
        for t in themes
        if (pk, t.pk) not in have
    ]
    ThemedEvidence.objects.bulk_create(new, ignore_conflicts=True)
    changed = {row.content_object_id for row in new}
    _audit(
        [e for e in evidences if e.pk in changed],
        "scrutiny.evidence.themes",
        by,
        {"added": [t.name for t in themes]},
    )
    _reindex_after_commit(changed)
    return len(changed)


@transaction.atomic
def evidence_remove_themes(*, evidences: list[Evidence], names: Iterable[str], by) -> int:
    """Remove themes from many items."""
    _require(permissions.can_triage(by))
    names = _clean_theme_names(names)
    pks = [e.pk for e in evidences]
    rows = ThemedEvidence.objects.filter(content_object_id__in=pks, tag__name__in=names)
    changed = set(rows.values_list("content_object_id", flat=True))
    rows.delete()
    _audit(
        [e for e in evidences if e.pk in changed],
        "scrutiny.evidence.themes",
        by,
        {"removed": names},
    )
    _reindex_after_commit(changed)
    return len(changed)


@transaction.atomic
def evidence_set_themes(*, evidence: Evidence, names: Iterable[str], by) -> None:
    """Make one item's themes exactly `names`."""
    _require(permissions.can_triage(by))
    wanted = _clean_theme_names(names)
    current = {t.name.lower(): t.name for t in evidence.themes.all()}
    add = [n for n in wanted if n.lower() not in current]
    remove = [name for low, name in current.items() if low not in {w.lower() for w in wanted}]
    if add:
        evidence_add_themes(evidences=[evidence], names=add, by=by)
    if remove:
        evidence_remove_themes(evidences=[evidence], names=remove, by=by)


@transaction.atomic
def evidence_link(*, evidences: list[Evidence], inquiry: InquiryPage, by) -> int:
    """Link items to an inquiry."""
    _require(permissions.can_triage(by))
    linked = _link(list(evidences), inquiry, by)
    _reindex_after_commit(e.pk for e in linked)
    return len(linked)


@transaction.atomic
def evidence_unlink(*, evidences: list[Evidence], inquiry: InquiryPage, by) -> int:
    """Remove items from an inquiry (they stay in the ledger)."""
    _require(permissions.can_triage(by))
    rows = EvidenceLink.objects.filter(inquiry=inquiry, evidence__in=[e.pk for e in evidences])
    changed = set(rows.values_list("evidence_id", flat=True))
    rows.delete()
    _audit(
        [e for e in evidences if e.pk in changed],
        "scrutiny.evidence.unlink",
        by,
        {"inquiry": inquiry.pk, "title": inquiry.title},
    )
    _reindex_after_commit(changed)
    return len(changed)


@transaction.atomic
def evidence_set_public(*, evidences: list[Evidence], public: bool, by) -> int:
    """Show or hide items on the public inquiry page; never without consent to publish."""
    _require(permissions.can_triage(by))
    rows = _lock(evidences)
    if public:
        refused = [e.reference for e in rows if e.consent != Consent.PUBLIC]
        if refused:
            raise ValidationError(
                "These items were given without consent to publish and cannot be made public: "
                + ", ".join(refused)
            )
    rows = [e for e in rows if e.is_public != public]
    Evidence.objects.filter(pk__in=[e.pk for e in rows]).update(
        is_public=public, updated_at=timezone.now()
    )
    _audit(rows, "scrutiny.evidence.public" if public else "scrutiny.evidence.private", by)
    _reindex_after_commit(e.pk for e in rows)
    return len(rows)


@transaction.atomic
def evidence_set_note(*, evidence: Evidence, note: str, by) -> None:
    """Set the officer's note on an item."""
    _require(permissions.can_triage(by))
    note = normalise_text(note)
    if note == evidence.officer_note:
        return
    Evidence.objects.filter(pk=evidence.pk).update(officer_note=note, updated_at=timezone.now())
    evidence.officer_note = note
    _audit([evidence], "scrutiny.evidence.note", by, {"note": note[:500]})


@transaction.atomic
def evidence_redact(
    *, evidence: Evidence, phrase: str, reason: str, by, replacement: str = "[redacted]"
) -> list[Redaction]:
    """Hide every occurrence of `phrase` when the item is shown or exported (logged)."""
    _require(permissions.can_redact(by))
    reason = normalise_text(reason, multiline=False)
    if not reason:
        raise ValidationError("Say why you are redacting this")
    spans = find_phrase(evidence.text, phrase)
    if not spans:
        raise ValidationError("That text does not appear in the evidence")
    replacement = normalise_text(replacement, multiline=False)[:60] or "[redacted]"
    created = Redaction.objects.bulk_create(
        [
            Redaction(
                evidence=evidence,
                start=s.start,
                end=s.end,
                replacement=replacement,
                reason=reason[:300],
                created_by=by,
            )
            for s in spans
        ]
    )
    _audit(
        [evidence],
        "scrutiny.evidence.redact",
        by,
        {
            "reason": reason,
            "spans": [[s.start, s.end] for s in spans],
            "replacement": replacement,
        },
    )
    pk = evidence.pk
    transaction.on_commit(lambda: _reindex(Evidence.objects.filter(pk=pk)))
    return created


@transaction.atomic
def evidence_remove_redaction(*, redaction: Redaction, reason: str, by) -> None:
    """Undo a redaction (logged with the reason, like the redaction itself)."""
    _require(permissions.can_redact(by))
    reason = normalise_text(reason, multiline=False)
    if not reason:
        raise ValidationError("Say why you are removing this redaction")
    evidence = redaction.evidence
    _audit(
        [evidence],
        "scrutiny.evidence.unredact",
        by,
        {"reason": reason, "span": [redaction.start, redaction.end], "was": redaction.reason},
    )
    redaction.delete()
    pk = evidence.pk
    transaction.on_commit(lambda: _reindex(Evidence.objects.filter(pk=pk)))


# -- keeping an eye on sources ---------------------------------------------------------------


def source_state_for(evidence: Evidence, obj) -> str:
    if obj is None:
        return SourceState.REMOVED
    adapter = sources.adapter_for(obj)
    current = adapter.current_text(obj) if adapter else None
    if current is None:
        return SourceState.REMOVED
    if Evidence.hash_text(normalise_text(current)) != evidence.text_sha256:
        return SourceState.EDITED
    return SourceState.UNCHANGED


def evidence_refresh_sources(*, evidences: Iterable[Evidence] | None = None) -> int:
    """Compare each captured item with its source now and flag edits and removals.

    The snapshot itself never changes; only the flag does. Returns how many flags changed.
    """
    # Removed is re-checked too: a hidden question can be restored by a moderator.
    qs = Evidence.objects.filter(source_content_type__isnull=False)
    if evidences is not None:
        qs = qs.filter(pk__in=[e.pk for e in evidences])
    changed = 0
    now = timezone.now()
    for e in qs.prefetch_related("source").iterator(chunk_size=500):
        state = source_state_for(e, e.source)
        if state != e.source_state:
            Evidence.objects.filter(pk=e.pk).update(source_state=state, source_checked_at=now)
            _audit([e], "scrutiny.evidence.source", None, {"from": e.source_state, "to": state})
            changed += 1
    return changed


def source_changed(*, model, pk, deleted: bool = False) -> int:
    """Called when a source object is saved or deleted: update its evidence's flag."""
    ct = ContentType.objects.get_for_model(model)
    rows = list(Evidence.objects.filter(source_content_type=ct, source_object_id=str(pk)))
    if not rows:
        return 0
    if deleted:
        changed = [e for e in rows if e.source_state != SourceState.REMOVED]
        Evidence.objects.filter(pk__in=[e.pk for e in changed]).update(
            source_state=SourceState.REMOVED, source_checked_at=timezone.now()
        )
        for e in changed:
            _audit([e], "scrutiny.evidence.source", None, {"from": e.source_state, "to": "removed"})
        return len(changed)
    return evidence_refresh_sources(evidences=rows)


# -- following inquiries -------------------------------------------------------------------


def inquiry_follow(*, inquiry: InquiryPage, user) -> bool:
    """Follow an inquiry; True if this is a new follow."""
    _require(permissions.can_follow(user), "Sign in to follow an inquiry.")
    _, created = InquiryFollow.objects.get_or_create(inquiry=inquiry, user=user)
    return created


def inquiry_unfollow(*, inquiry: InquiryPage, user) -> bool:
    """Stop following an inquiry; True if a follow was removed."""
    _require(permissions.can_follow(user), "Sign in to follow an inquiry.")
    deleted, _ = InquiryFollow.objects.filter(inquiry=inquiry, user=user).delete()
    return bool(deleted)


MILESTONE_MESSAGES = {
    InquiryAnnouncement.Kind.OPENED: (
        "The call for evidence is open: {title}",
        "The inquiry '{title}' is now taking evidence until {closes}. Tell the committee "
        "what you know.",
    ),
    InquiryAnnouncement.Kind.REPORT: (
        "Report published: {title}",
        "The committee has published its report for the inquiry '{title}'.",
    ),
    InquiryAnnouncement.Kind.RESPONSE: (
        "Response published: {title}",
        "The organisation has published its response to the committee's report on '{title}'.",
    ),
}


def inquiry_announce_milestones(*, inquiry: InquiryPage) -> list[str]:
    """Email followers once about each milestone the inquiry has reached."""
    if not inquiry.live:
        return []
    reached = []
    if inquiry.is_open_for_evidence:
        reached.append(InquiryAnnouncement.Kind.OPENED)
    if inquiry.report_is_published:
        reached.append(InquiryAnnouncement.Kind.REPORT)
    if inquiry.response_is_published:
        reached.append(InquiryAnnouncement.Kind.RESPONSE)
    sent = []
    for kind in reached:
        with transaction.atomic():
            _, created = InquiryAnnouncement.objects.get_or_create(inquiry=inquiry, kind=kind)
            if not created:
                continue
            subject, body = MILESTONE_MESSAGES[kind]
            values = {"title": inquiry.title, "closes": f"{inquiry.evidence_closes:%-d %B %Y}"}
            for follow in InquiryFollow.objects.filter(inquiry=inquiry).select_related("user"):
                notify(
                    user=follow.user,
                    kind=f"scrutiny.{kind}",
                    subject=subject.format(**values),
                    body=body.format(**values),
                    url=inquiry.url or "",
                )
            sent.append(kind)
    return sent


def announce_due_milestones() -> int:
    """Run by the scheduler: announce every live inquiry's newly reached milestones."""
    return sum(
        len(inquiry_announce_milestones(inquiry=p)) for p in InquiryPage.objects.live().specific()
    )


# -- evidence packs --------------------------------------------------------------------------


def export_request(*, inquiry: InquiryPage, fmt: str, filters: dict, by):
    """Ask for an evidence pack; the worker builds it and the person downloads it when ready."""
    from portal.background import enqueue

    from . import tasks
    from .models import EvidenceExport

    _require(permissions.can_export(by))
    if fmt not in EvidenceExport.Format.values:
        raise ValidationError("Choose a format")
    with transaction.atomic():
        export = EvidenceExport.objects.create(
            inquiry=inquiry, format=fmt, filters=filters, requested_by=by
        )
        enqueue(tasks.build_export, export.pk)
    return export


def export_build(*, export_id: int) -> bool:
    """Build one requested pack, recording progress as it goes; True when the file is ready."""
    import tempfile

    from django.core.files import File

    from portal.models import SiteSettings

    from . import exports
    from .models import EvidenceExport
    from .selectors import EvidenceFilters

    export = EvidenceExport.objects.select_related("inquiry").filter(pk=export_id).first()
    if export is None or export.status == EvidenceExport.Status.DONE:
        return True
    EvidenceExport.objects.filter(pk=export.pk).update(status=EvidenceExport.Status.RUNNING)

    def progress(done, total):
        EvidenceExport.objects.filter(pk=export.pk).update(done=done, total=total)

    try:
        filters = EvidenceFilters.from_dict(export.filters)
        site = export.inquiry.get_site()
        organisation = SiteSettings.for_site(site).organisation_name if site else ""
        with tempfile.TemporaryFile() as fh:
            exports.build(
                export.format,
                fh,
                export.inquiry.specific,
                filters,
                progress=progress,
                organisation=organisation,
            )
            fh.seek(0)
            export.refresh_from_db()
            export.file.save(export.filename, File(fh), save=False)
        export.status = EvidenceExport.Status.DONE
        export.finished_at = timezone.now()
        export.error = ""
        export.save(update_fields=["file", "status", "finished_at", "error"])
    except Exception as exc:  # noqa: BLE001 - any failure is shown to the person who asked
        EvidenceExport.objects.filter(pk=export.pk).update(
            status=EvidenceExport.Status.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
        )
        return False
    return True


# -- residents' rights -------------------------------------------------------------------------


@transaction.atomic
def evidence_erase_author(*, user, by) -> int:
    """Erasure: evidence keeps its reference and text; the author's identity is redacted."""
    from portal.privacy import FORMER_RESIDENT

    # Their own submissions, and replies on X under the handle they linked to their account.
    mine = Q(author_user=user)
    handle = (getattr(user, "x_handle", "") or "").lstrip("@")
    if handle:
        mine |= Q(source_kind=SourceKind.X_REPLY, author_handle__iexact=handle)
    rows = list(Evidence.objects.select_for_update().filter(mine))
    Evidence.objects.filter(pk__in=[e.pk for e in rows]).update(
        author_name=FORMER_RESIDENT,
        author_handle="",
        author_user=None,
        contact_email="",
        consent_contact=False,
        updated_at=timezone.now(),
    )
    _audit(
        rows,
        "scrutiny.evidence.author_erased",
        by if getattr(by, "pk", None) != user.pk else None,
        {"reason": "The author asked us to erase their personal data"},
    )
    InquiryFollow.objects.filter(user=user).delete()
    # The author's name is indexed: the erased one must stop matching at once.
    _reindex_after_commit(e.pk for e in rows)
    return len(rows)


EXPORT_RETENTION_DAYS = 7


def export_purge_expired(*, now=None) -> int:
    """Delete evidence packs (and their files) older than a week: they hold personal data."""
    from datetime import timedelta

    from .models import EvidenceExport

    now = now or timezone.now()
    old = list(
        EvidenceExport.objects.filter(created_at__lt=now - timedelta(days=EXPORT_RETENTION_DAYS))
    )
    for export in old:
        if export.file:
            export.file.delete(save=False)
        export.delete()
    return len(old)
