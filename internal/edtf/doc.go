// Package edtf parses dates written in the Extended Date/Time Format
// (EDTF), the Library of Congress profile of ISO 8601 that became part of
// ISO 8601-2:2019 (https://www.loc.gov/standards/datetime/).
//
// EDTF lets a hand-curated record say what is actually known about a date:
// "1984?" (uncertain), "2004-06~" (approximate), "2004-06-11%" (both),
// "201X" (some year of the 2010s), "2001-21" (spring 2001),
// "1985-04-12/.." (from that day on) or "/1985" (unknown start).
//
// # Levels
//
// Parse accepts exactly EDTF levels 0 and 1:
//
//   - level 0: YYYY, YYYY-MM, YYYY-MM-DD; a complete date with a time of
//     day to the second, optionally followed by Z, ±hh or ±hh:mm; and
//     intervals of two dates separated by "/".
//   - level 1: Y-prefixed years of more than four digits (Y170000002),
//     seasons 21–24, one qualifier (?, ~ or %) at the end of a date, X for
//     the last one or two digits of a year-only date or for a whole month
//     or day (201X, 20XX, 2004-XX, 1985-04-XX, 1985-XX-XX), open ("..") and
//     unknown (empty) interval ends, qualified interval ends, and negative
//     years (-1985).
//
// Level 2 features (qualifiers inside a date, X anywhere, sets, exponents,
// significant digits, seasons 25–41) are rejected with KindUnsupported, so
// a caller can tell "valid EDTF this package does not accept" from
// malformed text. Where the specification leaves a choice, this package
// decides as follows:
//
//   - A time of day must include seconds, as level 0 requires; fractional
//     seconds are not EDTF. A second of 60 is accepted, as ISO 8601 does
//     for leap seconds. A date with a time of day cannot carry a qualifier.
//   - Interval ends are dates only: the specification excludes the time
//     of day from level 0 intervals and level 1 does not add it back.
//   - An interval needs at least one end that is a date: the specification
//     allows ".." or an empty string for "either the start or end date",
//     and "../.." or "/" would say nothing at all.
//   - A Y-prefixed year must exceed four digits, as the specification
//     says, and cannot have a month, day, X or season.
//
// # Earliest, latest and precision
//
// Every date denotes a span of calendar days, reported by Date.Earliest
// and Date.Latest as midnight UTC of the first and last day (the UCDP
// date_start/date_end convention):
//
//   - a year, month or day spans itself: "2024-02" is 2024-02-01 to
//     2024-02-29;
//   - X widens the span to every value it could hide: "201X" is
//     2010-01-01 to 2019-12-31, "1985-04-XX" is all of April 1985;
//   - qualifiers do not widen the span: "2021-12-23?" is 2021-12-23 to
//     2021-12-23, merely uncertain;
//   - a date with a time of day is the calendar day as written, in its
//     own offset and not converted to UTC: "2021-12-27T23:30:00-05:00" is
//     2021-12-27;
//   - seasons use the northern-hemisphere meteorological convention:
//     spring (21) is March 1 – May 31, summer (22) June 1 – August 31,
//     autumn (23) September 1 – November 30, and winter (24) December 1 of
//     the stated year – the last day of February of the following year;
//   - an interval runs from the earliest day of its start to the latest
//     day of its end; an open or unknown end has no day, so that side
//     reports false;
//   - negative years use astronomical numbering as ISO 8601 does (0000 is
//     1 BC, -1985 is 1986 BC) and map onto Go's proleptic Gregorian
//     time.Time; Y-prefixed years report false on both sides, since a
//     time.Time day 170 million years away means nothing to a reader.
//
// An interval is reversed, and rejected with KindReversed, when the
// earliest day of its start is after the latest day of its end, so
// "2004-02/2004-02-15" and "2004/2004-03" are accepted but
// "2022-01-10/2022-01-09" is not.
//
// Date.Precision follows the wording of the specification: it is the
// finest component the text has, even when that component is X
// ("1985-04-XX" has day precision, "201X" year precision); Earliest and
// Latest say how wide the date really is. An interval has the coarser of
// its ends' precisions (the specification calls the precision of a
// mixed interval undefined); an open or unknown end does not count.
// Date-times have precision Second: level 0 has no time without seconds,
// so there is no Minute.
package edtf
