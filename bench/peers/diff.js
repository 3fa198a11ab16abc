'use strict';
// The verdicts of annals and ajv on the same records, record by record, for
// the differential check of bench/peers.sh.
//
//	node diff.js RECORDS.jsonl MANIFEST.tsv ANNALS_FINDINGS.jsonl AJV_VERDICTS.tsv
//
// annals rejects a record when it reports, on the record's line, a finding
// of severity "error" from the schema: those carry the JSON Schema
// "keyword" that failed. Its other errors (dangling-reference,
// wrong-reference, duplicate-id, date-after-sources, a role that ends before
// it starts) look across fields or records, which ajv cannot, and are
// counted apart. ajv rejects a record when validate() returns false
// (AJV_VERDICTS lists those lines, from ajv-validate.js --verdicts).
// Prints every disagreement and exits 1 if there is any.
const fs = require('fs');

const [recordsFile, manifestFile, findingsFile, ajvFile] = process.argv.slice(2);
if (!ajvFile) {
  console.error('usage: node diff.js RECORDS.jsonl MANIFEST.tsv ANNALS_FINDINGS.jsonl AJV_VERDICTS.tsv');
  process.exit(2);
}
const readLines = (f) => fs.readFileSync(f, 'utf8').split('\n').filter((l) => l !== '');

// Codes of records annals cannot give a schema, reported without a keyword.
const recordCodes = new Set(['not-a-record', 'missing-type', 'unknown-type', 'syntax', 'duplicate-key']);
const annals = new Map(); // line -> schema-level error findings
const crossOnly = new Map(); // line -> other error codes
for (const l of readLines(findingsFile)) {
  const f = JSON.parse(l);
  if (f.severity !== 'error') continue;
  const m = f.keyword || recordCodes.has(f.code) ? annals : crossOnly;
  if (!m.has(f.line)) m.set(f.line, []);
  m.get(f.line).push(f);
}
const ajv = new Map();
for (const l of readLines(ajvFile)) {
  const [line, , why] = l.split('\t');
  ajv.set(Number(line), why);
}
const mutations = new Map();
for (const l of readLines(manifestFile)) {
  const [line, id, kind, ptr, what] = l.split('\t');
  mutations.set(Number(line), { id, kind, ptr, what });
}

const records = readLines(recordsFile);
const byKind = {};
let disagreements = 0, bothReject = 0, bothAccept = 0;
records.forEach((text, i) => {
  const line = i + 1;
  const a = annals.has(line), j = ajv.has(line);
  const m = mutations.get(line);
  if (m) {
    const k = (byKind[m.kind] ||= { mutated: 0, rejected: 0 });
    k.mutated++;
    if (a && j) k.rejected++;
  }
  if (a === j) {
    if (a) bothReject++; else bothAccept++;
    return;
  }
  disagreements++;
  let id = m ? m.id : '';
  if (!id) {
    try { id = JSON.parse(text).id || ''; } catch { /* keep it empty */ }
  }
  const said = a
    ? annals.get(line).map((f) => `${f.code} at ${f.pointer || '/'}: ${f.message}`).join('; ')
    : `valid${crossOnly.has(line) ? ` (other errors: ${crossOnly.get(line).map((f) => f.code).join(', ')})` : ''}`;
  console.log(`DISAGREE line ${line} record ${JSON.stringify(id)} ${m ? `mutation ${m.kind} ${m.ptr} ${m.what}` : 'not mutated'}`);
  console.log(`  annals: ${a ? 'invalid: ' : ''}${said}`);
  console.log(`  ajv:    ${j ? `invalid: ${ajv.get(line)}` : 'valid'}`);
});
const kinds = Object.entries(byKind).map(([k, v]) => `${k} ${v.rejected}/${v.mutated}`).join(', ');
console.log(`differential check: ${records.length} records, ${mutations.size} mutated (rejected by both / mutated: ${kinds}); ` +
  `both reject ${bothReject}, both accept ${bothAccept}, ${[...crossOnly.keys()].filter((l) => !annals.has(l)).length} records with only cross-record errors in annals (not counted); ` +
  `${disagreements} disagreements`);
process.exit(disagreements ? 1 : 0);
