"""Every page has its own title, and a page that shows errors says so first: "Error: ..."."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests import factories

TEMPLATES = Path(settings.BASE_DIR) / "templates"
SUMMARY = re.compile(r'{%\s*include\s+"components/error_summary.html"(?:\s+with\s+form=(\w+))?')
TITLE = re.compile(r"{%\s*block title\s*%}(.*?){%\s*endblock\s*%}", re.S)
EXTENDS = re.compile(r'{%\s*extends\s+"([^"]+)"')


def _templates():
    return sorted(p for p in TEMPLATES.rglob("*.html") if "admin" not in p.parts)


def _is_page(text: str) -> bool:
    """Whether a template is a page: it extends the layout, directly or through another page
    (nominal_base). A table that extends components/table.html is a part of a page."""
    seen = set()
    while (match := EXTENDS.search(text)) and match.group(1) not in seen:
        if match.group(1) == "layout/base.html":
            return True
        seen.add(match.group(1))
        text = (TEMPLATES / match.group(1)).read_text()
    return False


def test_every_template_with_an_error_summary_prefixes_its_title():
    missing = []
    for path in _templates():
        text = path.read_text()
        forms = SUMMARY.findall(text)
        if not forms or path.parent.name == "components":
            continue
        title = TITLE.search(text)
        if title is None:
            missing.append(f"{path.relative_to(TEMPLATES)}: no title of its own")
            continue
        for form in forms:
            if not form:
                missing.append(f"{path.relative_to(TEMPLATES)}: error summary without form=")
            elif f"{form}.errors" not in title.group(1):
                missing.append(f"{path.relative_to(TEMPLATES)}: title ignores {form}.errors")
    assert not missing, missing


def test_every_page_template_that_is_not_a_section_has_its_own_title():
    """Pages of a person's record take the title of their section from nominal_base; a page
    that is not one of the sections (a form) names itself."""
    sections = {"nominal_summary.html", "nominal_audit.html", "risk_section.html",
                "offending_section.html", "controls.html", "log.html", "plan.html"}  # fmt: skip
    untitled = []
    for path in _templates():
        text = path.read_text()
        if not _is_page(text):
            continue
        if TITLE.search(text) is None and path.name not in sections:
            untitled.append(str(path.relative_to(TEMPLATES)))
    assert not untitled, untitled


def _title(response) -> str:
    match = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S)
    return " ".join(match.group(1).split())


@pytest.fixture
def member(officer):
    return factories.members(1)[0]


@pytest.mark.parametrize(
    ("url_name", "data", "expected"),
    [
        ("cohorts:engagement", {}, "Error: Record engagement – Person's record"),
        ("cohorts:membership", {"status": "1"}, "Error: Cohort membership – Person's record"),
        ("cohorts:edit", {}, "Error: Change details – Person's record"),
        ("cohorts:aliases", {}, "Error: Aliases – Person's record"),
        ("cohorts:sharing", {"share": "1"}, "Error: Sharing – Person's record"),
        ("cohorts:offender-managers", {}, "Error: Offender managers – Person's record"),
        ("reports:documents", {}, "Error: Documents – Person's record"),
        (
            "cohorts:risk-override",
            {"action": "set"},
            "Error: Override the risk band – Person's record",
        ),
    ],
)
def test_a_persons_form_with_errors_has_its_own_error_title(
    client, officer, member, url_name, data, expected
):
    client.force_login(officer)
    url = reverse(url_name, kwargs={"pk": member.pk})
    before = _title(client.get(url))
    assert "Summary" not in before
    assert before == expected.removeprefix("Error: ") + " – " + settings.IOM_SERVICE_NAME
    # A browser always sends the CSRF token: an empty form is never an empty POST.
    response = client.post(url, {"csrfmiddlewaretoken": "x", **data})
    assert response.status_code in (200, 400), response.status_code
    assert _title(response).startswith(expected), _title(response)


def test_geography_with_errors_says_so_in_its_title(client, manager):
    client.force_login(manager)
    response = client.get(reverse("reports:geography"), {"start_day": "40", "start_month": "2"})
    assert response.status_code == 400
    assert _title(response).startswith("Error: Geography – Reports")


def test_adding_a_person_with_errors_says_so_in_its_title(client, officer):
    client.force_login(officer)
    response = client.post(reverse("cohorts:person-new"), {"csrfmiddlewaretoken": "x"})
    assert _title(response).startswith("Error: Add a person")
