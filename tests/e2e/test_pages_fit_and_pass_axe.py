"""Every main page fits the screen and passes axe, on the demo area, in a real browser.

- Reflow (WCAG 2.2 1.4.10): at 1280 px and at 320 px wide, no page is wider than the window
  (``document.documentElement.scrollWidth <= window.innerWidth``); a wide table scrolls inside
  its own container instead, except the cohort list and the referrals list, which at 320 px
  show each row as a block of its own and so never scroll. The tables that do scroll at 320 px
  are printed. With IOM_SCREENSHOTS naming a folder, a full-page screenshot of each page at
  each width is kept there, to be looked at (they cost about a fifth of the test's time, so
  they are taken only when asked for).
- axe-core (node_modules/axe-core, pinned in package.json; IOM_AXE_CORE names another copy) on
  every main page and form, forms in their empty and their error state, as an officer, a
  partner and a manager, at 1280 px; and on every main page again at 320 px, where the pages
  are laid out differently: WCAG 2.2 A and AA plus best
  practice, no violation of any impact on the service's own pages, none serious or critical on
  the pages of the Django admin and Swagger UI. The content security policy allows no inline
  script, so axe is served from the page's own origin (a Playwright route) and added as a
  script URL.

The demo area (seed_demo) is seeded once, for the one test that visits every page: it is the
richest data there is, and a person's page then shows what a real one does.
"""

from __future__ import annotations

import io
import os
import re
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse

from cohorts import list_queries
from cohorts.controls.models import Recall
from iom.demo.results import PASSWORD
from iom.models import User
from pathways.models import PlanPathway
from referrals.models import PanelMeeting, Referral
from reports import monthly
from reports.models import CohortReport

# The test seeds the demo area and visits some seventy pages at two widths: on a busy machine
# that is more than the suite's default limit of 300 s (on an idle one, about two minutes).
pytestmark = [pytest.mark.browser, pytest.mark.timeout(900)]

AXE_CORE = Path(
    os.environ.get("IOM_AXE_CORE", Path(settings.BASE_DIR) / "node_modules/axe-core/axe.min.js")
)
AXE_URL = "/__axe-core/axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
SHOTS = Path(os.environ["IOM_SCREENSHOTS"]) if os.environ.get("IOM_SCREENSHOTS") else None
WIDTHS = (1280, 320)
# Pages the service does not draw itself: the Django admin and Swagger UI. Nothing serious or
# critical there; the service's own pages have no violation at all.
NOT_OURS = ("/admin/", "/api/docs/")


@pytest.fixture
def demo(live_server, monkeypatch):
    # The tests' tasks run inline, so the demo's cohort report would be built while seeding,
    # the longest part of it: its page is looked at queued (building it is tested elsewhere).
    monkeypatch.setattr(
        monthly, "build_report", lambda report_id, **kwargs: CohortReport.objects.get(pk=report_id)
    )
    started = time.perf_counter()
    call_command("seed_demo", stdout=io.StringIO())
    print(f"seed_demo took {time.perf_counter() - started:.1f} s")


@pytest.fixture
def axe_page(browser, live_server):
    if not AXE_CORE.exists():
        pytest.skip(f"axe-core is not installed at {AXE_CORE} (npm ci; it is in package.json)")
    source = AXE_CORE.read_text()
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(20_000)
    context.route(
        f"**{AXE_URL}",
        lambda route: route.fulfill(body=source, content_type="application/javascript"),
    )
    page = context.new_page()
    yield page
    context.close()


