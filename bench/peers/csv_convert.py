"""The Python convert peer of bench/peers.sh: does the whole job of
`annals convert RECORDS.jsonl --to csv -o OUT_DIR` with the json and csv
modules, writing the same 14 <table>.csv files, byte for byte (not its
datapackage.json, and without validating).

    python3 csv_convert.py RECORDS.jsonl OUT_DIR RESULT.json

Each record (one a line) is flattened as convert/table.go lays the tables
out, hard-coded below: a main table per record type, nested objects as
"_"-joined columns, a link table per list with the record's id and 1-based
*_index columns, and after every EDTF date its _earliest, _latest and
_precision. The cells follow convert/csv.go: the OWASP formula guard in
string columns (a leading ' before = + - @ tab CR or '), numbers in
canonical JSON spelling (the json module is made to keep their text),
true and false rather than Python's True and False. csv.writer quotes as
annals does (QUOTE_MINIMAL with CRLF line ends quotes only fields holding
, " CR or LF, doubling quotes), so only the guard and the cell spellings
are done by hand.

It streams: a record's rows are written as soon as it is read, and nothing
is kept between records. The whole run after argument parsing is timed:
reading, flattening and writing. The result has the records and rows
written (headers not counted), the seconds and the peak resident memory
(MiB).
"""
import csv
import json
import os
import re
import resource
import sys
import time

# --- the tables ---------------------------------------------------------------

# Column kinds. A value column is (VAL, name, keys, guard): the value at
# keys below the row's item; guard is set for string columns. An EDTF
# column (DATE, name, keys) is a guarded value followed by name_earliest,
# name_latest and name_precision.
PARENT, INDEX, VAL, DATE = range(4)


def s(name, *keys):
    """A string column; its value is at keys, by default its own name."""
    return (VAL, name, keys or (name,), True)


def n(name, *keys):
    """A number column."""
    return (VAL, name, keys, False)


def d(name, *keys):
    """An EDTF date column and its three derived columns."""
    return (DATE, name, keys or (name,), True)


def parent(typ):
    return (PARENT, typ + "_id", (), True)


def index(item):
    return (INDEX, item + "_index", (), False)


def attestation_tables(typ):
    return [
        (typ + "_attestations", ("attestations", "*"), [
            parent(typ), index("attestation"), s("source"), s("rank"), s("quote"),
            s("quote_kind"), s("quote_language"), s("credited_to"), d("reported_date"),
            s("reported_date_text"), s("reported_place"), s("note")]),
        (typ + "_attestation_names", ("attestations", "*", "reported_names", "*"), [
            parent(typ), index("attestation"), index("name"), s("actor"), s("spelling")]),
    ]


# By record type: (table, path of its rows from the record, columns), in
# the order of convert.Tables. "*" in a path is every item of a list; a
# link table of a list of strings has a value column with no keys (the
# item itself).
TYPES = {
    "actor": [
        ("actors", (), [
            s("id"), s("name"), s("kind"), s("country"), s("wikidata"),
            s("description"), s("note")]),
        ("actor_aliases", ("aliases", "*"), [
            parent("actor"), index("alias"), s("name"), s("kind"), s("language")]),
        ("actor_alias_sources", ("aliases", "*", "seen_in", "*"), [
            parent("actor"), index("alias"), index("source"), (VAL, "source", (), True)]),
        ("actor_roles", ("roles", "*"), [
            parent("actor"), index("role"), s("title"), s("organization"), d("from"), d("to")]),
    ],
    "source": [
        ("sources", (), [
            s("id"), s("outlet"), s("headline"), s("url"), d("published"), d("accessed"),
            s("language"), s("archive"), s("note")]),
        ("source_authors", ("authors", "*"), [
            parent("source"), index("author"), (VAL, "author", (), True)]),
    ],
    "event": [
        ("events", (), [
            s("id"), s("title"), s("description"), s("category"), s("mode"), s("status"),
            d("date"), s("location_name", "location", "name"),
            s("location_country", "location", "country"),
            n("location_coordinates_latitude", "location", "coordinates", "latitude"),
            n("location_coordinates_longitude", "location", "coordinates", "longitude"),
            s("location_precision", "location", "precision"), s("parent"), s("note")]),
        ("event_participants", ("participants", "*"), [
            parent("event"), index("participant"), s("actor"), s("role")]),
    ] + attestation_tables("event"),
    "statement": [
        ("statements", (), [
            s("id"), s("speaker"), s("speaker_role"), d("date"),
            s("setting_kind", "setting", "kind"), s("setting_outlet", "setting", "outlet"),
            s("setting_event", "setting", "event"), s("language"), s("summary"), s("note")]),
        ("statement_about", ("about", "*"), [
            parent("statement"), index("event"), (VAL, "event", (), True)]),
    ] + attestation_tables("statement"),
}


