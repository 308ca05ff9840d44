"""Who may do what, for every URL of the site and its admins: the one declared table.

Each entry says, for GET and for POST, what each role gets, as eight letters in the order of
ROLES: anonymous, resident, other_resident, officer, moderator, coach, committee_member, admin.

    O  allowed: 2xx, or a redirect that is not to sign-in or a refusal
    W  allowed to write: 2xx/3xx, or 400 (the empty form was refused after the permission
       check), or 405 (the view only reads)
    L  sent to sign in (302 to a sign-in page)
    D  refused: 403, or the Wagtail admin's "you do not have permission" redirect
    N  404 (the object is not visible to this person, or the URL needs one that does not exist)
    M  405 method not allowed
    B  400 bad request

Keys are URL patterns (as `get_resolver()` spells them), routable page sub-routes as
"<page model>:<route>", and a specific object/state as "<key>|<label>". An entry for the
pattern covers every label unless a "|label" entry overrides it. Grouped rules (GROUPS) cover
whole areas by glob; explicit entries win over groups. A pattern that matches nothing here
fails the walk, so a new view has to be added with its rule.

In the world the walk builds, "resident" asked the published, pending and rejected questions,
wrote "own-answer", sent the consultation response and the public evidence; "other_resident"
asked the closed and hidden questions and wrote the other answer and the comment.
"""

from fnmatch import fnmatchcase

# Roles' positions, for reading the rows: A R T F M C S X
# (Anonymous, Resident, oTher resident, oFficer, Moderator, Coach, Scrutiny member, admin)

EVERYONE = "OOOOOOOO"
EVERYONE_W = "WWWWWWWW"
SIGNED_IN = "LOOOOOOO"
SIGNED_IN_W = "LWWWWWWW"
NOBODY_FOUND = "NNNNNNNN"
SIGN_IN_ONLY = "LDDDDDDD"  # the admins' own sign-in pages: passed on to allauth's, or refused


def area(*allowed: str, get: str = "O", post: str = "W", denied: str = "D") -> tuple[str, str]:
    """A Wagtail admin area: anonymous people sign in; people without admin access and staff
    without the area's permission are refused; `allowed` staff (and the superuser) get in."""
    order = ["anonymous", "resident", "other_resident", "officer", "moderator", "coach"]
    order += ["committee_member", "admin"]

    def row(ok: str) -> str:
        out = []
        for role in order:
            if role == "anonymous":
                out.append("L")
            elif role in ("resident", "other_resident", "committee_member"):
                out.append("D")
            elif role == "admin" or role in allowed:
                out.append(ok)
            else:
                out.append(denied)
        return "".join(out)

    return row(get), row(post)


STAFF = ("officer", "moderator", "coach")
EDITORS = ("officer", "moderator")  # page editing, media, consultations, reports
SUPERUSER = ()  # only the admin

