"""Signals other apps listen to (social drafts posts to X from them).

Services send them with `transaction.on_commit`, so a receiver only ever sees committed rows
and a failing receiver can never undo what a resident submitted.

- `question_published(sender=Question, question=...)`: a question became public.
- `answer_posted(sender=Answer, answer=...)`: any new answer (official or not).
- `official_answer_given(sender=Answer, answer=...)`: an answer became the official answer,
  when posted or when an officer marked their earlier answer official.
- `question_status_changed(sender=Question, question=..., old_status=..., new_status=...)`.
"""

from django.dispatch import Signal

question_published = Signal()
answer_posted = Signal()
official_answer_given = Signal()
question_status_changed = Signal()
