"""Writing home observations (the parent's voice, P4) and the school's replies.

Access is the view's job; these functions enforce the observation's own rules: a target
must be one of the child's shared targets, a photo must be a real picture of a sensible
size, and only the author may change an observation, and only until school has replied.
"""

import io

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from partnership.accounts.models import User
from partnership.notifications.services import message_enqueue_from_templates
from partnership.schools.models import Child, KeyContact, Membership, Role

from ..models import HomeObservation, ObservationReply, Target
from . import Refused

# Pillow's format name -> the file extension the photo is stored under. Phones send JPEG
# (some as MPO, a JPEG with a depth map), PNG screenshots, WebP and, on iPhones, HEIC,
# which Pillow opens only when the HEIF plugin is installed.
PHOTO_FORMATS = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "WEBP": "webp", "HEIF": "heic"}
PHOTO_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp", "heic": "image/heic"}


def photo_types_accepted() -> list[str]:
    """The content types to offer a phone's picker. HEIC only if Pillow can open it: a
    phone told HEIC is welcome sends it as it is, instead of converting to JPEG."""
    Image.init()
    return sorted({PHOTO_TYPES[ext] for fmt, ext in PHOTO_FORMATS.items() if fmt in Image.OPEN})


class ObservationRefused(Refused):
    """An observation rule was broken; the message is for the person who tried."""


def photo_problem(photo: UploadedFile) -> str | None:
    """Why a photo cannot be kept, in words for the family, or None if it is fine."""
    if photo.size is not None and photo.size > settings.PHOTO_MAX_BYTES:
        return _("The photo is too large. Please choose one smaller than %(mb)s MB.") % {
            "mb": settings.PHOTO_MAX_BYTES // (1024 * 1024) or 1
        }
    try:
        photo.seek(0)
        with Image.open(photo) as image:
            image_format = image.format
            # Pillow only warns between its pixel limit and twice it; a small file that
            # claims that many pixels would take gigabytes to decode, so it stops here.
            too_many_pixels = image.width * image.height > Image.MAX_IMAGE_PIXELS
            image.verify()
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        return _("That file is not a photo we can open. Please choose a JPEG, PNG or WebP picture.")
    finally:
        photo.seek(0)
    if too_many_pixels:
        return _("That picture is too big for us to open. Please choose a smaller photo.")
    if image_format not in PHOTO_FORMATS:
        return _("Please choose a JPEG, PNG or WebP picture.")
    return None


PHOTO_MAX_SIDE = 2000


def _photo_cleaned(photo: UploadedFile) -> ContentFile:
    """The photo re-encoded from its pixels alone.

    A phone photo carries EXIF data, often the GPS position of the family's home: only
    the pixels are kept (turned upright first, as EXIF said), scaled to at most 2000 px.
    Screenshots stay PNG; everything else is stored as JPEG.
    """
    photo.seek(0)
    try:
        with Image.open(photo) as image:
            is_png = image.format == "PNG"
            upright = ImageOps.exif_transpose(image)
            upright.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
            out = io.BytesIO()
            if is_png:
                upright.save(out, format="PNG")
            else:
                upright.convert("RGB").save(out, format="JPEG", quality=85)
    except (OSError, SyntaxError, ValueError) as broken:
        # A cut-off or corrupt file passes the header checks and fails only when decoded.
        raise ObservationRefused(
            _("That file is not a photo we can open. Please choose a JPEG, PNG or WebP picture.")
        ) from broken
    return ContentFile(out.getvalue(), name="photo.png" if is_png else "photo.jpg")


def _check_target(child: Child, target: Target | None) -> None:
    if target is None:
        return
    if target.child_id != child.pk or target.shared_at is None:
        raise ObservationRefused(_("Choose one of your child's targets, or none."))


def _check_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise ObservationRefused(_("Please write what you saw."))
    return text


def _locked_for_author(observation: HomeObservation, by: User) -> HomeObservation:
    # The row lock makes a reply and an edit take turns: a reply that arrives first is
    # seen here, and a reply that arrives later waits for this edit to commit.
    observation = HomeObservation.objects.select_for_update().get(pk=observation.pk)
    if observation.author_id != by.pk:
        raise ObservationRefused(_("Only the person who wrote an observation can change it."))
    if observation.withdrawn_at is not None:
        raise ObservationRefused(_("This observation has been withdrawn."))
    if ObservationReply.objects.filter(observation=observation).exists():
        raise ObservationRefused(
            _(
                "School has already replied to this observation, so it can no longer be "
                "changed. You can add a new observation instead."
            )
        )
    return observation