# Grouped rules: (glob over the key, (GET row, POST row)); the first match wins.
GROUPS: list[tuple[str, tuple[str, str]]] = [
    # The Django admin: superusers only; everyone else signs in or is refused (403).
    ("django-admin/*", ("LDDDDDDO", "LDDDDDDW")),
    # Wagtail admin areas only the superuser manages.
    ("admin/collections/*", area(*SUPERUSER)),
    ("admin/workflows/task_chooser/*", area(*STAFF)),
    ("admin/workflows/*", area(*SUPERUSER)),
    ("admin/redirects/*", area(*SUPERUSER)),
    ("admin/settings/*", area(*SUPERUSER)),
    ("admin/sites/*", area(*SUPERUSER)),
    ("admin/users/*", area(*SUPERUSER)),
    ("admin/groups/*", area(*SUPERUSER)),
    ("admin/snippets/scrutiny/evidencetheme/*", area(*SUPERUSER)),
    # The Wagtail admin's own API is not used by this site's admin screens (it answers with a
    # plain redirect to sign in, not the admin's refusal).
    ("admin/api/*", ("LLLNNNLN", "LLLNNNLN")),
    # snippet choosers here cannot create anything (no creation form): 404 for everyone
    ("admin/snippets/choose/*/create/", ("LNNNNNNN", "LNNNNNNN")),
    # Pages, media, reports: editors (officers and moderators); coaches have no page rights.
    ("admin/pages/*", area(*EDITORS)),
    ("admin/reports/site-history/*", area(*STAFF)),
    ("admin/reports/*", area(*EDITORS)),
    # coaches may open the media choosers (they list nothing they cannot use) but not pick
    ("admin/documents/chooser/chosen/*", (area(*EDITORS)[0], "LDDWWMDW")),
    ("admin/documents/chooser/create/", area(*EDITORS)),
    ("admin/images/chooser/chosen/*", (area(*EDITORS)[0], "LDDWWMDW")),
    ("admin/images/chooser/create/", area(*EDITORS)),
    ("admin/images/chooser/*/select_format/", area(*EDITORS)),
    ("admin/documents/chooser/*", area(*STAFF)),
    ("admin/images/chooser/*", area(*STAFF)),
    ("admin/documents/*", area(*EDITORS)),
    ("admin/images/*", area(*EDITORS)),
    ("admin/forms/*", area(*EDITORS)),
    ("admin/consultations/*", area(*EDITORS)),
    # Moderation: moderators.
    ("admin/moderation/*", area("moderator")),
    # Snippets, model by model, as roles.py grants them.
    ("admin/snippets/questions/question/add/", area(get="D", post="D")),
    ("admin/snippets/questions/question/delete/*", area(get="D", post="D")),
    ("admin/snippets/questions/question/edit/*", area("moderator")),
    ("admin/snippets/questions/question/usage/*", area("moderator")),
    ("admin/snippets/questions/question/history*", area("moderator")),
    ("admin/snippets/questions/question/*", area(*EDITORS)),
    ("admin/snippets/choose/questions/question/*", area(*EDITORS)),
    ("admin/snippets/questions/answer/inspect/*", area(*EDITORS)),
    ("admin/snippets/questions/answer/results/", area(*EDITORS)),
    ("admin/snippets/questions/answer/", area(*EDITORS)),
    ("admin/snippets/choose/questions/answer/*", area(*EDITORS)),
    # officers read comments to promote them to evidence (questions.view_comment)
    ("admin/snippets/questions/comment/inspect/*", area(*EDITORS)),
    ("admin/snippets/questions/comment/results/", area(*EDITORS)),
    ("admin/snippets/questions/comment/", area(*EDITORS)),
    ("admin/snippets/choose/questions/comment/*", area(*EDITORS)),
    ("admin/snippets/questions/flag/inspect/*", area("moderator")),
    ("admin/snippets/questions/flag/results/", area("moderator")),
    ("admin/snippets/questions/flag/", area("moderator")),
    ("admin/snippets/choose/questions/flag/*", area("moderator")),
    # nobody adds, edits or deletes residents' words through the snippet screens
    ("admin/snippets/questions/*", area(*SUPERUSER, get="D", post="D")),
    ("admin/snippets/consultations/liveupdate/*", area(*EDITORS)),
    ("admin/snippets/choose/consultations/liveupdate/*", area(*EDITORS)),
    ("admin/snippets/social/channel/", area("officer", "coach")),
    ("admin/snippets/social/channel/results/", area("officer", "coach")),
    ("admin/snippets/choose/social/channel/*", area("officer", "coach")),
    ("admin/snippets/social/channel/*", area(*SUPERUSER)),
    ("admin/snippets/social/posttemplate/add/", area(*SUPERUSER)),
    ("admin/snippets/social/posttemplate/delete/*", area(*SUPERUSER)),
    ("admin/snippets/social/posttemplate/copy/*", area(*SUPERUSER)),
    ("admin/snippets/social/posttemplate/*", area("coach")),
    ("admin/snippets/choose/social/posttemplate/*", area("coach")),
    ("admin/snippets/choose/scrutiny/evidencetheme/*", area(*SUPERUSER)),
    # Social: officers draft and work the inbox, coaches approve; moderators have no part.
    ("admin/social/queue/", area("coach")),
    ("admin/social/inbox/*", area("officer")),
    ("admin/social/pulls/*", area("officer")),
    ("admin/social/posts/*", area("officer", "coach")),
    # Everything else in the Wagtail admin is for anyone with admin access.
    ("admin/*", area(*STAFF)),
]

