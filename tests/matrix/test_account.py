"""The user's own sign-in pages (sign in, the second factor, setting it up, signing out), as
every persona: they answer as they should and show no one's record. They change the
persona's own sign-in state, so each is sent by a client of its own and rolled back."""

import pytest
from django.db import transaction
from django.urls import reverse

from . import routes, walk
from .personas import PERSONAS, forbidden

pytestmark = pytest.mark.usefixtures("db")

# (URL name, method): what a signed-in user and a visitor get. A system account's token does
# not sign in to pages: it is a visitor there.
ACCOUNT_PAGES = {
    ("login", "get"): ((302,), (200,)),  # a signed-in user is sent on
    ("login", "post"): ((302,), (200,)),  # an empty form: shown again
    ("mfa-verify", "get"): ((200,), ("sign-in",)),
    ("mfa-verify", "post"): ((200,), ("sign-in",)),  # an empty form: shown again
    ("mfa-setup", "get"): ((200,), ("sign-in",)),
    ("mfa-setup", "post"): ((200,), ("sign-in",)),
    ("logout", "post"): ((302,), (302,)),
    ("password-change", "get"): ((200,), ("sign-in",)),
    ("password-change", "post"): ((400, 200), ("sign-in",)),  # an empty form: shown again
    # A link that is no one's: refused, whoever follows it.
    ("password-set", "get"): ((200, 400, 404), (200, 400, 404)),
    ("password-set", "post"): ((200, 400, 404), (200, 400, 404)),
}


@pytest.mark.parametrize("page", ACCOUNT_PAGES, ids=lambda p: f"{p[1].upper()} {p[0]}")
@pytest.mark.parametrize("persona", PERSONAS, ids=str)
def test_account_pages(world, persona, page):
    name, method = page
    signed_in = persona.signed_in and not persona.by_token
    user = world.world.users[persona.key] if signed_in else None
    with transaction.atomic():
        url = reverse(name, kwargs=routes.PAGES[name].extra or None)
        answer = walk.send(walk.client_for(user), method, url, {}, api=False)
        transaction.set_rollback(True)
    expected = ACCOUNT_PAGES[page][0 if signed_in else 1]
    if expected == ("sign-in",):
        assert answer.status == 302 and answer.location.startswith(reverse("login")), answer
    else:
        assert answer.status in expected, f"{method.upper()} {name} answered {answer}"
    assert not walk.leaks(answer, forbidden(persona, world.world))