def sign_in(page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/sign-in/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/sign-in/" not in url)


def open_page(page, path: str):
    response = page.goto(path)
    if path.startswith("/api/docs/"):
        page.wait_for_selector(".opblock-tag")
    return response


def axe_violations(page, path: str) -> list[str]:
    """axe's violations on the page as it is now, as lines to read; on a page the service
    does not draw, only the serious and critical ones."""
    page.add_script_tag(url=AXE_URL)
    violations = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
            // GOV.UK Frontend's conditional reveal marks a radio that reveals content with
            // aria-expanded, which ARIA does not list for role radio: the component's own
            // choice, not the page's, so it alone is left out.
            const revealing = (v, n) => v.id === "aria-allowed-attr"
                && document.querySelector(n.target.join(" "))
                    ?.matches(".govuk-radios__input[aria-controls][aria-expanded]");
            return result.violations.map((v) => {
                const nodes = v.nodes.filter((n) => !revealing(v, n));
                return {
                    id: v.id, impact: v.impact,
                    nodes: nodes.slice(0, 3).map((n) => n.target.join(" ")),
                    count: nodes.length,
                };
            }).filter((v) => v.count > 0);
        }""",
        AXE_TAGS,
    )
    if path.startswith(NOT_OURS):
        violations = [v for v in violations if v["impact"] in ("serious", "critical")]
    return [
        f"{path}: {v['impact']} {v['id']} ({v['count']}: {', '.join(v['nodes'])})"
        for v in violations
    ]


def overflow(page, path: str, width: int) -> list[str]:
    page.set_viewport_size({"width": width, "height": 900})
    open_page(page, path)
    sizes = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"
        page.screenshot(path=SHOTS / f"{name}-{width}.png", full_page=True)
    if sizes[0] > sizes[1]:
        return [f"{path} at {width} px is {sizes[0]} px wide"]
    return []


def scrolling_tables(page, path: str) -> list[str]:
    """The tables of the page as it is now that are wider than their container, which then
    scrolls sideways."""
    tables = page.evaluate(
        """() => [...document.querySelectorAll(".app-table-container")]
            .filter((container) => container.scrollWidth > container.clientWidth)
            .map((container) => {
                const caption = container.querySelector("caption");
                const name = caption ? caption.textContent.trim().replace(/\\s+/g, " ") : "";
                const sizes = `${container.scrollWidth} px in ${container.clientWidth}`;
                return `${name || "a table"} (${sizes})`;
            })"""
    )
    return [f"{path}: {table}" for table in tables]


def submit_empty(page, path: str) -> list[str]:
    """Submits the page's main form as it stands, to see it in its error state."""
    buttons = page.locator(
        "main form[method=post] button[type=submit], main form[method=post] input[type=submit]"
    )
    if not buttons.count():
        return [f"{path}: no form to submit on {page.url}"]
    buttons.first.click()
    page.wait_for_load_state()
    return []


def person_pages(pk: int) -> list[str]:
    names = ["nominal", "offending", "risk", "controls", "contacts", "sharing", "audit"]
    return [
        *(reverse(f"cohorts:{name}", args=[pk]) for name in names),
        reverse("pathways:plan", args=[pk]),
        reverse("reports:documents", args=[pk]),
    ]


def officer_pages() -> tuple[list[str], list[str]]:
    """(pages, forms) an IOM officer works with, on a person with a recall in progress."""
    with_plan = PlanPathway.objects.values("nominal_id")
    recall = (
        Recall.objects.select_related("nominal")
        .filter(nominal_id__in=with_plan)
        .order_by("pk")
        .first()
    )
    pk = recall.nominal_id
    pathway = PlanPathway.objects.filter(nominal_id=pk).order_by("pk").first().pathway
    referral = Referral.objects.order_by("pk").first()
    pages = [
        reverse("cohorts:list"),
        reverse("cohorts:list") + "?stream=sac&engagement=engaged",
        *person_pages(pk),
        reverse("cohorts:controls-licence", args=[pk, recall.licence_id]),
        reverse("cohorts:controls-recall", args=[pk, recall.pk]),
        reverse("reports:my-work"),
        reverse("referrals:list"),
        reverse("referrals:detail", args=[referral.pk]),
        reverse("referrals:panels"),
        reverse("referrals:panel", args=[PanelMeeting.objects.order_by("-pk").first().pk]),
        reverse("cohorts:emerging-threats"),
        reverse("cohorts:risk-runs"),
        reverse("cohorts:intelligence-submissions"),
        "/api/docs/",
    ]
    forms = [
        reverse("cohorts:person-new"),
        reverse("cohorts:edit", args=[pk]),
        reverse("cohorts:engagement", args=[pk]),
        reverse("cohorts:aliases", args=[pk]),
        reverse("cohorts:offender-managers", args=[pk]),
        reverse("cohorts:risk-override", args=[pk]),
        reverse("cohorts:factor-new", args=[pk]),
        reverse("cohorts:custody-new", args=[pk]),
        reverse("cohorts:arrest-new", args=[pk]),
        reverse("cohorts:detection-new", args=[pk]),
        reverse("cohorts:intelligence-new", args=[pk]),
        reverse("cohorts:controls-licence-new", args=[pk]),
        reverse("cohorts:controls-breach-new", args=[pk]),
        reverse("cohorts:controls-sanction-new", args=[pk]),
        reverse("cohorts:controls-test-new", args=[pk]),
        reverse("cohorts:controls-measure-new", args=[pk]),
        reverse("cohorts:contact-new", args=[pk]),
        reverse("pathways:action-new", args=[pk, pathway]),
        reverse("pathways:review-new", args=[pk, pathway]),
        reverse("pathways:pathway-edit", args=[pk, pathway]),
        reverse("referrals:new"),
        reverse("password-change"),
    ]
    return pages, forms