M4 = "MMMMMMMM"
POST_ONLY = "LDDMMMDM"  # a GET on a POST-only admin view: 405 for anyone with admin access
POST_ONLY_PAGES = "LDDMMDDM"  # the same under /admin/pages/ (coaches refused first)

EXPLICIT: dict[str, tuple[str, str]] = {
    # Every sign-in goes through allauth's (throttled, with lockout); the admins' own forms
    # and Wagtail's private-page sign-in only pass people on (signed-in people are refused).
    "admin/login/": (SIGN_IN_ONLY, SIGN_IN_ONLY),
    "django-admin/login/": (SIGN_IN_ONLY, SIGN_IN_ONLY),
    "_util/login/": (SIGN_IN_ONLY, SIGN_IN_ONLY),
    "admin/logout/": (POST_ONLY, "LDDLLLDL"),
    "django-admin/logout/": ("OOOOOOOM", "OOOOOOOO"),
    "django-admin/autocomplete/": ("LDDDDDDD", "LDDDDDDW"),
    # task results are read-only, even for the superuser
    "django-admin/django_tasks_database/dbtaskresult/add/": ("LDDDDDDD", "LDDDDDDD"),
    "django-admin/django_tasks_database/dbtaskresult/*/delete/": ("LDDDDDDD", "LDDDDDDD"),
    "django-admin/django_tasks_database/dbtaskresult/*/change/": ("LDDDDDDO", "LDDDDDDD"),
    "django-admin/(?P<url>.*)$|unknown": ("LDDDDDDN", "LDDDDDDN"),
    "django-admin/r/*": ("LDDDDDDN", "LDDDDDDN"),
    # POST-only admin views
    "admin/moderation/<str:kind>/<int:pk>/<str:action>/": (POST_ONLY, area("moderator")[1]),
    "admin/pages/<int:page_id>/lock/": (POST_ONLY_PAGES, area(*EDITORS)[1]),
    "admin/pages/<int:page_id>/unlock/": (POST_ONLY_PAGES, area(*EDITORS)[1]),
    "admin/pages/<int:page_to_move_id>/set_position/": (POST_ONLY_PAGES, area("moderator")[1]),
    "admin/editing-sessions/ping/*": (POST_ONLY, "LDDWWNDW"),
    "admin/editing-sessions/release/*": (POST_ONLY, area(*STAFF)[1]),
    "admin/documents/multiple/<int:doc_id>/*": (POST_ONLY, area(*EDITORS)[1]),
    "admin/images/multiple/<int:image_id>/*": (POST_ONLY, area(*EDITORS)[1]),
    "admin/redirects/import/process/": ("LDDDDDDM", area(*SUPERUSER)[1]),
    "admin/workflows/enable/*": (POST_ONLY, area(*SUPERUSER)[1]),
    "admin/workflows/remove/*": (POST_ONLY, area(*SUPERUSER)[1]),
    "admin/workflows/tasks/enable/*": (POST_ONLY, area(*SUPERUSER)[1]),
    "admin/workflows/disable/*": area(*SUPERUSER),
    # officers draft; coaches edit, approve and reject what is awaiting approval
    "admin/social/posts/<int:pk>/edit/": (POST_ONLY, "LDDDDWDW"),
    "admin/social/posts/<int:pk>/approve/": (POST_ONLY, "LDDDDWDW"),
    "admin/social/posts/<int:pk>/reject/": (POST_ONLY, "LDDDDWDW"),
    "admin/social/posts/<int:pk>/withdraw/": (POST_ONLY, area("officer", "coach")[1]),
    "admin/social/posts/<int:pk>/submit/": (POST_ONLY, area(post="D")[1]),
    "admin/social/posts/<int:pk>/retry/": (POST_ONLY, area(post="D")[1]),
    "admin/social/inbox/mark/": (POST_ONLY, area("officer")[1]),
    "admin/social/inbox/hide/": (POST_ONLY, area("officer")[1]),
    "admin/social/pulls/*": (POST_ONLY, area("officer")[1]),
    # Wagtail's crash-test page is gone; its own password reset is off (allauth's is used).
    "admin/failwhale/": (NOBODY_FOUND, NOBODY_FOUND),
    "admin/password_reset/*": (NOBODY_FOUND, NOBODY_FOUND),
    # public assets of the admin's sign-in page
    "admin/sprite/": (EVERYONE, EVERYONE_W),
    "admin/jsi18n/": (EVERYONE, EVERYONE_W),
    "admin/test404/": area(*STAFF, post="M"),
    "admin/^.*/$|unknown": ("LLLNNNLN", "LLLNNNLN"),
    "admin/bulk/<str:app_label>/<str:model_name>/<str:action>/": area(*STAFF, get="N", post="N"),
    "admin/tag-autocomplete/<slug:app_name>/<slug:model_name>/": area(*STAFF, get="N", post="N"),
    "admin/block-preview/": area(*STAFF, get="N", post="M"),
    "admin/pages/<int:page_id>/convert_alias/": area(*EDITORS, get="N", post="N"),
    "admin/pages/workflow/*/<int:task_state_id>/": area(*EDITORS, get="N", post="N"),
    "admin/pages/<int:page_id>/workflow_history/detail/<int:workflow_state_id>/": area(
        *EDITORS, get="N"
    ),
    # publishing rights: moderators (and the superuser) delete, unpublish, move, set privacy
    "admin/pages/<int:page_id>/delete/": area("moderator"),
    "admin/pages/<int:page_id>/unpublish/": area("moderator"),
    "admin/pages/<int:page_to_move_id>/move/": area("moderator"),
    "admin/pages/<int:page_id>/privacy/": area("moderator"),
    "admin/pages/<int:page_id>/revisions/<int:revision_id>/unschedule/": area("moderator"),
    # moving the consultation under the meetings index is not allowed by the page types
    "admin/pages/<int:page_to_move_id>/move/<int:destination_id>/confirm/": area(
        *EDITORS, post="D"
    ),
    # not a form page: 404 for anyone with admin access
    "admin/forms/submissions/*": ("LDDNNNDN", "LDDNNNDN"),
    "admin/forms/submissions/<int:page_id>/delete/": area(get="D", post="D"),
    "admin/images/<int:image_id>/generate_url/*": area(*EDITORS, get="N"),
    # multiple-upload follow-ups for an upload that does not exist
    "admin/documents/multiple/*/<int:uploaded_file_id>/": (POST_ONLY, "LDDNNNDN"),
    "admin/images/multiple/*/<int:uploaded_file_id>/": (POST_ONLY, "LDDNNNDN"),
    "admin/settings/<slug:app_name>/<slug:model_name>/<int:pk>/preview/": area(get="N", post="N"),
    # a collection that still holds a document cannot be deleted, even by the superuser
    "admin/collections/<int:pk>/delete/": ("LDDNNNDO", "LDDNNNDD"),
    # The public site.
    "documents/^(\\d+)/(.*)$": (EVERYONE, EVERYONE_W),
    "documents/authenticate_with_password/<int:restriction_id>/": (NOBODY_FOUND, NOBODY_FOUND),
    "_util/authenticate_with_password/*": (EVERYONE, EVERYONE_W),
    "accounts/login/": (EVERYONE, EVERYONE_W),
    "accounts/logout/": (EVERYONE, EVERYONE_W),
    "accounts/signup/": (EVERYONE, EVERYONE_W),
    "accounts/inactive/": (EVERYONE, EVERYONE_W),
    "accounts/confirm-email/": (EVERYONE, EVERYONE_W),
    "accounts/password/reset/": (EVERYONE, EVERYONE_W),
    "accounts/password/reset/done/": (EVERYONE, EVERYONE_W),
    "accounts/password/reset/key/done/": (EVERYONE, EVERYONE_W),
    "accounts/^password/reset/key/*": (EVERYONE, EVERYONE_W),
    "accounts/^confirm-email/*": (EVERYONE, NOBODY_FOUND),
    "accounts/*": (SIGNED_IN, SIGNED_IN_W),
    "account/deleted/": (EVERYONE, EVERYONE_W),
    "account/*": (SIGNED_IN, SIGNED_IN_W),
    # scrutiny staff pages: triage and oral evidence for officers; evidence detail for those
    # who may see unpublished evidence (officers, committee members)
    "scrutiny/evidence/": ("LDDODDDO", "LDDWDDDW"),
    "scrutiny/evidence/oral/": ("LDDODDDO", "LDDWDDDW"),
    "scrutiny/evidence/<str:reference>/": ("LDDODDOO", "LDDNDDNN"),
    # promoting needs a source to promote (none given here: 404 once allowed)
    "scrutiny/promote/": ("LDDNDDDN", "LDDNDDDN"),
    "scrutiny/promote/bulk/": ("MMMMMMMM", "LDDNDDDN"),
    # an evidence pack: only the committee member who asked for it (and the superuser)
    "scrutiny/exports/*": ("LDDDDDOO", "LDDDDDWW"),
    # the public search page only reads
    "search/": (EVERYONE, M4),
    # the demo tour exists only in demo mode (PARLEY_DEMO_MODE); the walk runs without it
    "tour/": (NOBODY_FOUND, NOBODY_FOUND),
    "^((?:[\\w\\-]+/)*)$": (EVERYONE, EVERYONE_W),
    "^((?:[\\w\\-]+/)*)$|missing page": (NOBODY_FOUND, NOBODY_FOUND),
    # Questions (a routable page).
    "questions.QuestionIndexPage:": (EVERYONE, EVERYONE_W),
    "questions.QuestionIndexPage:ask/": (SIGNED_IN, SIGNED_IN_W),
    "questions.QuestionIndexPage:suggest/": (EVERYONE, EVERYONE_W),
    "questions.QuestionIndexPage:feed/*": (EVERYONE, EVERYONE_W),
    "questions.QuestionIndexPage:topics/": (EVERYONE, EVERYONE_W),
    "questions.QuestionIndexPage:^topics/*": (EVERYONE, EVERYONE_W),
    "questions.QuestionIndexPage:<int:question_id>/<str:slug>/feed/*|pending": (
        NOBODY_FOUND,
        NOBODY_FOUND,
    ),
    "questions.QuestionIndexPage:<int:question_id>/<str:slug>/feed/*|rejected": (
        NOBODY_FOUND,
        NOBODY_FOUND,
    ),
    "questions.QuestionIndexPage:<int:question_id>/<str:slug>/feed/*|hidden": (
        NOBODY_FOUND,
        NOBODY_FOUND,
    ),
    # threads: public when published or closed; pending and rejected ones only for the asker
    # and moderators; a hidden one shows a notice to everyone
    "questions.QuestionIndexPage:<int:question_id>/*|published": (EVERYONE, EVERYONE_W),
    "questions.QuestionIndexPage:<int:question_id>/*|closed": (EVERYONE, EVERYONE_W),
    "questions.QuestionIndexPage:<int:question_id>/*|pending": ("NONNONNO", "NWNNWNNW"),
    "questions.QuestionIndexPage:<int:question_id>/*|rejected": ("NONNONNO", "NWNNWNNW"),
    "questions.QuestionIndexPage:<int:question_id>/*|hidden": (EVERYONE, EVERYONE_W),
}

