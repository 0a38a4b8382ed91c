"""The small rules behind the figures: percentages rounded down, colour bands, the gap to 90%,
and periods as local days in Asia/Ho_Chi_Minh."""

from datetime import UTC, date, datetime

import pytest

from core.figures import format_percent
from eid_coverage import period
from eid_coverage.figures import Area, band, by_gap, percent


@pytest.mark.parametrize(
    ("part", "whole", "value", "label", "colour"),
    [
        (89996, 100000, 89.9, "89,9%", "mid"),  # not yet the target, so never shown as 90%
        (9, 10, 90.0, "90%", "good"),
        (599, 1000, 59.9, "59,9%", "low"),
        (3, 5, 60.0, "60%", "mid"),
        (1, 3, 33.3, "33,3%", "low"),
        (0, 0, None, "–", "none"),
    ],
)
def test_percent_is_rounded_down_so_bands_and_labels_agree(app, part, whole, value, label, colour):
    assert percent(part, whole) == value
    with app.test_request_context():  # Vietnamese by default: a decimal comma
        assert format_percent(percent(part, whole)) == label
    assert band(percent(part, whole)) == colour


@pytest.mark.parametrize(
    ("adults", "with_eid", "gap"),
    [(10, 9, 0), (10, 8, 1), (7, 0, 7), (7, 6, 1), (0, 0, 0), (11, 11, 0)],
)
def test_gap_is_the_adults_still_needed_for_90_percent(adults, with_eid, gap):
    assert Area(id=1, adults=adults, level1=with_eid).gap == gap


def test_groups_sort_by_gap_then_lowest_coverage():
    rows = [
        Area(id=1, number=1, adults=10, level1=8),  # gap 1, 80%
        Area(id=2, number=2, adults=10, level1=2),  # gap 7
        Area(id=3, number=3, adults=2, level1=0),  # gap 2
        Area(id=4, number=4),  # nobody
        Area(id=5, number=5, adults=5, level1=4),  # gap 1, 80%
        Area(id=6, number=6, adults=20, level1=17),  # gap 1, 85%
    ]
    assert [r.number for r in by_gap(rows)] == [2, 3, 1, 5, 6, 4]


def test_periods_are_local_days():
    now = datetime(2026, 11, 30, 18, 0, tzinfo=UTC)  # already 1 December in Vietnam
    month = period.parse({}, now)
    assert (month.first, month.last) == (date(2026, 12, 1), date(2026, 12, 31))
    assert month.starts_at == datetime(2026, 11, 30, 17, 0, tzinfo=UTC)
    week = period.parse({"period": "week"}, now)
    assert (week.first, week.last) == (date(2026, 11, 30), date(2026, 12, 6))
    custom = period.parse({"period": "custom", "start": "2026-03-09", "end": "2026-03-01"}, now)
    assert (custom.first, custom.last) == (date(2026, 3, 1), date(2026, 3, 9))
    huge = period.parse({"period": "custom", "start": "2020-01-01", "end": "2026-01-01"}, now)
    assert huge.days == period.MAX_DAYS
    assert period.parse_month("2026-02").last == date(2026, 2, 28)
    assert period.parse_month("2026-13", now).first == date(2026, 12, 1)


def test_trend_weeks_reach_back_eight_weeks_and_stop_at_the_current_one():
    march = period.Period("custom", date(2026, 3, 1), date(2026, 3, 31))
    weeks = march.weeks(date(2026, 6, 1))
    assert weeks[0] == date(2026, 2, 9) and weeks[-1] == date(2026, 3, 30) and len(weeks) == 8
    assert march.weeks(date(2026, 3, 12))[-1] == date(2026, 3, 9)  # no weeks from the future
    year = period.Period("custom", date(2025, 1, 1), date(2025, 12, 31))
    assert len(year.weeks(date(2026, 6, 1))) == 53
