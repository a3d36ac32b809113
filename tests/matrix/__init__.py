"""The permission matrix: every URL and API operation, as every kind of user, on a person
shared with no one outside the IOM unit and on a person shared with some teams.

The URLs come from the URL configuration and the OpenAPI schema, so a new page or endpoint
is walked without anyone remembering to add it; one the matrix does not know how to build
fails the suite (``test_coverage.py``).
"""
