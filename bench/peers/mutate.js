'use strict';
// Mutates a deterministic tenth of a JSON Lines file of annals records for
// the differential check of bench/peers.sh: in every block of ten records
// one, chosen by the seeded generator, is changed in one of these ways, in
// turn (a record with nothing to change that way gets the next):
//
//   bad-enum       a value outside its enumeration (case, typo, a space, another list's value)
//   bad-date       an EDTF field set to a malformed or impossible date, or
//                  edited at random (which may leave it valid: both sides are asked)
//   missing-field  a required field removed, or a field another needs (quote for quote_kind)
//   extra-field    a field the schema does not define, at the top or inside
//   wrong-type     a value of another JSON type (number for text, text for a list, null, ...)
//
// Bad references are not made: ajv cannot see across records. The "type"
// of a record is never touched, so that every record still goes to its
// schema. The schema walk follows the schemas themselves, so new fields
// are mutated without changes here.
//
//	node mutate.js SCHEMA_DIR SEED IN.jsonl OUT.jsonl MANIFEST.tsv
//
// MANIFEST.tsv has one line per mutated record: line, id, kind, JSON
// pointer, what was done.
const fs = require('fs');
const path = require('path');
const { rng } = require('./rand');

const [schemaDir, seed, inFile, outFile, manifestFile] = process.argv.slice(2);
if (!manifestFile) {
  console.error('usage: node mutate.js SCHEMA_DIR SEED IN.jsonl OUT.jsonl MANIFEST.tsv');
  process.exit(2);
}
const r = rng(Number(seed));

const docs = {};
for (const f of fs.readdirSync(schemaDir).filter((f) => f.endsWith('.schema.json'))) {
  const doc = JSON.parse(fs.readFileSync(path.join(schemaDir, f), 'utf8'));
  docs[doc.$id] = doc;
}

// resolve follows $ref from the schema node at url until a node without one.
function resolve(url, node) {
  for (let depth = 0; node && node.$ref && depth < 32; depth++) {
    const [file, frag] = node.$ref.split('#');
    if (file) url = new URL(file, url).href;
    node = docs[url];
    for (const part of (frag || '').split('/').filter(Boolean)) node = node[decodeURIComponent(part)];
  }
  return { url, node };
}

// walk calls visit(ptr, schema, value, parent, key) for value and everything in it.
function walk(url, node, value, ptr, parent, key, visit) {
  const res = resolve(url, node);
  const s = res.node || {};
  visit(ptr, s, value, parent, key);
  if (value && typeof value === 'object' && !Array.isArray(value) && s.properties) {
    for (const k of Object.keys(value)) {
      if (s.properties[k]) walk(res.url, s.properties[k], value[k], `${ptr}/${k}`, value, k, visit);
    }
  } else if (Array.isArray(value) && s.items) {
    value.forEach((v, i) => walk(res.url, s.items, v, `${ptr}/${i}`, value, i, visit));
  }
}

const badDates = [
  '2021-13-01', '2021-02-29', '2021-04-31', '2021-12-32', '2021-00-10', '21-12-01', '2021/12/01',
  '12/01/2021', '2021-12-01T10:00', '2021-12-01T25:00:00', '2021-12-01 10:00:00', '2021-12-01?~',
  '2021-12-1', '2021-1X', '2022-01-10/2022-01-09', 'December 2021', '2021-12-01 ', '2021\u201312\u201301',
  '', 'Y2021', '2021-25', '2021-12-01T10:00:00.5Z', '..', '2021-12-01/2021-12-05/2021-12-09', '-0000',
  '2021-12-27T11:04:00+0300', '2021-12-01T10:00:00?', '1X21', '2021-XX-01', '2021-12-01/2021-12-05T10:00:00',
];
const dateAlphabet = '0123456789X-/.?~%TZ+: ';
const extraNames = ['unknown_field', 'notes', 'Date', 'url2', 'x-comment', 'source_id', 'title ', 'Type', 'id_'];
const extraValues = [true, 'extra', 1, null, [], {}];

function badEnum(v, allowed) {
  const options = [v.toUpperCase(), v[0].toUpperCase() + v.slice(1), `${v} `, ` ${v}`, v.slice(0, -1),
    `${v}s`, 'other', 'unknown', 'speech', 'RU', 'Russia', 'persons', ''];
  const bad = options.filter((o) => !allowed.includes(o));
  return r.pick(bad);
}

