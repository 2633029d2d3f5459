"""Erase one child's whole record now, after an erasure request the school has agreed to.

Without --yes it only lists what would be deleted. The audit trail keeps its rows (without
the child); copies of emails already sent are removed by retention in their own time.
"""

from django.core.management.base import BaseCommand, CommandError

from partnership.schools.models import Child
from partnership.schools.retention import child_erase, erasure_preview


class Command(BaseCommand):
    help = "Erase a child's record (lists what would go unless --yes is given)."

    def add_arguments(self, parser):
        parser.add_argument("--child", type=int, required=True, help="The child's id.")
        parser.add_argument("--yes", action="store_true", help="Erase it; without, only list.")

    def handle(self, *args, child: int, yes: bool = False, **options):
        try:
            record = Child.objects.get(pk=child)
        except Child.DoesNotExist:
            raise CommandError(f"No child with id {child}.") from None
        for kind, count in sorted(erasure_preview(child=record).items()):
            self.stdout.write(f"  {count} {kind}")
        if not yes:
            self.stdout.write("Nothing erased: run again with --yes to erase this record.")
            return
        child_erase(child=record)
        self.stdout.write(self.style.SUCCESS(f"Erased the record of child {child}."))