def header(cols):
    out = []
    for kind, name, _, _ in cols:
        out.append(name)
        if kind == DATE:
            out += [name + "_earliest", name + "_latest", name + "_precision"]
    return out


# --- cells ---------------------------------------------------------------------


class Number(str):
    """A JSON number, kept as its text."""


def canonical_number(text):
    """convert.canonicalNumber: the shortest decimal of the same value, as
    ECMAScript spells numbers (plain from 1e-6 up to 1e21), every digit
    kept."""
    t = text
    neg = t.startswith("-")
    if neg:
        t = t[1:]
    mant, _, e = t.lower().partition("e")
    exp = 0
    if e:
        try:
            exp = int(e)
        except ValueError:
            return text
    whole, _, frac = mant.partition(".")
    digits = whole + frac
    if not digits or not digits.isdigit() or not digits.isascii():
        return text
    exp += len(whole)
    stripped = digits.lstrip("0")
    exp -= len(digits) - len(stripped)
    digits = stripped.rstrip("0")
    if not digits:
        return "0"
    k = len(digits)
    sign = "-" if neg else ""
    if k <= exp <= 21:
        return sign + digits + "0" * (exp - k)
    if 0 < exp <= 21:
        return sign + digits[:exp] + "." + digits[exp:]
    if -6 < exp <= 0:
        return sign + "0." + "0" * -exp + digits
    mantissa = digits[0] + ("." + digits[1:] if k > 1 else "")
    return "%s%se%s%d" % (sign, mantissa, "+" if exp - 1 >= 0 else "", exp - 1)


GUARDED = frozenset("=+-@\t\r'")


def cell(v, guard):
    """The CSV text of a value, as appendCSVCell writes it (before the
    quoting that csv.writer does)."""
    t = type(v)
    if t is str:
        if guard and v and v[0] in GUARDED:
            return "'" + v
        return v
    if t is Number:
        c = canonical_number(v)
        if guard and c[0] in GUARDED:
            return "'" + c
        return c
    if t is bool:
        return "true" if v else "false"
    return ""


# --- EDTF ------------------------------------------------------------------------
# A port of internal/edtf's Parse, Earliest, Latest and Precision for EDTF
# levels 0 and 1. Text it does not accept gets empty derived cells, as in
# annals.

YEAR, SEASON, MONTH, DAY, SECOND = 1, 2, 3, 4, 5
PRECISION = {YEAR: "year", SEASON: "season", MONTH: "month", DAY: "day", SECOND: "second"}

DATE_RE = re.compile(
    r"(-?)(\d{4}|\d{3}X|\d\dXX)"
    r"(?:-(\d\d|XX)(?:-(\d\d|XX)(T(\d\d):(\d\d):(\d\d)(?:Z|[+-](\d\d)(?::(\d\d))?)?)?)?)?"
    r"([?~%]?)", re.ASCII)
LONG_YEAR_RE = re.compile(r"Y(-?)([1-9]\d{4,17})([?~%]?)", re.ASCII)


