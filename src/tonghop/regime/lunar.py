"""Vietnamese lunar calendar (Hồ Ngọc Đức's astronomical algorithm, time zone UTC+7), standard library only."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from tonghop.regime.errors import RegimeError

TIME_ZONE = 7.0
_JD_OFFSET = 1721425  # Julian day number of date.fromordinal(1) minus 1
_SYNODIC = 29.530588853
_DR = math.pi / 180


@dataclass(frozen=True, slots=True)
class LunarDate:
    """A day of the Vietnamese lunar calendar; `leap` marks a leap month (tháng nhuận)."""

    year: int
    month: int
    day: int
    leap: bool = False


def _jd(d: date) -> int:
    return d.toordinal() + _JD_OFFSET


def _new_moon(k: int) -> float:
    """Julian day (fractional) of the k-th new moon after 1900-01-01."""
    t = k / 1236.85
    t2, t3 = t * t, t * t * t
    jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3
    jd1 += 0.00033 * math.sin((166.56 + 132.87 * t - 0.009173 * t2) * _DR)
    m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3
    mpr = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3
    f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3
    c1 = (0.1734 - 0.000393 * t) * math.sin(m * _DR) + 0.0021 * math.sin(2 * _DR * m)
    c1 -= 0.4068 * math.sin(mpr * _DR) - 0.0161 * math.sin(_DR * 2 * mpr)
    c1 -= 0.0004 * math.sin(_DR * 3 * mpr)
    c1 += 0.0104 * math.sin(_DR * 2 * f) - 0.0051 * math.sin(_DR * (m + mpr))
    c1 -= 0.0074 * math.sin(_DR * (m - mpr)) - 0.0004 * math.sin(_DR * (2 * f + m))
    c1 -= 0.0004 * math.sin(_DR * (2 * f - m)) + 0.0006 * math.sin(_DR * (2 * f + mpr))
    c1 += 0.0010 * math.sin(_DR * (2 * f - mpr)) + 0.0005 * math.sin(_DR * (2 * mpr + m))
    if t < -11:
        delta_t = 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
    else:
        delta_t = -0.000278 + 0.000265 * t + 0.000262 * t2
    return jd1 + c1 - delta_t


def _sun_longitude(jdn: float) -> float:
    """Sun's apparent longitude in radians, normalised to [0, 2π)."""
    t = (jdn - 2451545.0) / 36525
    t2 = t * t
    m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2
    l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2
    dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * math.sin(_DR * m)
    dl += (0.019993 - 0.000101 * t) * math.sin(_DR * 2 * m) + 0.000290 * math.sin(_DR * 3 * m)
    lon = (l0 + dl) * _DR
    return lon - math.pi * 2 * math.floor(lon / (math.pi * 2))


def _sun_sector(day_number: int, tz: float) -> int:
    """Which of the 12 solar-term sectors (0..11) the sun is in at local midnight starting DAY_NUMBER."""
    return math.floor(_sun_longitude(day_number - 0.5 - tz / 24) / math.pi * 6)


def _new_moon_day(k: int, tz: float) -> int:
    return math.floor(_new_moon(k) + 0.5 + tz / 24)


def _month11(year: int, tz: float) -> int:
    """Julian day of the first day of lunar month 11 (the month holding the winter solstice) of YEAR."""
    off = _jd(date(year, 12, 31)) - 2415021
    k = math.floor(off / _SYNODIC)
    nm = _new_moon_day(k, tz)
    if _sun_sector(nm, tz) >= 9:
        nm = _new_moon_day(k - 1, tz)
    return nm


def _leap_month_offset(a11: int, tz: float) -> int:
    k = math.floor((a11 - 2415021.076998695) / _SYNODIC + 0.5)
    i = 1
    arc = _sun_sector(_new_moon_day(k + i, tz), tz)
    while True:
        last = arc
        i += 1
        arc = _sun_sector(_new_moon_day(k + i, tz), tz)
        if arc == last or i >= 14:
            break
    return i - 1


def to_lunar(day: date, tz: float = TIME_ZONE) -> LunarDate:
    """Convert a solar (Gregorian) DAY to the Vietnamese lunar calendar."""
    day_number = _jd(day)
    k = math.floor((day_number - 2415021.076998695) / _SYNODIC)
    month_start = _new_moon_day(k + 1, tz)
    if month_start > day_number:
        month_start = _new_moon_day(k, tz)
    a11 = _month11(day.year, tz)
    b11 = a11
    if a11 >= month_start:
        lunar_year = day.year
        a11 = _month11(day.year - 1, tz)
    else:
        lunar_year = day.year + 1
        b11 = _month11(day.year + 1, tz)
    lunar_day = day_number - month_start + 1
    diff = math.floor((month_start - a11) / 29)
    leap = False
    lunar_month = diff + 11
    if b11 - a11 > 365:
        leap_diff = _leap_month_offset(a11, tz)
        if diff >= leap_diff:
            lunar_month = diff + 10
            leap = diff == leap_diff
    if lunar_month > 12:
        lunar_month -= 12
    if lunar_month >= 11 and diff < 4:
        lunar_year -= 1
    return LunarDate(lunar_year, lunar_month, lunar_day, leap)


def to_solar(year: int, month: int, day: int, leap: bool = False, tz: float = TIME_ZONE) -> date:
    """Convert lunar YEAR/MONTH/DAY (LEAP for a leap month) to the solar date; RegimeError if it does not exist."""
    if not 1 <= month <= 12 or not 1 <= day <= 30:
        raise RegimeError(f"Ngày âm lịch {day}/{month}/{year} không hợp lệ")
    if month < 11:
        a11, b11 = _month11(year - 1, tz), _month11(year, tz)
    else:
        a11, b11 = _month11(year, tz), _month11(year + 1, tz)
    k = math.floor(0.5 + (a11 - 2415021.076998695) / _SYNODIC)
    off = month - 11
    if off < 0:
        off += 12
    if b11 - a11 > 365:
        leap_off = _leap_month_offset(a11, tz)
        leap_month = leap_off - 2
        if leap_month < 0:
            leap_month += 12
        if leap and month != leap_month:
            raise RegimeError(f"Năm âm lịch {year} không có tháng {month} nhuận")
        if leap or off >= leap_off:
            off += 1
    elif leap:
        raise RegimeError(f"Năm âm lịch {year} không có tháng nhuận")
    month_start = _new_moon_day(k + off, tz)
    result = date.fromordinal(month_start + day - 1 - _JD_OFFSET)
    if day == 30 and to_lunar(result, tz).day != 30:
        raise RegimeError(f"Tháng {month} âm lịch năm {year} không có ngày 30")
    return result


def lunar_new_year(year: int) -> date:
    """The solar date of Tết Nguyên đán (1/1 lunar) of lunar year YEAR."""
    return to_solar(year, 1, 1)
