"""REST API for referrals and the panel, through the same services as the pages.

Referrals: create, list, read and withdraw (whoever may see the person). Panel meetings (the
IOM unit only): read one with its agenda and minutes, keep its minutes, record its actions.
Panel decisions: read them (whoever may see the person; the panel's minutes on a decision for
the IOM unit only) and record one (the IOM unit), amending the stream or lead agency.
"""

from .decisions import PanelDecisionViewSet
from .panels import PanelMeetingViewSet
from .referrals import ReferralViewSet

# The routes this app adds under /api/ (collected by iom/api/urls.py): prefix, viewset, name.
ROUTES = [
    ("referrals", ReferralViewSet, "referral"),
    ("panel-meetings", PanelMeetingViewSet, "panel-meeting"),
    ("panel-decisions", PanelDecisionViewSet, "panel-decision"),
]
