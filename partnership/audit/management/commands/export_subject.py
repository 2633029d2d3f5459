"""Write a subject access export (zip) for one child or one parent to a file.

For the operator answering a request on the server; a school's administrator uses the
export pages instead. Prints ids only: the file itself is the personal data.
"""

import shutil
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from partnership.audit.export import subject_export_child, subject_export_parent
from partnership.audit.models import Action
from partnership.audit.services import audit_event_record
from partnership.schools.models import Child, School


class Command(BaseCommand):
    help = "Export every record about one child (--child ID) or one parent (--parent EMAIL)."

    def add_arguments(self, parser):
        subject = parser.add_mutually_exclusive_group(required=True)
        subject.add_argument("--child", type=int, help="The child's id.")
        subject.add_argument("--parent", help="The parent's email address.")
        parser.add_argument(
            "--school",
            help="With --parent: only this school's records (its short name). "
            "Without it, every school's.",
        )
        parser.add_argument("--out", required=True, help="Where to write the zip.")

    def handle(self, *args, child=None, parent=None, school=None, out=None, **options):
        target = Path(out)
        if target.exists():
            raise CommandError(f"{target} already exists; choose another file name.")
        if child is not None:
            if school:
                raise CommandError("--school goes with --parent; a child belongs to one school.")
            subject = Child.objects.select_related("school").filter(pk=child).first()
            if subject is None:
                raise CommandError(f"No child with id {child}.")
            archive = subject_export_child(child=subject)
            school_id, child_id, object_id = subject.school_id, subject.pk, subject.pk
        else:
            user = get_user_model().objects.filter(email__iexact=parent.strip()).first()
            if user is None:
                raise CommandError("No one with that email address.")
            at = None
            if school:
                at = School.objects.filter(slug=school).first()
                if at is None:
                    raise CommandError(f"No school with the short name {school!r}.")
            archive = subject_export_parent(parent=user, school=at)
            school_id, child_id, object_id = (at.pk if at else None), None, user.pk
        with archive, open(target, "xb") as written:
            shutil.copyfileobj(archive, written)
        audit_event_record(
            user_id=None,
            action=Action.EXPORT,
            what="export_subject_command",
            method="CLI",
            status_code=200,
            school_id=school_id,
            child_id=child_id,
            object_id=object_id,
        )
        self.stdout.write(f"Wrote {target} ({target.stat().st_size} bytes).")
