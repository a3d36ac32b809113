"""The cohort's tags and the cohort list's rows, for templates (``cohorts.cells``)."""

from django import template

from cohorts import cells

register = template.Library()

register.filter("membership_tag", cells.membership_tag)
register.filter("engagement_tag", cells.engagement_tag)
register.simple_tag(cells.cohort_rows, name="cohort_rows")
register.simple_tag(cells.audit_rows, name="audit_rows")
