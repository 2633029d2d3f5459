"""Import children and their families from an MIS CSV export, for one school."""

from django.core.management.base import BaseCommand, CommandError

from partnership.schools.importing import ImportFailed, children_import
from partnership.schools.models import School


class Command(BaseCommand):
    help = "Import children and parents from a CSV exported by the school's MIS."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="The CSV file (UTF-8; Excel's CSV UTF-8 is fine).")
        parser.add_argument("--school", required=True, help="The school's short name (slug).")
        parser.add_argument(
            "--no-invitations",
            action="store_true",
            help="Link parents without emailing invitations (e.g. before the launch date).",
        )

    def handle(self, *args, path: str, school: str, no_invitations: bool, **options) -> None:
        try:
            the_school = School.objects.get(slug=school)
        except School.DoesNotExist:
            raise CommandError(f"No school with the short name {school!r}.") from None
        try:
            # Binary, so the service decides about the encoding the same way for the page.
            with open(path, "rb") as csv_file:
                result = children_import(
                    school=the_school, csv_file=csv_file, send_invitations=not no_invitations
                )
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
        except ImportFailed as failure:
            for error in failure.errors:
                self.stderr.write(error)
            raise CommandError(
                f"Nothing was imported: {len(failure.errors)} problem(s) in {path}."
            ) from failure
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported into {the_school}: {result.children_created} children added, "
                f"{result.children_updated} updated, {result.parents_linked} parent links added, "
                f"{result.invitations_sent} invitations sent."
            )
        )
