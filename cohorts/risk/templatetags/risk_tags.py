"""The risk bands as GOV.UK tags, the OGRS3 cell and the risk history, for templates
(``cohorts.risk.cells``)."""

from django import template

from cohorts.risk import cells

register = template.Library()

register.filter("band_tag", cells.band_tag)
register.filter("ogrs3_band_tag", cells.ogrs3_band_tag)
register.filter("ogrs3_cell", cells.ogrs3_cell)
# The history's sixty rows and dots, drawn in Python like the lists' cells.
register.filter("history_rows", cells.history_rows)
register.filter("chart_points", cells.chart_points)