# Actions on a question, by its state: {label: (GET row, POST row)}. A GET on an action
# redirects to the thread (or shows the action's form); the POST does it.
T = "questions.QuestionIndexPage:<int:question_id>/<str:slug>/<str:action>/|"
A = "questions.QuestionIndexPage:answers/<int:answer_id>/<str:action>/|"
C = "questions.QuestionIndexPage:comments/<int:comment_id>/<str:action>/|"
EXPLICIT.update(
    {
        T + "published:answer": (SIGNED_IN, SIGNED_IN_W),
        T + "published:comment": (SIGNED_IN, SIGNED_IN_W),
        # the asker cannot vote for or report their own question
        T + "published:vote": (SIGNED_IN, "LDWWWWWW"),
        T + "published:follow": (SIGNED_IN, SIGNED_IN_W),
        T + "published:unfollow": (SIGNED_IN, SIGNED_IN_W),
        T + "published:report": ("LDOOOOOO", "LDWWWWWW"),
        # once published, only moderators edit a question
        T + "published:edit": ("LDDDODDO", "LDDDWDDW"),
        # pending/rejected: only the asker and moderators see it, and nobody can take part
        T + "pending:answer": ("NONNONNO", "NDNNDNND"),
        T + "pending:comment": ("NDNNDNND", "NDNNDNND"),
        T + "pending:vote": ("NONNONNO", "NDNNDNND"),
        T + "pending:follow": ("NONNONNO", "NDNNDNND"),
        T + "pending:unfollow": ("NONNONNO", "NWNNWNNW"),
        T + "pending:report": ("NDNNDNND", "NDNNDNND"),
        T + "pending:edit": ("NONNONNO", "NWNNWNNW"),
        T + "rejected:answer": ("NONNONNO", "NDNNDNND"),
        T + "rejected:comment": ("NDNNDNND", "NDNNDNND"),
        T + "rejected:vote": ("NONNONNO", "NDNNDNND"),
        T + "rejected:follow": ("NONNONNO", "NDNNDNND"),
        T + "rejected:unfollow": ("NONNONNO", "NWNNWNNW"),
        T + "rejected:report": ("NDNNDNND", "NDNNDNND"),
        # the asker may edit a rejected question (to send it again); moderators may too
        T + "rejected:edit": ("NDNNONNO", "NDNNWNNW"),
        # closed: no answers, comments or votes; follow and report still work
        T + "closed:answer": ("LOOOOOOO", "LDDDDDDD"),
        T + "closed:comment": ("LDDDDDDD", "LDDDDDDD"),
        T + "closed:vote": ("LOOOOOOO", "LDDDDDDD"),
        T + "closed:follow": (SIGNED_IN, SIGNED_IN_W),
        T + "closed:unfollow": (SIGNED_IN, SIGNED_IN_W),
        T + "closed:report": ("LODOOOOO", "LWDWWWWW"),
        T + "closed:edit": ("LDDDODDO", "LDDDWDDW"),
        # hidden after reports: only its asker and moderators reach it, until a moderator acts
        T + "hidden:answer": ("NNONONNO", "NNDNDNND"),
        T + "hidden:comment": ("NNDNDNND", "NNDNDNND"),
        T + "hidden:vote": ("NNONONNO", "NNDNDNND"),
        T + "hidden:follow": ("NNONONNO", "NNDNDNND"),
        T + "hidden:unfollow": ("NNONONNO", "NNWNWNNW"),
        T + "hidden:report": ("NNDNONNO", "NNDNWNNW"),
        T + "hidden:edit": ("NNDNONNO", "NNDNWNNW"),
        # answers: "others-answer" is other_resident's, on resident's question
        A + "others-answer:vote": (SIGNED_IN, "LWDWWWWW"),
        # only the asker accepts an answer
        A + "others-answer:accept": (SIGNED_IN, "LWDDDDDD"),
        A + "others-answer:official": (SIGNED_IN, "LDDDDDDD"),
        A + "others-answer:edit": ("LDODODDO", "LDWDWDDW"),
        A + "others-answer:report": ("LODOOOOO", "LWDWWWWW"),
        A + "others-answer:comment": (SIGNED_IN, SIGNED_IN_W),
        A + "own-answer:vote": (SIGNED_IN, "LDWWWWWW"),
        A + "own-answer:accept": (SIGNED_IN, "LWDDDDDD"),
        A + "own-answer:official": (SIGNED_IN, "LDDDDDDD"),
        A + "own-answer:edit": ("LODDODDO", "LWDDWDDW"),
        A + "own-answer:report": ("LDOOOOOO", "LDWWWWWW"),
        A + "own-answer:comment": (SIGNED_IN, SIGNED_IN_W),
        C + "others-comment:edit": ("LDODODDO", "LDWDWDDW"),
        C + "others-comment:report": ("LODOOOOO", "LWDWWWWW"),
    }
)

