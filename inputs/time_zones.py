"""Time-zone names: which are zones of places, what to write instead of one that is not, and which valid names are
fixed offsets that never change to summer time.

A fixed offset (``UTC+8``, ``GMT+1``, ``EST``, ``Etc/GMT+8``) is not a place's zone: the place it stands for may change
its clocks for summer time, and the offset does not. A name is never suggested for such a value by its spelling
(``UTC+8`` is not ``UTC``, 8 hours off for a Singapore agent); the place's IANA name is, with POSIX's fixed-offset zone
(``Etc/GMT-8`` is UTC+08:00: its sign is reversed) for a clock that truly never changes.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import zoneinfo

#: Names the system's zone database holds that are not places: the server's own setting (``localtime``), a
#: placeholder zone (``Factory``) and the database's internal copies.
NOT_PLACES = frozenset({"localtime", "posixrules", "Factory"})

#: A zone of a place for each standard-time UTC offset (minutes east of UTC), to suggest in place of an offset.
PLACE_BY_OFFSET: dict[int, str] = {
    -600: "Pacific/Honolulu", -540: "America/Anchorage", -480: "America/Los_Angeles", -420: "America/Denver",
    -360: "America/Chicago", -300: "America/New_York", -240: "America/Halifax", -180: "America/Sao_Paulo",
    -120: "America/Noronha", -60: "Atlantic/Azores", 0: "Europe/London", 60: "Europe/Berlin", 120: "Europe/Athens",
    180: "Europe/Istanbul", 210: "Asia/Tehran", 240: "Asia/Dubai", 270: "Asia/Kabul", 300: "Asia/Karachi",
    330: "Asia/Kolkata", 345: "Asia/Kathmandu", 360: "Asia/Dhaka", 390: "Asia/Yangon", 420: "Asia/Bangkok",
    480: "Asia/Singapore", 540: "Asia/Tokyo", 570: "Australia/Darwin", 600: "Australia/Sydney", 660: "Pacific/Noumea",
    720: "Pacific/Auckland", 780: "Pacific/Tongatapu", 840: "Pacific/Kiritimati",
}

#: A UTC offset as people write it: ``UTC+8``, ``GMT+1``, ``+08:00``, ``UTC-05:30`` (groups: sign, hours, minutes).
_OFFSET = re.compile(r"^(?:UTC|GMT|Z)?\s*([+\-\u2212])\s*(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)
#: POSIX's fixed-offset zones, whose sign is reversed: ``Etc/GMT+8`` is UTC-08:00.
_POSIX = re.compile(r"^(?:Etc/)?GMT([+-])(\d{1,2})$")
#: Abbreviations the zone database holds as zones of a fixed offset, without summer time.
FIXED_ABBREVIATIONS = frozenset({"EST", "MST", "HST"})


def is_time_zone(name: str) -> bool:
    """Whether ``name`` is an IANA time zone of a place (``Europe/Lisbon``, ``UTC``), not a database artefact."""
    if name in NOT_PLACES or name.startswith(("posix/", "right/")):
        return False
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, IsADirectoryError):
        return False
    return True


def utc_offset_text(minutes: int) -> str:
    """An offset in minutes east of UTC as ``UTC+08:00`` / ``UTC-05:30``."""
    sign = "-" if minutes < 0 else "+"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def written_offset_minutes(name: str) -> int | None:
    """The offset a value written as a UTC offset stands for (``UTC+8``: 480, as people mean it), else None."""
    match = _OFFSET.match(name.strip())
    if match is None:
        return None
    minutes = int(match.group(2)) * 60 + int(match.group(3) or 0)
    return -minutes if match.group(1) != "+" else minutes


def _place_example(minutes: int) -> str:
    """``'Asia/Singapore' (standard time UTC+08:00)``, or a generic example when no place is listed for the offset."""
    place = PLACE_BY_OFFSET.get(minutes)
    if place is None:
        return "'Europe/Lisbon' or 'Asia/Manila'"
    return f"'{place}' (standard time {utc_offset_text(minutes)})"


def _posix_name(minutes: int) -> str | None:
    """The IANA zone of a fixed offset of whole hours (``Etc/GMT-8`` for UTC+08:00, ``UTC`` for 0), else None."""
    if minutes % 60 or abs(minutes) > 14 * 60:
        return None
    hours = minutes // 60
    return "UTC" if hours == 0 else f"Etc/GMT{'-' if hours > 0 else '+'}{abs(hours)}"


def not_a_zone(name: str) -> tuple[str, str]:
    """What is wrong with a name that is not an IANA time zone beyond the words "is not an IANA time zone", and how
    to fix it.

    Returns
    -------
    tuple of str
        (the rest of the message, e.g. ``": a fixed offset (UTC+08:00) is not a place's zone ..."``, or ``""``; the
        fix: the place's name for an offset, else the closest name by spelling, else an example).
    """
    minutes = written_offset_minutes(name)
    if minutes is not None:
        if abs(minutes) > 14 * 60:
            return "", "use a name like 'Europe/Lisbon' or 'Asia/Manila'"
        posix = _posix_name(minutes)
        fixed = "" if posix is None else (
            f"; only for a clock that never changes, '{posix}'" + (
                f", which is {utc_offset_text(minutes)} (POSIX reverses the sign)" if posix != "UTC" else ""))
        return (f": a fixed offset ({utc_offset_text(minutes)}) is not a place's zone, whose clock may change for "
                "summer time", f"write the IANA name of the place, e.g. {_place_example(minutes)}{fixed}")
    near = difflib.get_close_matches(name, sorted(zoneinfo.available_timezones() - NOT_PLACES), n=1, cutoff=0.6)
    return "", f"write '{near[0]}'" if near else "use a name like 'Europe/Lisbon' or 'Asia/Manila'"


def fixed_offset(name: str) -> int | None:
    """The offset (minutes east of UTC) of a valid zone that is a fixed offset without summer time standing in for a
    place (``EST``, ``Etc/GMT+8``: -480), else None (a place's zone, or UTC itself)."""
    match = _POSIX.match(name)
    if match is not None:
        hours = int(match.group(2))
        return None if hours == 0 else (hours if match.group(1) == "-" else -hours) * 60
    if name in FIXED_ABBREVIATIONS:
        offset = dt.datetime(2000, 1, 1, tzinfo=zoneinfo.ZoneInfo(name)).utcoffset() or dt.timedelta(0)
        return round(offset.total_seconds() / 60)
    return None


def fixed_offset_warning(name: str) -> tuple[str, str] | None:
    """The warning (message, fix) for a valid zone that is a fixed offset where a place's zone is expected, else None.

    ``Etc/GMT+8`` is UTC-08:00 (POSIX reverses the sign), so the fix also names the zone of the offset with the
    other sign, in case that was meant.
    """
    minutes = fixed_offset(name)
    if minutes is None:
        return None
    posix = _POSIX.match(name) is not None
    sign = ": POSIX reverses the sign" if posix else ""
    other = f", or {_place_example(-minutes)} if {utc_offset_text(-minutes)} was meant" if posix else ""
    return (f"is a fixed offset ({utc_offset_text(minutes)} all year{sign}), not a place's zone: it never changes to "
            "summer time, where the place it stands for may",
            f"write the IANA name of the place, e.g. {_place_example(minutes)}{other}; keep it only for a clock that "
            "never changes")
