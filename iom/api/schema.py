"""The OpenAPI schema of every operation documents the refusals it can answer with, so that a
client (and the schema tests) knows each body: a new endpoint gets them without anyone
remembering to add them."""

from collections.abc import Mapping

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import force_instance
from drf_spectacular.utils import PolymorphicProxySerializer

from .errors import ErrorSerializer, FieldErrorsSerializer, StaleVersionSerializer

# A 400 is either the fields refused, or a body refused whole (not JSON, nested too deep).
BAD_REQUEST = PolymorphicProxySerializer(
    component_name="BadRequest",
    serializers=[FieldErrorsSerializer, ErrorSerializer],
    resource_type_field_name=None,
)
WRITE_METHODS = {"POST", "PUT", "PATCH"}
UPDATE_METHODS = {"PUT", "PATCH"}


class AutoSchema(SpectacularAutoSchema):
    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        responses = operation["responses"]
        for code, (serializer, description) in self._refusals(operation).items():
            if code not in responses:
                responses[code] = {
                    **self._get_response_for_code(serializer, code),
                    "description": description,
                }
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def _refusals(self, operation) -> dict:
        refusals = {
            # Every operation needs a signed-in user, and most a role or a share.
            "403": (ErrorSerializer, "Not signed in, or not allowed to do this."),
        }
        queries = [p for p in operation.get("parameters", []) if p["in"] == "query"]
        if self.method in WRITE_METHODS or any(p["name"] != "page" for p in queries):
            refusals["400"] = (BAD_REQUEST, "The request was refused: the body says why.")
        if self.method in WRITE_METHODS:
            # DRF's answer to a body whose media type it cannot read, which a malformed
            # multipart body can also come to.
            refusals["415"] = (ErrorSerializer, "The body is not in a media type the API reads.")
        if "{" in self.path or any(p["name"] == "page" for p in queries):
            refusals["404"] = (ErrorSerializer, "No such record that you may see, or page.")
        elif self._names_a_person():
            refusals["404"] = (ErrorSerializer, "No such person that you may see or change.")
        if self._sends_version():
            refusals["409"] = (
                StaleVersionSerializer,
                "Someone changed the record since the version you sent.",
            )
        return refusals

    def _request_fields(self) -> dict:
        serializer = force_instance(self.get_request_serializer())
        fields = getattr(serializer, "fields", None)
        return fields if isinstance(fields, Mapping) else {}

    def _names_a_person(self) -> bool:
        """Whether the request's body names the person it is about: one the user may not
        see (or change) is not found, as in a URL."""
        if self.method != "POST":
            return False
        field = self._request_fields().get("nominal")
        return field is not None and not field.read_only

    def _sends_version(self) -> bool:
        """Whether the request carries the version the change is based on: an update that
        may send one, or an action on a record (a decision, a withdrawal) that must."""
        if self.method not in WRITE_METHODS:
            return False
        fields = self._request_fields()
        if "version" not in fields or fields["version"].read_only:
            return False
        return self.method in UPDATE_METHODS or fields["version"].required
