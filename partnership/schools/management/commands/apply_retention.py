"""Apply each school's retention policy now, or show what it would do (--dry-run)."""

from django.core.management.base import BaseCommand, CommandError

from partnership.schools.models import School
from partnership.schools.retention import RetentionPlan, retention_apply, retention_plan


class Command(BaseCommand):
    help = "Remove what each school's retention policy says has expired (--dry-run to list it)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List, change nothing.")
        parser.add_argument("--school", help="Only this school (its short name).")

    def handle(self, *args, dry_run: bool = False, school: str | None = None, **options):
        schools = School.objects.order_by("slug")
        if school:
            schools = schools.filter(slug=school)
            if not schools.exists():
                raise CommandError(f"No school with the short name {school!r}.")
        for each in schools:
            if dry_run:
                self._report(retention_plan(school=each), "would")
            else:
                self._report(retention_apply(school=each), "did")

    def _report(self, plan: RetentionPlan, verb: str) -> None:
        self.stdout.write(f"{plan.school.slug}:")
        if plan.nothing_to_do:
            self.stdout.write("  nothing has expired")
            return
        self.stdout.write(f"  {verb} remove the words of {plan.contact_notes} contact notes")
        self.stdout.write(f"  {verb} clear {plan.checkin_messages} check-in messages")
        self.stdout.write(f"  {verb} delete {plan.sent_emails} copies of sent emails")
        for child_id, left_on in plan.leavers:
            self.stdout.write(f"  {verb} delete the record of child {child_id} (left {left_on})")