def leap(y):
    return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)


def days_in(y, m):
    if m == 2:
        return 29 if leap(y) else 28
    return 30 if m in (4, 6, 9, 11) else 31


def end_date(text, in_interval):
    """One date: (lo, hi, precision, long_year), lo and hi as (y, m, d),
    or None."""
    mo = DATE_RE.fullmatch(text)
    if mo is None:
        mo = LONG_YEAR_RE.fullmatch(text)
        if mo is None:
            return None
        y = int(mo.group(2)) * (-1 if mo.group(1) else 1)
        return (y, 1, 1), (y, 12, 31), YEAR, True
    sign, year, month, day, clock, hh, mi, ss, oh, om, qual = mo.groups()
    lo_y, hi_y = int(year.replace("X", "0")), int(year.replace("X", "9"))
    if sign:
        if hi_y == 0:
            return None  # -0000
        lo_y, hi_y = -hi_y, -lo_y
    lo, hi, prec = (lo_y, 1, 1), (hi_y, 12, 31), YEAR
    if month is None:
        return lo, hi, prec, False
    if lo_y != hi_y:
        return None  # a year with X and a month: level 2
    y = lo_y
    if month == "XX":
        prec, m = MONTH, 0
    else:
        m = int(month)
        if 1 <= m <= 12:
            prec, lo, hi = MONTH, (y, m, 1), (y, m, days_in(y, m))
        elif 21 <= m <= 24 and day is None:
            prec = SEASON
            lo, hi = {21: ((y, 3, 1), (y, 5, 31)), 22: ((y, 6, 1), (y, 8, 31)),
                      23: ((y, 9, 1), (y, 11, 30))}.get(m) or ((y, 12, 1), (y + 1, 2, days_in(y + 1, 2)))
        else:
            return None
    if day is None:
        return lo, hi, prec, False
    prec = DAY
    if day != "XX":
        if m == 0:
            return None  # a day after XX: level 2
        dd = int(day)
        if not 1 <= dd <= days_in(y, m):
            return None
        lo = hi = (y, m, dd)
    if clock is None:
        return lo, hi, prec, False
    if in_interval or m == 0 or day == "XX" or qual:
        return None
    if int(hh) > 23 or int(mi) > 59 or int(ss) > 60 or (oh and int(oh) > 23) or (om and int(om) > 59):
        return None
    return lo, hi, SECOND, False


def format_day(day):
    """A day as annals' CSV date columns write it: empty beyond the years
    0000 to 9999, which an ISO 8601 day cannot hold."""
    y, m, dd = day
    if y < 0 or y > 9999:
        return ""
    return "%04d-%02d-%02d" % (y, m, dd)


def edtf_cells(text):
    """The earliest, latest and precision cells of an EDTF date."""
    if "/" not in text:
        p = end_date(text, False) if text[:1] != "." else None
        if p is None:
            return "", "", ""
        lo, hi, prec, long_year = p
        if long_year:
            return "", "", PRECISION[prec]
        return format_day(lo), format_day(hi), PRECISION[prec]
    start_text, _, end_text = text.partition("/")
    if "/" in end_text:
        return "", "", ""
    ends = []
    for t in (start_text, end_text):
        if t == "" or t == "..":
            ends.append(None)
            continue
        p = end_date(t, True)
        if p is None:
            return "", "", ""
        ends.append(p)
    start, end = ends
    if start is None and end is None:
        return "", "", ""
    if start is not None and end is not None and end[1] < start[0]:
        return "", "", ""  # reversed
    earliest = format_day(start[0]) if start is not None and not start[3] else ""
    latest = format_day(end[1]) if end is not None and not end[3] else ""
    prec = min(p[2] for p in ends if p is not None)
    return earliest, latest, PRECISION[prec]


# --- flattening ----------------------------------------------------------------------

