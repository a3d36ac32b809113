"""Offending history and the risk of the people managed: the Red/Amber/Green ranking and OGRS3.

A Django app of its own (label ``risk``) inside ``cohorts``: it stands on the cohort's people
and memberships and nothing above them.
"""
