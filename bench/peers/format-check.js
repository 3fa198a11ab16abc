'use strict';
// Holds the JavaScript ports of the "edtf" and "uri" formats (formats.js),
// which the ajv peer uses, to annals' own verdicts: generates near-miss
// strings from valid seeds by random edits, asks the Go helper
// bench/peers/formatverdicts about each, and prints every disagreement.
//
//	node format-check.js FORMATVERDICTS_BINARY [COUNT] [SEED]
//
// Exits 1 on any disagreement.
const { spawnSync } = require('child_process');
const { isEDTF, isURI } = require('./formats');
const { rng } = require('./rand');

const [bin, countArg, seedArg] = process.argv.slice(2);
if (!bin) {
  console.error('usage: node format-check.js FORMATVERDICTS_BINARY [COUNT] [SEED]');
  process.exit(2);
}
const count = Number(countArg || 100000);
const r = rng(Number(seedArg || 1));

const edtfSeeds = [
  '2022', '2022-01', '2022-01-10', '2021-12-27T11:04:00+03:00', '2021-12-27T11:04:00Z',
  '2021-12-27T11:04:00', '2021-12-27T23:59:60-05', '2022-01-10?', '2022-01~', '2022-01-10%',
  '2022-01-XX', '2022-XX-XX', '20XX', '201X', '-0045', '-1985-04-12', 'Y12345', 'Y-170000002',
  '2001-21', '2001-24', '2022-01-09/2022-01-13', '2022-01-09/..', '../2022', '/2022', '2022/',
  '2004-02/2004-02-15', '2004/2004-03', '2004-06~/2004-07?', '2000-02-29', '1900-02-28',
  '2024-02-29', '0000', '9999-12-31', '2022-12-31/2023-01-01', '201X/2015', '1985-04-XX/1985-05',
];
const uriSeeds = [
  'https://example.org/news/1/article', 'http://user:pw@host.example:8080/p/a%20b?q=1&r=2#frag',
  'mailto:someone@example.org', 'urn:isbn:0451450523', 'http://[::1]/', 'http://[2001:db8::7]:80/',
  'http://[::ffff:192.0.2.1]/', 'http://[v1.fe]/', 'http://h%C3%A9st.example/', 'file:///tmp/x',
  'a:b', 'https://example.org?x=/y?#z/?', 'http://192.0.2.1:8080', 'ftp://ftp.example.org/pub/',
];
const edtfAlphabet = '0123456789X-/.?~%TZ+:Y ExtS,0129-/X';
const uriAlphabet = 'abcXYZ019:/?#[]@!$&\'()*+,;=%-._~ é"<>\\^`{|}8F.:';

function edit(s, alphabet) {
  const n = 1 + r.int(3);
  for (let k = 0; k < n; k++) {
    const i = r.int(s.length + 1);
    const c = alphabet[r.int(alphabet.length)];
    switch (r.int(4)) {
      case 0: s = s.slice(0, i) + c + s.slice(i + 1); break; // replace
      case 1: s = s.slice(0, i) + c + s.slice(i); break; // insert
      case 2: s = s.slice(0, i) + s.slice(i + 1); break; // delete
      default: { // swap two neighbours
        if (i + 1 < s.length) s = s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2);
      }
    }
  }
  return s;
}

const cases = [];
for (const s of edtfSeeds) cases.push({ f: 'edtf', s });
for (const s of uriSeeds) cases.push({ f: 'uri', s });
while (cases.length < count) {
  if (r.int(3) > 0) {
    let s = r.pick(edtfSeeds);
    if (r.int(4) === 0) s = r.pick(edtfSeeds) + '/' + r.pick(edtfSeeds);
    cases.push({ f: 'edtf', s: edit(s, edtfAlphabet) });
  } else {
    cases.push({ f: 'uri', s: edit(r.pick(uriSeeds), uriAlphabet) });
  }
}

const res = spawnSync(bin, [], { input: cases.map((c) => JSON.stringify(c)).join('\n') + '\n', maxBuffer: 1 << 30 });
if (res.status !== 0) {
  console.error(`format-check: ${bin} failed: ${res.stderr}`);
  process.exit(2);
}
const goVerdicts = res.stdout.toString().split('\n');
let bad = 0, valid = 0;
cases.forEach((c, i) => {
  const js = c.f === 'edtf' ? isEDTF(c.s) : isURI(c.s);
  const go = goVerdicts[i] === '1';
  if (go) valid++;
  if (js !== go) {
    bad++;
    console.log(`format ${c.f} ${JSON.stringify(c.s)}: annals says ${go ? 'valid' : 'invalid'}, the JavaScript port says ${js ? 'valid' : 'invalid'}`);
  }
});
console.log(`format check: ${cases.length} strings (${valid} valid to annals), ${bad} disagreements between annals and formats.js`);
process.exit(bad ? 1 : 0);
