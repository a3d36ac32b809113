"""The Django admin, as the service's administrators use it, passes axe and fits the screen.

The demo's administrator (staff, not a superuser) opens every page the admin offers them: the
index, each model's list, its add form and the change form of one of its records (the agency
pathway settings with their inline of pathways); then a list searched, the sharing agreement's
add form submitted empty, in its error state, and the set-password links a user action issues.
On each, at 1280 px and at 320 px wide: axe-core (WCAG 2.2 A and AA plus best practice, as on
the service's own pages) finds no violation of any impact, and the page is no wider than the
window (``scrollWidth <= innerWidth``).

One data set (the demo's agencies, teams, users and agreements, and a record of each kind the
admin lists) and one page for the whole walk; the page is resized, not reloaded, between the
two widths.
"""

from __future__ import annotations

import datetime
import io
import random

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from cohorts.models import NeighbourhoodPolicingArea
from cohorts.risk.models import RankingRun
from iom import demo, services
from iom.models import Agency, Role, User
from pathways.models import AgencyPathwaySettings
from pathways.services import configure_agencies
from reports.models import CohortReport
from tests.e2e import test_pages_fit_and_pass_axe as main_pages
from tests.e2e.test_pages_fit_and_pass_axe import AXE_TAGS, AXE_URL, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]

WIDTHS = (1280, 320)
ADDRESS = "198.51.100.23"
# One browser page, with axe-core served from the live server's origin.
axe_page = main_pages.axe_page


@pytest.fixture
def configuration(live_server) -> User:
    """The demo's organisations and a record of every kind the administrator may open."""
    demo.seed(random.Random(0), io.StringIO())
    configure_agencies(Agency.objects.all())
    administrator = User.objects.get(username="admin")
    police = administrator.agency
    NeighbourhoodPolicingArea.objects.get_or_create(name="City Centre", defaults={"area": "city"})
    system = services.create_user(
        username="case-feed", password=None, agency=police, role=Role.PARTNER_WORKER
    )
    User.objects.filter(pk=system.pk).update(is_system_account=True)
    Token.objects.create(user=system)
    today = timezone.localdate()
    RankingRun.objects.create(kind="nightly", run_date=today, status="succeeded", people_scored=3)
    CohortReport.objects.create(
        period_start=today.replace(day=1) - datetime.timedelta(days=30),
        period_end=today.replace(day=1) - datetime.timedelta(days=1),
        trigger="monthly",
        fingerprint="0" * 64,
    )
    seen = {"username": "officer.police", "ip_address": ADDRESS, "user_agent": "Firefox"}
    seen |= {"http_accept": "text/html", "path_info": "/sign-in/"}
    AccessAttempt.objects.create(**seen, get_data="", post_data="", failures_since_start=3)
    AccessFailureLog.objects.create(**seen)
    AccessLog.objects.create(**seen)
    return administrator


def admin_pages(administrator: User) -> list[str]:
    """Every page the admin offers the administrator: the index, and for each model they may
    see its list, its add form when they may add, and one record's change (or view) form."""
    request = RequestFactory().get(reverse("admin:index"))
    request.user = administrator
    pages = [reverse("admin:index")]
    for model, model_admin in sorted(
        admin.site._registry.items(), key=lambda item: item[0]._meta.label
    ):
        if not model_admin.has_view_or_change_permission(request):
            continue
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        pages.append(reverse(f"{name}_changelist"))
        if model_admin.has_add_permission(request):
            pages.append(reverse(f"{name}_add"))
        record = model_admin.get_queryset(request).order_by("pk").first()
        assert record is not None, f"No {model._meta.verbose_name} to open"
        pages.append(reverse(f"{name}_change", args=[record.pk]))
    return pages


def axe_violations(page, label: str) -> list[str]:
    """axe's violations, of any impact, on the page as it is now. axe is added to a page once
    and run again at the other width."""
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.add_script_tag(url=AXE_URL)
    violations = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {
                runOnly: {type: "tag", values: tags}, resultTypes: ["violations"],
            });
            return result.violations.map((v) => ({
                id: v.id, impact: v.impact, count: v.nodes.length,
                nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
            }));
        }""",
        AXE_TAGS,
    )
    return [
        f"{label}: {v['impact']} {v['id']} ({v['count']}: {', '.join(v['nodes'])})"
        for v in violations
    ]


def too_wide(page, label: str) -> list[str]:
    width, window = page.evaluate("() => [document.documentElement.scrollWidth, innerWidth]")
    return [f"{label} is {width} px wide"] if width > window else []


def at_every_width(page, label: str) -> list[str]:
    """axe's violations and the overflow of the page as it is now, at each width."""
    found = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        found += too_wide(page, f"{label} at {width} px")
        found += axe_violations(page, f"{label} at {width} px")
    return found


def test_every_admin_page_passes_axe_and_fits_at_1280_and_320_px(axe_page, configuration):
    page = axe_page
    pages = admin_pages(configuration)
    # The change form with an inline: an agency's pathway settings and the pathways it delivers.
    settings = AgencyPathwaySettings.objects.filter(pathways__isnull=False).order_by("pk").first()
    assert reverse("admin:pathways_agencypathwaysettings_change", args=[settings.pk]) in pages
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})
    sign_in(page, configuration.username)
    found = []
    for path in pages:
        response = page.goto(path)
        assert response.status == 200, path
        found += at_every_width(page, path)

    page.set_viewport_size({"width": WIDTHS[0], "height": 900})
    searched = reverse("admin:iom_agency_changelist") + "?q=police"
    page.goto(searched)
    found += at_every_width(page, searched)

    form = reverse("admin:iom_sharingagreement_add")
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})
    page.goto(form)
    page.locator("#content-main form input[type=submit][name=_save]").click()
    page.wait_for_load_state()
    assert page.locator(".errornote").count(), "The empty agreement was not refused"
    found += at_every_width(page, f"{form} (submitted empty)")

    # The page of set-password links, the admin's one page drawn by the service.
    officer = User.objects.get(username="officer.police")
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})
    page.goto(reverse("admin:iom_user_changelist"))
    page.locator(f"input[name=_selected_action][value='{officer.pk}']").check()
    page.select_option("select[name=action]", "issue_set_password_links")
    page.locator("button[name=index]").click()
    page.wait_for_load_state()
    assert page.locator("td code").count() == 1, "No set-password link was issued"
    found += at_every_width(page, "The set-password links")

    assert not found, f"On {len(pages) + 3} admin pages:\n" + "\n".join(found)