function editDate(s) {
  const i = r.int(s.length + 1);
  const c = dateAlphabet[r.int(dateAlphabet.length)];
  switch (r.int(3)) {
    case 0: return s.slice(0, i) + c + s.slice(i + 1);
    case 1: return s.slice(0, i) + c + s.slice(i);
    default: return s.slice(0, i) + s.slice(i + 1);
  }
}

function wrongType(v) {
  if (typeof v === 'string') return r.pick([42, 2021, true, null, [v], { value: v }]);
  if (typeof v === 'number') return r.pick([String(v), true, null, [v]]);
  if (typeof v === 'boolean') return r.pick([String(v), 1, null]);
  if (Array.isArray(v)) return r.pick([v.length ? JSON.stringify(v[0]) : 'x', {}, 1, null]);
  if (v && typeof v === 'object') return r.pick([[], 'x', 1, null, [v]]);
  return 'x';
}

const kinds = ['bad-enum', 'bad-date', 'missing-field', 'extra-field', 'wrong-type'];

// candidates lists what kind could change in rec, as functions that do it
// and return [pointer, description].
function candidates(rec, kind) {
  const out = [];
  const schema = docs[`https://w3id.org/annals/schema/v1/${rec.type}.schema.json`];
  if (!schema) return out;
  walk(schema.$id, schema, rec, '', null, null, (ptr, s, value, parent, key) => {
    if (ptr === '/type') return;
    switch (kind) {
      case 'bad-enum':
        if (Array.isArray(s.enum) && typeof value === 'string' && value !== '') {
          out.push(() => { parent[key] = badEnum(value, s.enum); return [ptr, JSON.stringify(parent[key])]; });
        }
        break;
      case 'bad-date':
        if (s.format === 'edtf' && typeof value === 'string') {
          out.push(() => {
            const edited = r.int(3) === 0;
            parent[key] = edited ? editDate(value) : r.pick(badDates);
            return [ptr, `${JSON.stringify(parent[key])}${edited ? ' (random edit)' : ''}`];
          });
        }
        break;
      case 'missing-field':
        if (value && typeof value === 'object' && !Array.isArray(value)) {
          for (const k of s.required || []) {
            if (ptr === '' && k === 'type') continue;
            if (k in value) out.push(() => { delete value[k]; return [`${ptr}/${k}`, 'removed']; });
          }
          for (const [k, needs] of Object.entries(s.dependentRequired || {})) {
            if (!(k in value)) continue;
            for (const n of needs) {
              if (n in value) out.push(() => { delete value[n]; return [`${ptr}/${n}`, `removed, though ${k} needs it`]; });
            }
          }
        }
        break;
      case 'extra-field':
        if (value && typeof value === 'object' && !Array.isArray(value) && s.additionalProperties === false) {
          out.push(() => {
            const name = r.pick(extraNames.filter((n) => !(s.properties && s.properties[n])));
            value[name] = r.pick(extraValues);
            return [`${ptr}/${name}`, `added ${JSON.stringify(value[name])}`];
          });
        }
        break;
      case 'wrong-type':
        if (ptr !== '' && s.type) {
          out.push(() => { parent[key] = wrongType(value); return [ptr, JSON.stringify(parent[key])]; });
        }
        break;
    }
  });
  return out;
}

const lines = fs.readFileSync(inFile, 'utf8').split('\n');
if (lines[lines.length - 1] === '') lines.pop();
const manifest = [];
let turn = 0;
for (let block = 0; block < lines.length; block += 10) {
  const i = block + r.int(Math.min(10, lines.length - block));
  const rec = JSON.parse(lines[i]);
  const id = typeof rec.id === 'string' ? rec.id : '';
  for (let k = 0; k < kinds.length; k++) {
    const kind = kinds[(turn + k) % kinds.length];
    const cands = candidates(rec, kind);
    if (!cands.length) continue;
    const [ptr, what] = r.pick(cands)();
    manifest.push([i + 1, id, kind, ptr, what].join('\t'));
    lines[i] = JSON.stringify(rec);
    break;
  }
  turn++;
}
fs.writeFileSync(outFile, lines.join('\n') + '\n');
fs.writeFileSync(manifestFile, manifest.join('\n') + '\n');
console.error(`mutate: ${manifest.length} of ${lines.length} records mutated`);
