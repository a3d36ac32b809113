"""Headless Chromium for the browser tests, driven by Playwright against pytest-django's
live server (a real HTTP server on a test database, serving the static files too)."""

import os
from pathlib import Path

import pytest
from django.db import DEFAULT_DB_ALIAS, connections

CHROMIUM = Path(os.environ.get("IOM_CHROMIUM", "/usr/bin/chromium"))
# Without these, Chromium stalls on a machine without a network, a GPU or a user namespace.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items):
    """Run the browser tests last: the browser stays open until the end of the session and,
    with it, the event loop of Playwright's synchronous API (see ``browser``)."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    # Playwright's synchronous API runs an asyncio loop in this thread while it is open, so
    # Django takes the tests' (synchronous) database calls for calls from async code and
    # refuses them. They are not: allow them for as long as the browser is open.
    # The reference data of the migrations, kept by the test database's connection so that
    # tests which commit can restore it (serialized rollback). Once Playwright runs, Django
    # sees another context and so another connection object: hand it the same snapshot.
    snapshot = getattr(connections[DEFAULT_DB_ALIAS], "_test_serialized_contents", None)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            if snapshot is not None:
                connections[DEFAULT_DB_ALIAS]._test_serialized_contents = snapshot
            yield browser
            browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()
