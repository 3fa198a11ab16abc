'use strict';
// The ajv peer: validates a JSON Lines file of annals records in one
// process, as `annals validate` does, with Ajv's draft 2020-12 validator
// (allErrors, ajv-formats) and annals' own "edtf" and "uri" formats ported
// in formats.js. Each record goes to the schema of its "type"; a record
// without a known type is invalid, as annals says too.
//
//	node ajv-validate.js [--verdicts] SCHEMA_DIR FILE.jsonl
//
// The whole run is what bench/peers.sh times: start, schema compilation,
// reading, JSON.parse and validation. A summary goes to standard error;
// --verdicts also prints one line per invalid record on standard output:
// LINE <tab> ID <tab> the errors, for the differential check.
const fs = require('fs');
const path = require('path');
const { isEDTF, isURI } = require('./formats');

const args = process.argv.slice(2);
const verdicts = args[0] === '--verdicts';
if (verdicts) args.shift();
if (args.length !== 2) {
  console.error('usage: node ajv-validate.js [--verdicts] SCHEMA_DIR FILE.jsonl');
  process.exit(2);
}
const [schemaDir, file] = args;

// The peers are installed in bench/.peers/node (bench/peers.sh), or found
// the usual way.
const peerModules = path.join(__dirname, '..', '.peers', 'node', 'node_modules');
const req = (name) => require(require.resolve(name, { paths: [peerModules, __dirname] }));
const Ajv2020 = req('ajv/dist/2020');
const addFormats = req('ajv-formats');

const ajv = new Ajv2020({ allErrors: true });
addFormats(ajv);
ajv.addFormat('edtf', { type: 'string', validate: isEDTF });
ajv.addFormat('uri', { type: 'string', validate: isURI }); // replaces ajv-formats' uri
// annals' annotations, declared so that strict mode keeps its other checks.
ajv.addVocabulary(['x-refers-to', 'x-hint', 'x-table', 'x-item']);

const base = 'https://w3id.org/annals/schema/v1/';
for (const f of fs.readdirSync(schemaDir).filter((f) => f.endsWith('.schema.json')).sort()) {
  ajv.addSchema(JSON.parse(fs.readFileSync(path.join(schemaDir, f), 'utf8')));
}
const validators = {};
for (const t of ['actor', 'source', 'event', 'statement']) validators[t] = ajv.getSchema(`${base}${t}.schema.json`);

let records = 0, invalid = 0, lineNo = 0;
const out = [];

function check(line) {
  lineNo++;
  if (line.length === 0 || line === '\r') return;
  records++;
  let rec;
  try {
    rec = JSON.parse(line);
  } catch (e) {
    invalid++;
    if (verdicts) out.push(`${lineNo}\t\tsyntax: ${e.message}`);
    return;
  }
  const validate = rec !== null && typeof rec === 'object' && !Array.isArray(rec) &&
    Object.prototype.hasOwnProperty.call(validators, rec.type) ? validators[rec.type] : null;
  if (validate && validate(rec)) return;
  invalid++;
  if (!verdicts) return;
  const id = rec && typeof rec.id === 'string' ? rec.id : '';
  const why = validate
    ? validate.errors.map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ')
    : 'no record type';
  out.push(`${lineNo}\t${id}\t${why}`);
  if (out.length >= 1024) flush();
}

function flush() {
  if (out.length) fs.writeSync(1, out.join('\n') + '\n');
  out.length = 0;
}

// Read in large chunks and split on line breaks: readline is slower, and a
// whole-file string would cap the input at V8's string limit.
const fd = fs.openSync(file, 'r');
const buf = Buffer.allocUnsafe(1 << 22);
let carry = Buffer.alloc(0);
for (;;) {
  const n = fs.readSync(fd, buf, 0, buf.length, null);
  if (n === 0) break;
  let chunk = carry.length ? Buffer.concat([carry, buf.subarray(0, n)]) : buf.subarray(0, n);
  const last = chunk.lastIndexOf(10);
  if (last < 0) {
    carry = Buffer.from(chunk);
    continue;
  }
  const text = chunk.toString('utf8', 0, last);
  carry = Buffer.from(chunk.subarray(last + 1));
  for (const line of text.split('\n')) check(line);
}
if (carry.length) check(carry.toString('utf8'));
fs.closeSync(fd);
flush();
console.error(`ajv: ${records} records, ${invalid} invalid`);
