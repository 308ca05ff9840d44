from django.core.management.base import BaseCommand, CommandError

from social import ingest
from social.models import PullCursor


class Command(BaseCommand):
    help = (
        "Pull replies from X once, by hand: every post that is due (default), every post still "
        "being followed (--all), or one post (--post ID)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--post", type=int, help="The id of one post to pull now.")
        parser.add_argument("--all", action="store_true", help="Every followed post, due or not.")

    def handle(self, *args, post=None, all=False, **options):  # noqa: A002 - the option's name
        if post is not None:
            if not PullCursor.objects.filter(post_id=post).exists():
                raise CommandError(f"Post {post} has no reply pulling (is it published?).")
            results = ingest.PullSummary([ingest.pull_post(post_id=post, force=True)])
            self._progress(1, 1, results)
        else:
            results = ingest.pull_due(everything=all, limit=100_000, progress=self._progress)
        self.stdout.write("")
        errors = [r for r in results.results if r.error]
        self.stdout.write(
            self.style.SUCCESS(
                f"{results.polled} posts polled: {results.total('new')} new replies, "
                f"{results.total('known')} already known, {results.total('calls')} calls made."
            )
        )
        for r in errors:
            self.stdout.write(self.style.WARNING(f"  post {r.post_id}: {r.outcome}: {r.error}"))

    def _progress(self, done, total, summary):
        width = 30
        filled = int(width * done / total) if total else width
        self.stdout.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} posts, "
            f"{summary.total('new')} new replies",
            ending="",
        )
        self.stdout.flush()
