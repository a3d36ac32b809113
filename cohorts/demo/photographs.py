"""Placeholder photographs for some demo people: a plain grey silhouette on a pale ground, drawn
with Pillow at seed time, so that the identity bar, the recall pack and the RAG document show
a photograph. Clearly not of anyone: no face, no features, the same outline for everybody.

They are stored as the photograph service stores an upload, through the storage API under
``photographs/<person id>/``, so that a second web process, or a bucket, finds them too.
"""

from __future__ import annotations

import io
import random

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageDraw

from cohorts.models import Nominal

# About one demo person in three has a photograph on record.
SHARE_WITH_PHOTOGRAPH = 0.35
SIZE = (240, 300)
GROUNDS = ((222, 226, 230), (214, 222, 214), (230, 224, 214), (218, 218, 228))
SILHOUETTE = (110, 114, 118)


def portrait(rng: random.Random) -> bytes:
    """A JPEG of a head-and-shoulders silhouette; only the ground's shade varies."""
    width, height = SIZE
    image = Image.new("RGB", SIZE, rng.choice(GROUNDS))
    draw = ImageDraw.Draw(image)
    head = (width * 0.32, height * 0.16, width * 0.68, height * 0.52)
    draw.ellipse(head, fill=SILHOUETTE)
    shoulders = (width * 0.08, height * 0.56, width * 0.92, height * 1.35)
    draw.ellipse(shoulders, fill=SILHOUETTE)
    output = io.BytesIO()
    image.save(output, format="JPEG", quality=80)
    return output.getvalue()


def add_photographs(people: list[Nominal], rng: random.Random) -> dict[int, str]:
    """Give some of ``people`` (already saved) a placeholder photograph; the stored name of
    each, by person id."""
    chosen = [nominal for nominal in people if rng.random() < SHARE_WITH_PHOTOGRAPH]
    names: dict[int, str] = {}
    for nominal in chosen:
        name = default_storage.save(
            f"photographs/{nominal.pk}/{rng.getrandbits(128):032x}.jpg",
            ContentFile(portrait(rng)),
        )
        nominal.photograph = name
        names[nominal.pk] = name
    Nominal.objects.bulk_update(chosen, ["photograph"], batch_size=500)
    return names
