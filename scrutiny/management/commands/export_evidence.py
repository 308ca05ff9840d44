from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from portal.models import SiteSettings
from scrutiny import exports
from scrutiny.models import InquiryPage, TriageStatus
from scrutiny.selectors import EvidenceFilters


class Command(BaseCommand):
    help = (
        "Export an inquiry's evidence pack as CSV, XLSX or PDF, e.g. "
        "export_evidence --inquiry road-safety --format pdf --status relevant"
    )

    def add_arguments(self, parser):
        parser.add_argument("--inquiry", required=True, help="The inquiry page's slug")
        parser.add_argument("--format", required=True, choices=["csv", "xlsx", "pdf"])
        parser.add_argument("--tag", default="", help="Only evidence with this theme")
        parser.add_argument(
            "--status", default="", choices=["", *TriageStatus.values], help="Only this status"
        )
        parser.add_argument(
            "--output", "-o", default="", help="File to write (default: a name in the folder)"
        )
        parser.add_argument(
            "--public-only", action="store_true", help="Only evidence published with consent"
        )

    def handle(self, *args, **options):
        matches = list(InquiryPage.objects.filter(slug=options["inquiry"]))
        if not matches:
            raise CommandError(f"No inquiry with the slug '{options['inquiry']}'")
        if len(matches) > 1:
            raise CommandError(f"Several inquiries have the slug '{options['inquiry']}'")
        inquiry = matches[0]
        fmt = options["format"]
        filters = EvidenceFilters(
            inquiry=inquiry,
            status=options["status"],
            theme=options["tag"],
            public_only=options["public_only"],
        )
        output = Path(
            options["output"] or f"evidence-{inquiry.slug}-{timezone.localdate():%Y%m%d}.{fmt}"
        )
        site = inquiry.get_site()
        organisation = SiteSettings.for_site(site).organisation_name if site else ""

        def progress(done, total):
            percent = int(100 * done / total) if total else 100
            self.stderr.write(f"\rExported {done} of {total} items ({percent}%)", ending="")
            self.stderr.flush()

        tmp = output.with_name(output.name + ".part")
        try:
            with tmp.open("wb") as fh:
                n = exports.build(
                    fmt, fh, inquiry, filters, progress=progress, organisation=organisation
                )
            tmp.replace(output)
        finally:
            if tmp.exists():
                tmp.unlink()
        self.stderr.write("")
        self.stdout.write(self.style.SUCCESS(f"Wrote {n} items to {output}"))