@transaction.atomic
def observation_add(
    *,
    child: Child,
    author: User,
    text: str,
    target: Target | None = None,
    photo: UploadedFile | None = None,
) -> HomeObservation:
    """Record what a parent saw at home, and tell the child's staff it is there."""
    text = _check_text(text)
    _check_target(child, target)
    if photo:
        problem = photo_problem(photo)
        if problem:
            raise ObservationRefused(problem)
        photo = _photo_cleaned(photo)
    observation = HomeObservation.objects.create(
        child=child, author=author, text=text, target=target, photo=photo or ""
    )
    observation_notify_staff(observation=observation)
    return observation


@transaction.atomic
def observation_edit(
    *, observation: HomeObservation, by: User, text: str, target: Target | None = None
) -> HomeObservation:
    observation = _locked_for_author(observation, by)
    observation.text = _check_text(text)
    _check_target(observation.child, target)
    observation.target = target
    observation.edited_at = timezone.now()
    observation.save(update_fields=["text", "target", "edited_at"])
    return observation


@transaction.atomic
def observation_withdraw(*, observation: HomeObservation, by: User) -> HomeObservation:
    """Take an observation back. The row stays (its author still sees it as withdrawn)
    so a target that used it as a baseline keeps its history."""
    observation = _locked_for_author(observation, by)
    observation.withdrawn_at = timezone.now()
    observation.save(update_fields=["withdrawn_at"])
    return observation


@transaction.atomic
def observation_reply(*, observation: HomeObservation, by: User, text: str) -> ObservationReply:
    observation = HomeObservation.objects.select_for_update().get(pk=observation.pk)
    if observation.withdrawn_at is not None:
        raise ObservationRefused(_("The family has withdrawn this observation."))
    text = text.strip()
    if not text:
        raise ObservationRefused(_("Please write a reply."))
    return ObservationReply.objects.create(observation=observation, author=by, text=text)


def staff_to_tell(child: Child) -> list[User]:
    """Who hears that a family added something: the child's key contacts who use the
    portal, or, if there are none, the school's SENDCos."""
    key_contacts = KeyContact.objects.filter(
        child=child, membership__is_active=True, membership__user__is_active=True
    ).values("membership__user")
    people = list(User.objects.filter(pk__in=key_contacts).order_by("pk"))
    if not people:
        sendcos = Membership.objects.active().filter(school_id=child.school_id, role=Role.SENDCO)
        people = list(
            User.objects.filter(pk__in=sendcos.values("user"), is_active=True).order_by("pk")
        )
    return people


def staff_notify(*, child: Child, author: User, key_prefix: str, kind: str, context: dict) -> int:
    """One outbox row per member of staff, under a key that makes a repeat harmless.

    Emails name the child by first name only and carry none of what the family wrote:
    email is less private than the portal, so staff read it there.
    """
    context = {
        "first_name": child.first_name,
        "child_url": settings.SITE_URL + reverse("child_detail", args=[child.pk]),
        **context,
    }
    written = 0
    for person in staff_to_tell(child):
        if person.pk == author.pk:
            continue
        _, created = message_enqueue_from_templates(
            key=f"{key_prefix}:{person.pk}",
            kind=kind,
            to_email=person.email,
            template=kind,
            context={"name": person.get_short_name(), **context},
            school=child.school,
            recipient=person,
        )
        written += created
    return written


def observation_notify_staff(*, observation: HomeObservation) -> int:
    return staff_notify(
        child=observation.child,
        author=observation.author,
        key_prefix=f"observation-added:{observation.pk}",
        kind="observation_added",
        context={"has_photo": bool(observation.photo)},
    )


def observations_for_display(observations: QuerySet[HomeObservation]) -> QuerySet:
    """What plans/fragment_observations.html reads, fetched up front: author and target
    with the rows, then the replies with their authors (two queries in all)."""
    return observations.select_related("author", "target").prefetch_related(
        Prefetch("replies", queryset=ObservationReply.objects.select_related("author"))
    )
