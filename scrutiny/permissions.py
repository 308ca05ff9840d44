"""Who may do what in scrutiny: the one place that says so.

Staff abilities are Django permissions granted to roles in portal/roles.py (Scrutiny members
read dashboards and export packs; Officers also triage, promote and redact), so a superuser or
a custom group can be given them too. Public abilities depend on the inquiry's phase and the
evidence's consent. Tested as a role x action table in tests/scrutiny/test_permissions.py.
"""

from .models import Consent, Evidence, EvidenceExport, InquiryPage


def _perm(user, codename: str) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and user.has_perm(f"scrutiny.{codename}")
    )


def can_view_dashboard(user) -> bool:
    return _perm(user, "view_dashboard")


def can_export(user) -> bool:
    return _perm(user, "export_evidence")


def can_triage(user) -> bool:
    return _perm(user, "triage_evidence")


def can_promote(user) -> bool:
    return _perm(user, "promote_evidence")


def can_redact(user) -> bool:
    return _perm(user, "redact_evidence")


def can_add_oral_evidence(user) -> bool:
    return _perm(user, "promote_evidence")


def can_see_unpublished_evidence(user) -> bool:
    """Committee members and officers read everything, public or not (redactions applied)."""
    return can_view_dashboard(user) or can_triage(user)


def can_see_original_text(user) -> bool:
    """Only those who may redact see what a redaction hides."""
    return can_redact(user)


def can_view_evidence(user, evidence: Evidence) -> bool:
    if evidence.is_public and evidence.consent == Consent.PUBLIC:
        return True
    return can_see_unpublished_evidence(user)


def can_submit_evidence(user, inquiry: InquiryPage) -> bool:
    """Anyone may give evidence while the call for evidence is open (signed in or not)."""
    return inquiry.live and inquiry.is_open_for_evidence


def can_follow(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def can_download_export(user, export: EvidenceExport) -> bool:
    """A pack holds unpublished evidence: only the person who asked for it may download it."""
    return can_export(user) and (export.requested_by_id == user.pk or user.is_superuser)
