"""The REST API's settings (Django REST framework and drf-spectacular's OpenAPI schema), imported
by ``iom.settings``: they describe the API, so they live with it."""

REST_FRAMEWORK = {
    # People use the API from a signed-in browser session (two-factor verified); partner
    # agencies' systems use a token issued to a system account by an administrator.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "iom.api.authentication.SystemAccountTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # DRF's own three, with a JSON parser that refuses absurdly nested bodies with 400.
    "DEFAULT_PARSER_CLASSES": [
        "iom.api.parsers.DepthLimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # django-filter's, with the choices of a filter on a person limited to those one may see.
    "DEFAULT_FILTER_BACKENDS": ["iom.api.filters.VisibleChoicesFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    # Every operation's schema documents its 400, 403, 404 and 409 bodies, one shape each.
    "DEFAULT_SCHEMA_CLASS": "iom.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "iom.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "IOM case management API",
    "DESCRIPTION": (
        "Read and update the records of the Integrated Offender Management cohort. Every "
        "response is filtered to what the signed-in user's agency may see, and every read of a "
        "person's record is written to the audit log as a disclosure."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and the docs describe the records the service holds: signed-in users only.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    # No deep links: Swagger UI puts each inside the operation's toggle button, a link inside
    # a button that keyboard and screen reader users cannot tell apart (axe: nested-interactive).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False, "syntaxHighlight": {"activated": False}},
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets of fields that share a name ("kind") across the apps.
    "ENUM_NAME_OVERRIDES": {
        "CustodyKindEnum": "cohorts.risk.models.CustodyKind",
        "TaskKindEnum": "cohorts.models.tasks.TaskKind",
        "RecallAlternativeKindEnum": "cohorts.controls.models.AlternativeKind",
        "RecallGroundsEnum": "cohorts.controls.models.RecallGrounds",
    },
}