def manager_pages() -> tuple[list[str], list[str]]:
    report = CohortReport.objects.order_by("-pk").first()
    pages = [
        reverse("reports:index"),
        reverse("reports:cohort-reports"),
        *([reverse("reports:cohort-report", args=[report.pk])] if report else []),
        reverse("reports:geography"),
        reverse("cohorts:offending-imports"),
        reverse("agreements"),
        reverse("status"),
    ]
    return pages, [reverse("referrals:panel-new")]


def partner_pages(user) -> tuple[list[str], list[str]]:
    # A person with a pathway the partner's agency delivers, which the partner may add to.
    visible = list_queries.cohort_list(user, list_queries.CohortFilters()).values("pk")
    pathway = (
        PlanPathway.objects.filter(nominal__in=visible, contact_agency=user.agency)
        .order_by("pk")
        .first()
    )
    nominal = (
        pathway.nominal
        if pathway
        else list_queries.cohort_list(user, list_queries.CohortFilters())[0]
    )
    pages = [
        reverse("cohorts:list"),
        reverse("cohorts:nominal", args=[nominal.pk]),
        reverse("pathways:plan", args=[nominal.pk]),
        reverse("reports:my-work"),
        reverse("referrals:list"),
    ]
    forms = [reverse("pathways:action-new", args=[nominal.pk, pathway.pathway])] if pathway else []
    return pages, forms


def admin_configuration_pages() -> list[str]:
    """The configuration the service's administrators keep in the admin: agencies, teams,
    users, the cohort's settings and unit costs."""
    wanted = re.compile(r"agency|team|user|config|cost|setting", re.IGNORECASE)
    changelists = sorted(
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
        if wanted.search(model.__name__) and model._meta.app_label != "auth"
    )
    return [reverse("admin:index"), *changelists]


def test_every_main_page_fits_and_passes_axe_at_1280_and_320_px_as_officer_partner_and_manager(
    demo, axe_page
):
    """One pass over the pages (the demo is seeded once): each main page at 1280 px and again
    at 320 px, where a small screen lays it out differently (tables without some columns, the
    filters above the list, the header wrapped), must fit and pass axe; each form, at 1280 px,
    empty and then submitted empty. The admin's configuration pages must fit (axe runs on the
    admin in test_admin_passes_axe)."""
    page = axe_page
    # The lists that show each row as a block of its own on a phone.
    stacked = {reverse("cohorts:list"), reverse("referrals:list")}
    too_wide, found, scrolling = [], [], []

    page.set_viewport_size({"width": max(WIDTHS), "height": 900})
    open_page(page, "/sign-in/")
    found += axe_violations(page, "/sign-in/")
    page.fill("#id_username", "officer.police")
    page.fill("#id_password", "not the password")
    page.get_by_role("button", name="Sign in").click()
    found += axe_violations(page, "/sign-in/ (error)")

    partner = User.objects.get(username="drugs.worker")
    for username, (pages, forms), with_axe in (
        ("officer.police", officer_pages(), True),
        ("drugs.worker", partner_pages(partner), True),
        ("manager.police", manager_pages(), True),
        # The Django admin as it comes, for the service's administrators: it must fit.
        ("admin", (admin_configuration_pages(), []), False),
    ):
        sign_in(page, username)
        for path in pages:
            for width in sorted(WIDTHS, reverse=True):
                too_wide += overflow(page, path, width)
                if with_axe:
                    found += axe_violations(page, f"{path} at {width} px as {username}")
            # The page is still open at the smallest width.
            scrolling += scrolling_tables(page, path)
        page.set_viewport_size({"width": max(WIDTHS), "height": 900})
        for path in forms:
            open_page(page, path)
            found += axe_violations(page, f"{path} as {username}")
            found += submit_empty(page, path)
            found += axe_violations(page, f"{path} as {username} (submitted empty)")

    print(f"Tables that scroll sideways at {min(WIDTHS)} px:", *scrolling, sep="\n  ")
    assert not too_wide, "Pages wider than the window:\n" + "\n".join(too_wide)
    assert not found, "axe found:\n" + "\n".join(found)
    lists = [line for line in scrolling if line.partition(":")[0].partition("?")[0] in stacked]
    assert not lists, "Lists stacked on a phone scroll sideways:\n" + "\n".join(lists)
