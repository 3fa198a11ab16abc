"""The Python spreadsheet peers of bench/peers.sh: write the cells of
annals' workbook (as bench/peers/xlsxcells dumps them) into a workbook of
the same sheets, with openpyxl in write-only mode or xlsxwriter in
constant-memory mode, the streaming mode of each.

    python3 xlsx_write.py openpyxl|xlsxwriter CELLS.jsonl OUT.xlsx RESULT.json

The cells are read into memory first; only the writing, the saving
included, is timed. They are written as plain values: strings, numbers and
booleans, with no styles, tables or hyperlinks (annals writes those too).
"""
import json
import resource
import sys
import time


def peak_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load(path):
    sheets = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            v = json.loads(line)
            if isinstance(v, dict):
                sheets.append((v["sheet"], []))
            else:
                sheets[-1][1].append(v)
    return sheets


def write_openpyxl(sheets, out):
    import openpyxl
    wb = openpyxl.Workbook(write_only=True)
    for name, rows in sheets:
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(out)
    return "openpyxl %s (write_only)" % openpyxl.__version__


def write_xlsxwriter(sheets, out):
    import xlsxwriter
    wb = xlsxwriter.Workbook(out, {"constant_memory": True})
    for name, rows in sheets:
        ws = wb.add_worksheet(name)
        # Typed writes: write() would turn text starting with "=" into a
        # formula and URLs into hyperlinks, which are not the same cells.
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if v is None:
                    continue
                if isinstance(v, str):
                    ws.write_string(r, c, v)
                elif isinstance(v, bool):
                    ws.write_boolean(r, c, v)
                else:
                    ws.write_number(r, c, v)
    wb.close()
    return "xlsxwriter %s (constant_memory)" % xlsxwriter.__version__


def main():
    lib, cells, out, result = sys.argv[1:5]
    write = {"openpyxl": write_openpyxl, "xlsxwriter": write_xlsxwriter}[lib]
    sheets = load(cells)
    rows = sum(len(r) for _, r in sheets)
    loaded = peak_mib()
    start = time.perf_counter()
    version = write(sheets, out)
    seconds = time.perf_counter() - start
    with open(result, "w") as f:
        json.dump({"rows": rows, "sheets": len(sheets), "write_s": seconds,
                   "rss_loaded_mib": loaded, "rss_peak_mib": peak_mib(), "version": version}, f)


if __name__ == "__main__":
    main()
