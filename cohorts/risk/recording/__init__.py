"""Recording and correcting arrests, detected offences and intelligence, and partners'
submissions of intelligence (docs/offending.md).

The rules of each record are written once, in ``rules`` (``check_arrest``, ``check_detection``,
``check_intelligence``), and so is the writing, in ``writing`` (``write_rows``): the pages, the
API and the CSV import (``importing``) all go through them. A correction bumps the row's
``version`` and keeps the old values in its audit event (``changes``), whether an officer or a
feed made it. ``records`` holds an officer's records and corrections, ``submissions`` what
partners submit, ``permissions`` who may do which.
"""

from .permissions import can_grade, can_record, can_submit_intelligence
from .records import (
    correct_arrest,
    correct_detection,
    correct_intelligence,
    record_arrest,
    record_detection,
    record_intelligence,
)
from .submissions import accept_submission, reject_submission, submit_intelligence

__all__ = [
    "accept_submission",
    "can_grade",
    "can_record",
    "can_submit_intelligence",
    "correct_arrest",
    "correct_detection",
    "correct_intelligence",
    "record_arrest",
    "record_detection",
    "record_intelligence",
    "reject_submission",
    "submit_intelligence",
]
