"""The risk bands as GOV.UK tags and the OGRS3 cell, for templates (``cohorts.risk.cells``)."""

from django import template

from cohorts.risk import cells

register = template.Library()

register.filter("band_tag", cells.band_tag)
register.filter("ogrs3_band_tag", cells.ogrs3_band_tag)
register.filter("ogrs3_cell", cells.ogrs3_cell)
