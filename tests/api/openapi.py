"""The API's OpenAPI schema, as the service serves it, loaded into schemathesis; and the
sign-in that the schema tests send with each request."""

import json
import secrets
from dataclasses import dataclass

import requests
import schemathesis
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from schemathesis import checks

# What the tests hold every response to: no server error, and the status code, the content
# type, the headers and the body that the schema documents for the operation.
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]


def raw_schema() -> dict:
    """The schema that /api/schema/ serves (it is the same for every user)."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(schema, renderer_context={}))


def load(**config) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_dict(
        raw_schema(), config=schemathesis.Config.from_dict(config)
    )


@dataclass
class Session:
    """A signed-in browser session: its cookie, and a CSRF token for writes."""

    cookies: dict
    headers: dict

    @classmethod
    def of(cls, user) -> "Session":
        client = Client()
        client.force_login(user)
        token = secrets.token_hex(16)  # 32 characters: an unmasked CSRF secret
        return cls(
            cookies={"sessionid": client.cookies["sessionid"].value, "csrftoken": token},
            headers={"X-CSRFToken": token},
        )


def as_checked(response, method: str, path: str):
    """A Django test client's response in the form schemathesis validates."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    request = requests.Request(method=method, url=f"http://testserver{path}").prepare()
    return schemathesis.Response(
        status_code=response.status_code,
        headers={name: [value] for name, value in response.headers.items()},
        content=body,
        request=request,
        elapsed=0.0,
        verify=False,
    )
