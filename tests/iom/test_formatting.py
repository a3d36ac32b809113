"""One way of writing dates, times and figures, GOV.UK style, for pages, documents and exports."""

import datetime
from decimal import Decimal

from iom import formatting

DAY = datetime.date(2026, 12, 1)
EVENING = datetime.datetime(2026, 12, 1, 18, 12, 53, tzinfo=datetime.UTC)


def test_dates_in_text_and_in_tables():
    assert formatting.long_date(DAY) == "1 December 2026"
    assert formatting.short_date(DAY) == "1 Dec 2026"
    assert formatting.long_date("2026-12-01") == "1 December 2026"
    assert formatting.long_date(None) == ""


def test_times_are_written_the_govuk_way_in_local_time():
    assert formatting.long_datetime(EVENING) == "1 December 2026 at 6:12pm"
    assert formatting.long_datetime("2026-12-01T18:12:53+00:00") == "1 December 2026 at 6:12pm"
    summer = datetime.datetime(2026, 7, 1, 8, 0, tzinfo=datetime.UTC)
    assert formatting.long_datetime(summer) == "1 July 2026 at 9am"
    assert formatting.short_datetime(EVENING) == "1 Dec 2026, 6:12pm"
    assert formatting.time_of_day(datetime.time(12, 0)) == "midday"
    assert formatting.time_of_day(datetime.time(0, 0)) == "midnight"
    assert formatting.time_of_day(datetime.time(7, 5)) == "7:05am"


def test_figures_have_thousands_separators():
    assert formatting.figure(260360) == "260,360"
    assert formatting.figure(3.42) == "3.42"
    assert formatting.figure(Decimal("1234.50")) == "1,234.50"
    assert formatting.figure(None) == "–"
    assert formatting.figure("not priced") == "not priced"


def test_labels_in_a_sentence_keep_their_names():
    assert formatting.in_sentence("Received by the IOM unit") == "received by the IOM unit"
    assert formatting.in_sentence("Class A drugs") == "Class A drugs"
    assert formatting.in_sentence("Positive for Class A") == "positive for Class A"
    assert formatting.in_sentence("PNC ID") == "PNC ID"
    assert formatting.in_sentence("OGRS3 band") == "OGRS3 band"


def test_sentences_end_with_one_full_stop_and_notes_are_not_repeated():
    assert (
        formatting.without_full_stop("Bail (charged 20 Nov 2026).") == "Bail (charged 20 Nov 2026)"
    )
    note = "(test on licence)"
    assert (
        formatting.with_note("Attend drug testing.", note)
        == "Attend drug testing (test on licence)."
    )
    kept = "Attend drug testing (test on licence)."
    assert formatting.with_note(kept, note) == kept
