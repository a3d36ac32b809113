"""REST API for control measures: read through the access gate (every read a disclosure),
record through the same services as the pages. Licences, breaches, drug tests and control
measures are in ``records``; recalls in ``recalls``."""

from .recalls import RecallViewSet
from .records import BreachViewSet, ControlMeasureViewSet, DrugTestViewSet, LicenceViewSet

# The routes this app adds under /api/ (collected by iom/api/urls.py): prefix, viewset, name.
ROUTES = [
    ("licences", LicenceViewSet, "licence"),
    ("breaches", BreachViewSet, "breach"),
    ("drug-tests", DrugTestViewSet, "drug-test"),
    ("control-measures", ControlMeasureViewSet, "control-measure"),
    ("recalls", RecallViewSet, "recall"),
]
