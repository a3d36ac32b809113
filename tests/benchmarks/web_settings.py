"""Settings of the web benchmark's server: production's, plus an admin changelist of people
(``web_urls``) for the baseline the issue compares the cohort list with. Never deployed."""

from iom.settings import *  # noqa: F403

ROOT_URLCONF = "tests.benchmarks.web_urls"
