'use strict';
// The exceljs peer of bench/peers.sh: writes the cells of annals' workbook
// (as bench/peers/xlsxcells dumps them) into a workbook of the same sheets
// with exceljs's streaming WorkbookWriter, without shared strings or
// styles, its fastest settings.
//
//	node exceljs-write.js CELLS.jsonl OUT.xlsx RESULT.json
//
// The cells are read into memory first; only the writing, the final commit
// included, is timed. The result has the rows, the seconds spent writing
// and the peak resident memory after loading and at the end (MiB).
const fs = require('fs');
const path = require('path');

const [cells, out, result] = process.argv.slice(2);
if (!result) {
  console.error('usage: node exceljs-write.js CELLS.jsonl OUT.xlsx RESULT.json');
  process.exit(2);
}
const peerModules = path.join(__dirname, '..', '.peers', 'node', 'node_modules');
const ExcelJS = require(require.resolve('exceljs', { paths: [peerModules, __dirname] }));
const version = require(require.resolve('exceljs/package.json', { paths: [peerModules, __dirname] })).version;
const peakMiB = () => process.resourceUsage().maxRSS / 1024;

function load(file) {
  const sheets = [];
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.allocUnsafe(1 << 22);
  let carry = Buffer.alloc(0);
  const take = (line) => {
    if (line === '') return;
    const v = JSON.parse(line);
    if (Array.isArray(v)) sheets[sheets.length - 1].rows.push(v);
    else sheets.push({ name: v.sheet, rows: [] });
  };
  for (;;) {
    const n = fs.readSync(fd, buf, 0, buf.length, null);
    if (n === 0) break;
    const chunk = carry.length ? Buffer.concat([carry, buf.subarray(0, n)]) : buf.subarray(0, n);
    const last = chunk.lastIndexOf(10);
    if (last < 0) { carry = Buffer.from(chunk); continue; }
    for (const line of chunk.toString('utf8', 0, last).split('\n')) take(line);
    carry = Buffer.from(chunk.subarray(last + 1));
  }
  take(carry.toString('utf8'));
  fs.closeSync(fd);
  return sheets;
}

async function main() {
  const sheets = load(cells);
  const rows = sheets.reduce((n, s) => n + s.rows.length, 0);
  const loaded = peakMiB();
  const start = process.hrtime.bigint();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: out, useStyles: false, useSharedStrings: false });
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.name);
    for (const row of s.rows) ws.addRow(row).commit();
    await ws.commit();
  }
  await wb.commit();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  fs.writeFileSync(result, JSON.stringify({
    rows, sheets: sheets.length, write_s: seconds, rss_loaded_mib: loaded, rss_peak_mib: peakMiB(),
    version: `exceljs ${version} (stream.xlsx.WorkbookWriter)`,
  }));
}
main().catch((e) => { console.error(e); process.exit(1); });