# What row() does for a column: the value at one key of the item (the
# common case, made fast), at several keys, the item itself, a date, the
# record's id, or an index.
KEY, KEYS, ITEM, DATE_KEYS, ID, POS = range(6)


def compile_columns(cols):
    ops = []
    for kind, _, keys, guard in cols:
        if kind == VAL:
            op = ITEM if not keys else KEY if len(keys) == 1 else KEYS
            ops.append((op, keys[0] if op == KEY else keys, guard))
        elif kind == DATE:
            ops.append((DATE_KEYS, keys, guard))
        elif kind == PARENT:
            ops.append((ID, None, guard))
        else:
            ops.append((POS, None, guard))
    return ops


def list_keys(path):
    """A link table's path, ("aliases", "*", "seen_in", "*"), as the keys
    of its lists: ("aliases", "seen_in")."""
    if path[1::2] != ("*",) * (len(path) // 2) or len(path) % 2:
        raise ValueError("unexpected table path %r" % (path,))
    return path[::2]


def value_at(item, keys):
    for k in keys:
        if type(item) is not dict:
            return None
        item = item.get(k)
    return item


def items(v, keys, idx):
    """The items of the list at keys[0] of v, or of the lists inside them
    for more keys, each with its positions in those lists (from 1)."""
    if type(v) is not dict:
        return
    a = v.get(keys[0])
    if type(a) is not list:
        return
    if len(keys) == 1:
        for i, x in enumerate(a, 1):
            yield x, idx + (i,)
        return
    rest = keys[1:]
    for i, x in enumerate(a, 1):
        yield from items(x, rest, idx + (i,))


def row(ops, item, rid, idx):
    out = []
    add = out.append
    get = item.get if type(item) is dict else None
    k = 0
    for op, key, guard in ops:
        if op == KEY:
            v = get(key) if get else None
        elif op == POS:
            add(idx[k])
            k += 1
            continue
        elif op == ID:
            v = rid
        elif op == KEYS:
            v = value_at(item, key)
        elif op == ITEM:
            v = item
        else:  # DATE_KEYS
            v = value_at(item, key)
            add(cell(v, guard))
            if type(v) is str and v:
                out += edtf_cells(v)
            else:
                out += ("", "", "")
            continue
        if type(v) is str:  # cell(), inlined for the common case
            add("'" + v if guard and v[:1] in GUARDED else v)
        else:
            add(cell(v, guard))
    return out


def peak_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    src, out, result = sys.argv[1:4]
    start = time.perf_counter()
    os.makedirs(out, exist_ok=True)
    files, tables = [], {}
    for typ, specs in TYPES.items():
        for name, path, cols in specs:
            f = open(os.path.join(out, name + ".csv"), "w", newline="", encoding="utf-8")
            w = csv.writer(f, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
            w.writerow(header(cols))
            files.append(f)
            tables.setdefault(typ, []).append(
                (w.writerow, list_keys(path) if path else None, compile_columns(cols)))
    decode = json.JSONDecoder(parse_int=Number, parse_float=Number).decode
    records = rows = 0
    with open(src, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            rec = decode(line)
            records += 1
            if type(rec) is not dict:
                continue
            rid = rec.get("id")
            if type(rid) is not str:
                rid = ""
            typ = rec.get("type")
            for write, keys, ops in tables.get(typ, ()) if type(typ) is str else ():
                if keys is None:
                    write(row(ops, rec, rid, ()))
                    rows += 1
                    continue
                for item, idx in items(rec, keys, ()):
                    write(row(ops, item, rid, idx))
                    rows += 1
    for f in files:
        f.close()
    seconds = time.perf_counter() - start
    with open(result, "w") as f:
        json.dump({"records": records, "rows": rows, "files": len(files), "seconds": seconds,
                   "rss_peak_mib": peak_mib(),
                   "version": "Python %d.%d.%d csv" % sys.version_info[:3]}, f)


if __name__ == "__main__":
    main()
