"""Time-zone names: offsets are answered with a place's zone, never a zone spelt like them."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from inputs.time_zones import PLACE_BY_OFFSET, fixed_offset, not_a_zone, written_offset_minutes


@pytest.mark.parametrize(("minutes", "zone"), sorted(PLACE_BY_OFFSET.items()))
def test_each_suggested_place_keeps_its_offset_as_standard_time(minutes: int, zone: str) -> None:
    """Tests that each place suggested for an offset has that offset as its standard time (summer time taken off),
    in January and in July."""
    for month in (1, 7):
        local = dt.datetime(2027, month, 15, tzinfo=zoneinfo.ZoneInfo(zone))
        assert (local.utcoffset() - local.dst()) == dt.timedelta(minutes=minutes)


@pytest.mark.parametrize(("written", "minutes"), [
    ("UTC+8", 480), ("GMT+1", 60), ("+08:00", 480), ("utc-05:30", -330), ("UTC −3", -180), ("Europe/Lisbon", None),
])
def test_offsets_are_read_as_people_write_them(written: str, minutes: int | None) -> None:
    """Tests that 'UTC+8' is 8 hours ahead of UTC (as people mean it, unlike POSIX's Etc/GMT+8)."""
    assert written_offset_minutes(written) == minutes


def test_an_offset_of_zero_is_answered_with_a_place_and_utc_for_a_fixed_clock() -> None:
    """Tests 'UTC+0': a place at standard time UTC+00:00, and 'UTC' itself only for a clock that never changes."""
    assert not_a_zone("UTC+0") == (
        ": a fixed offset (UTC+00:00) is not a place's zone, whose clock may change for summer time",
        "write the IANA name of the place, e.g. 'Europe/London' (standard time UTC+00:00); only for a clock that "
        "never changes, 'UTC'")


@pytest.mark.parametrize(("zone", "minutes"), [
    ("EST", -300), ("HST", -600), ("Etc/GMT+8", -480), ("Etc/GMT-14", 840), ("GMT+0", None), ("UTC", None),
    ("EST5EDT", None), ("America/New_York", None),
])
def test_fixed_offset_zones_are_told_from_places_and_utc(zone: str, minutes: int | None) -> None:
    """Tests which valid zones are fixed offsets standing in for a place: POSIX's Etc/GMT+8 is UTC-08:00; UTC and a
    zone with summer-time rules (EST5EDT) are not warned."""
    assert fixed_offset(zone) == minutes
