"""The Python csv peer of bench/peers.sh: writes the rows of annals' CSV
export again with the csv module, as QUOTE_MINIMAL with CRLF line ends
(what annals writes), into files of the same names.

    python3 csv_write.py ANNALS_CSV_DIR OUT_DIR RESULT.json

Every table is read into memory first; only the writing is timed. The
result has the rows written, the seconds spent writing, and the peak
resident memory after loading and at the end (MiB).
"""
import csv
import json
import os
import resource
import sys
import time


def peak_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    src, out, result = sys.argv[1:4]
    tables = []
    for name in sorted(os.listdir(src)):
        if name.endswith(".csv"):
            with open(os.path.join(src, name), newline="", encoding="utf-8") as f:
                tables.append((name, list(csv.reader(f))))
    rows = sum(len(t) for _, t in tables)
    loaded = peak_mib()
    os.makedirs(out, exist_ok=True)
    start = time.perf_counter()
    for name, table in tables:
        with open(os.path.join(out, name), "w", newline="", encoding="utf-8") as f:
            csv.writer(f, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n").writerows(table)
    seconds = time.perf_counter() - start
    with open(result, "w") as f:
        json.dump({"rows": rows, "files": len(tables), "write_s": seconds,
                   "rss_loaded_mib": loaded, "rss_peak_mib": peak_mib(),
                   "version": "Python %d.%d.%d csv" % sys.version_info[:3]}, f)


if __name__ == "__main__":
    main()
