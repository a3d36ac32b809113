"""How other systems sign in to the API."""

from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication


class SystemAccountTokenAuthentication(TokenAuthentication):
    """A token signs in only an account marked as a system account.

    A person signs in with a password and a second factor; a token of theirs would skip the
    second factor, so it is refused even if one was issued.
    """

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if not user.is_system_account:
            raise exceptions.AuthenticationFailed(
                "API tokens are accepted only for system accounts. People use the API from "
                "a signed-in browser session."
            )
        return user, token
