"""Control measures (Restrict, Protect): licences, breaches, sanctions and recall, testing on
licence, bail conditions, civil orders and targeted enforcement.

A Django app of its own (label ``controls``) inside ``cohorts``: it stands on the cohort's
people and nothing above them.
"""