# Consultations and meetings (routable pages).
CP = "consultations.ConsultationPage:"
MP = "consultations.MeetingPage:"
IP = "scrutiny.InquiryPage:"
EXPLICIT.update(
    {
        CP + "*|draft": (NOBODY_FOUND, NOBODY_FOUND),
        CP: (EVERYONE, EVERYONE_W),
        CP + "respond/|open": (EVERYONE, EVERYONE_W),
        CP + "respond/|closed": (EVERYONE, "DDDDDDDD"),
        CP + "follow/": (M4, SIGNED_IN_W),
        CP + "calendar/": (EVERYONE, EVERYONE_W),
        # a response is seen by the person who sent it and by staff who read responses
        CP + "respond/received/<str:reference>/": ("NONOONNO", M4),
        CP + "responses/<str:reference>/": ("NONOONNO", M4),
        MP: (EVERYONE, EVERYONE_W),
        # live updates are posted by officers and moderators
        MP + "updates/": (M4, "LDDWWDDW"),
        MP + "updates/latest/": (EVERYONE, EVERYONE_W),
        MP + "calendar/": (EVERYONE, EVERYONE_W),
        IP: (EVERYONE, EVERYONE_W),
        IP + "evidence/": (EVERYONE, EVERYONE_W),
        IP + "submit/|open": (EVERYONE, EVERYONE_W),
        IP + "submit/|closed": ("DDDDDDDD", "DDDDDDDD"),
        IP + "follow/": (M4, SIGNED_IN_W),
        # dashboards: committee members and officers; exports the same
        IP + "dashboard/": ("LDDODDOO", "LDDWDDWW"),
        IP + "dashboard/export/": (M4, "LDDWDDWW"),
        # the receipt page is shown only straight after submitting, in that browser session
        IP + "submit/done/<str:reference>/": (NOBODY_FOUND, NOBODY_FOUND),
    }
)

LETTERS = {"O", "W", "L", "D", "N", "M", "B"}


def _check_rows():
    for key, rows in [*EXPLICIT.items(), *GROUPS]:
        for row in rows:
            assert len(row) == 8 and set(row) <= LETTERS, (key, row)


_check_rows()


def expected(key: str, label: str) -> tuple[str, str] | None:
    """The (GET, POST) rows for a case, or None when the table does not cover it."""
    candidates = [f"{key}|{label}"] if label else []
    candidates.append(key)
    for candidate in candidates:  # the object's own row first, then the pattern's
        if candidate in EXPLICIT:
            return EXPLICIT[candidate]
        for pattern, rows in EXPLICIT.items():  # globs, in the order written
            if "*" in pattern and fnmatchcase(candidate, pattern):
                return rows
    for pattern, rows in GROUPS:
        if fnmatchcase(key, pattern):
            return rows
    return None
