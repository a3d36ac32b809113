"""Rendering time of each document for a person with a long history.

    python -m tests.benchmarks.documents [--repeat 5]

Builds, in a throw-away test database, one person with 50 breaches, 100 drug tests, 30
convictions (when the risk app's offending history is installed), sanctions, a recall in
progress and bail conditions; then renders each document several times and prints the
gathering (SQL) and rendering (WeasyPrint) time, pages and size, each the median of the
repeats. Target: a median under 1 s each (issue 18 names the licence recall pack), marked
PASS or FAIL; the exit status is 1 when any misses it.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time

TARGET_MS = 1000


def build_person():
    from django.apps import apps

    from cohorts.controls.models import Sanction
    from tests import factories
    from tests.controls import factories as controls

    officer = factories.IomOfficerFactory()
    today = datetime.date.today()
    licence = controls.LicenceFactory(
        created_by=officer,
        release_date=today - datetime.timedelta(days=300),
        licence_expiry_date=today + datetime.timedelta(days=300),
        sentence_expiry_date=today + datetime.timedelta(days=300),
    )
    nominal = licence.nominal
    conditions = [controls.LicenceConditionFactory(licence=licence) for _ in range(8)]
    breaches = [
        controls.BreachFactory(
            licence=licence,
            condition=conditions[i % len(conditions)],
            occurred_on=today - datetime.timedelta(days=5 * i + 1),
            evidence=f"Breach {i}: missed an appointment and was not at the approved address.",
        )
        for i in range(50)
    ]
    for i in range(100):
        positive = i % 7 == 0
        controls.DrugTestFactory(
            licence=licence,
            tested_on=today - datetime.timedelta(days=3 * i + 1),
            outcome="positive" if positive else ("failed-to-attend" if i % 11 == 0 else "negative"),
            class_a_substances="Opiates" if positive else "",
            other_substances="Cannabis" if i % 3 == 0 else "",
        )
    for level in (1, 2):
        Sanction.objects.create(
            nominal=nominal, licence=licence, breach=breaches[-level], level=level,
            issued_on=today - datetime.timedelta(days=100 // level), issued_by=officer,
        )  # fmt: skip
    controls.RecallFactory(breach=breaches[0])
    for kind in ("report", "residence", "exclusion-zone", "sector-target", "cbo"):
        controls.ControlMeasureFactory(nominal=nominal, kind=kind, created_by=officer)
    convictions = 0
    try:
        offence_model = apps.get_model("risk", "DetectedOffence")
        offence_type_model = apps.get_model("risk", "OffenceType")
    except LookupError:
        offence_model = None
    if offence_model is not None:
        offence_type = offence_type_model.objects.order_by("pk").first()
        if offence_type is not None:
            offence_model.objects.bulk_create(
                offence_model(
                    nominal=nominal,
                    source="benchmark",
                    external_ref=f"B{i}",
                    committed_on=today - datetime.timedelta(days=20 * i + 1),
                    offence_type=offence_type,
                    outcome="convicted",
                    sanction="conviction",
                    sanction_date=today - datetime.timedelta(days=20 * i),
                )
                for i in range(30)
            )
            convictions = 30
    return nominal, officer, convictions


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iom.settings")
    import logging

    import django

    django.setup()
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    from reports.documents.render import render_pdf
    from reports.documents.sources import gather
    from reports.models import DocumentKind

    old = setup_databases(verbosity=0, interactive=False)
    try:
        nominal, officer, convictions = build_person()
        print(
            f"Database: {connection.vendor}. One person: 50 breaches, 100 drug tests, "
            f"{convictions} convictions{'' if convictions else ' (no offending history)'}, "
            f"repeat {args.repeat}."
        )
        render_pdf(DocumentKind.RAG, gather(nominal.pk, requested_by=officer))  # warm fonts
        header = ("Document", "gather ms", "render ms", "total ms", "pages", "KiB", "target")
        print(f"{header[0]:<26}" + "".join(f"{cell:>11}" for cell in header[1:]))
        failed = False
        for kind in DocumentKind:
            gathers, renders = [], []
            for _ in range(args.repeat):
                start = time.perf_counter()
                data = gather(nominal.pk, requested_by=officer)
                middle = time.perf_counter()
                pdf, pages = render_pdf(kind, data)
                end = time.perf_counter()
                gathers.append(middle - start)
                renders.append(end - middle)
            g, r = statistics.median(gathers) * 1000, statistics.median(renders) * 1000
            met = statistics.median(a + b for a, b in zip(gathers, renders, strict=True)) * 1000
            verdict = "PASS" if met <= TARGET_MS else "FAIL"
            failed = failed or verdict == "FAIL"
            print(
                f"{kind.label:<26}{g:>11.0f}{r:>11.0f}{g + r:>10.0f}{pages:>7}{len(pdf) // 1024:>7}"
                f"{verdict:>8}"
            )
    finally:
        teardown_databases(old, verbosity=0)
    print(f"Target: median under {TARGET_MS} ms each: {'FAIL' if failed else 'PASS'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
