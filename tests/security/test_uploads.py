"""Uploaded photos: hostile files are refused with a clear message, and a stored photo is
never reachable at a public address.

tests/plans/test_observations*.py already prove the happy path, the byte-size limit, a PDF
named .jpg, a GIF, EXIF removal and who may fetch the photo URL. Here: files built to
attack the server or the people who open them.
"""

import io
import struct
import zlib

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from partnership.plans.models import HomeObservation

NOT_A_PHOTO = b"not a photo we can open"


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def family(client, parent, login_with_password):
    login_with_password(client, parent)
    return client


def _jpeg(size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(buffer, format="JPEG")
    return buffer.getvalue()


def _png_claiming(width: int, height: int) -> bytes:
    """A valid PNG header for a huge picture, in a file of a few hundred bytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + chunk(b"IEND", b"")
    )


def _upload(client, child, name: str, data: bytes, content_type: str = "image/jpeg"):
    photo = SimpleUploadedFile(name, data, content_type=content_type)
    return client.post(
        f"/children/{child.pk}/observations/new/", {"text": "At home today", "photo": photo}
    )


def _nothing_stored(tmp_media) -> bool:
    files = [p for p in tmp_media.rglob("*") if p.is_file()] if tmp_media.exists() else []
    return not HomeObservation.objects.exists() and not files


HOSTILE = {
    "html named as a jpeg": ("IMG_0001.jpg", b"<html><script>alert(1)</script></html>"),
    "svg with a script": (
        "drawing.jpg",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
        b"<script>alert(document.cookie)</script></svg>",
    ),
    "svg as itself": ("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>'),
    "jpeg cut off half way": ("IMG_0002.jpg", _jpeg((400, 300))[:700]),
    "jpeg header then junk": ("IMG_0003.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 400),
    "empty file": ("IMG_0004.jpg", b""),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_a_file_that_is_not_a_real_photo_is_refused_with_a_clear_message(
    family, child, case, settings
):
    name, data = HOSTILE[case]
    content_type = "image/svg+xml" if "svg" in case else "image/jpeg"

    response = _upload(family, child, name, data, content_type)

    assert response.status_code == 200  # the form again, never a server error
    content = response.content.lower()
    assert NOT_A_PHOTO in content or b"submitted file is empty" in content
    assert b"At home today" in response.content  # what they wrote is kept for them
    assert _nothing_stored(settings.MEDIA_ROOT)


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
@pytest.mark.parametrize(
    "pixels",
    [
        (20_000, 20_000),  # past twice Pillow's limit: Pillow itself refuses to open it
        (10_000, 10_000),  # between the limit and twice it: Pillow only warns
    ],
    ids=["far-over", "just-over"],
)
def test_a_decompression_bomb_is_refused_before_it_is_decoded(family, child, pixels, settings):
    bomb = _png_claiming(*pixels)
    assert len(bomb) < 1024  # tiny on disk, gigabytes once decoded
    assert pixels[0] * pixels[1] > Image.MAX_IMAGE_PIXELS

    response = _upload(family, child, "IMG_0005.png", bomb, "image/png")

    assert response.status_code == 200
    assert NOT_A_PHOTO in response.content or b"too big for us to open" in response.content
    assert _nothing_stored(settings.MEDIA_ROOT)


def test_a_photo_over_the_size_limit_names_the_limit(family, child, settings):
    settings.PHOTO_MAX_BYTES = 1024 * 1024
    big = _jpeg() + b"\x00" * (1024 * 1024)  # a real JPEG, padded past the limit

    response = _upload(family, child, "IMG_0006.jpg", big)

    assert b"The photo is too large" in response.content
    assert b"1 MB" in response.content
    assert _nothing_stored(settings.MEDIA_ROOT)


def test_script_hidden_after_a_real_jpeg_is_not_kept(family, child, parent):
    """A polyglot (a picture with HTML after it) is re-encoded from its pixels alone."""
    polyglot = _jpeg() + b"<script>alert(document.cookie)</script>"

    response = _upload(family, child, "IMG_0007.jpg", polyglot)

    assert response.status_code == 302
    observation = HomeObservation.objects.get()
    served = family.get(f"/observations/{observation.pk}/photo/")
    body = b"".join(served.streaming_content)
    assert body[:2] == b"\xff\xd8" and b"<script" not in body
    assert served["Content-Type"] == "image/jpeg"
    assert served["X-Content-Type-Options"] == "nosniff"


def test_a_name_that_is_not_a_picture_is_refused(family, child, settings):
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20)).save(buffer, format="PNG")

    response = _upload(family, child, "page.html", buffer.getvalue(), content_type="text/html")

    assert response.status_code == 200
    assert b"not allowed" in response.content  # Django names the extensions it takes
    assert _nothing_stored(settings.MEDIA_ROOT)


def test_the_type_served_comes_from_the_pixels_not_the_upload(family, child):
    """A browser's or attacker's claimed type and name are ignored."""
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20)).save(buffer, format="PNG")

    _upload(family, child, "page.jpg", buffer.getvalue(), content_type="text/html")

    observation = HomeObservation.objects.get()
    assert observation.photo.name.endswith(".png") and "page" not in observation.photo.name
    served = family.get(f"/observations/{observation.pk}/photo/")
    assert served["Content-Type"] == "image/png"
    assert "html" not in served["Content-Disposition"]


def test_photos_have_no_public_address(family, child, client, sendco):
    assert not settings.MEDIA_URL or settings.MEDIA_URL == "/"  # nothing serves MEDIA_ROOT
    _upload(family, child, "IMG_0008.jpg", _jpeg())
    observation = HomeObservation.objects.get()
    name = observation.photo.name
    assert (settings.MEDIA_ROOT / name).is_file()

    for guess in (f"/media/{name}", f"/{name}", f"/static/{name}", f"/static/../media/{name}"):
        answer = family.get(guess)
        assert answer.status_code == 404, guess
    # The page shows the photo through the checked view, never by its file path.
    page = family.get(f"/children/{child.pk}/observations/")
    assert f"/observations/{observation.pk}/photo/".encode() in page.content
    assert name.encode() not in page.content


def test_the_photo_address_is_not_cached_by_anyone_along_the_way(family, child):
    _upload(family, child, "IMG_0009.jpg", _jpeg())
    observation = HomeObservation.objects.get()

    served = family.get(f"/observations/{observation.pk}/photo/")

    cache_control = served["Cache-Control"]
    assert "private" in cache_control or "no-store" in cache_control
    assert "public" not in cache_control
