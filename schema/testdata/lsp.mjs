// Drives a yaml-language-server over the Language Server Protocol, as an
// editor does, for TestEditorSchemaInYAMLLanguageServer.
//
// usage: node lsp.mjs SERVER SCHEMA REQUESTS.json
// REQUESTS is a list of {file, line?, character?} (0-based): each file is
// opened with SCHEMA mapped to it; the output is a JSON list of
// {file, diagnostics: ["line:col message"], completion: [labels], hover}.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const [server, schema, requestsFile] = process.argv.slice(2);
const requests = JSON.parse(fs.readFileSync(requestsFile, 'utf8'));
const srv = spawn(server, ['--stdio']);
srv.on('error', e => { console.error(e.message); process.exit(2); });
let buf = Buffer.alloc(0), id = 0;
const pending = new Map(), diagnostics = new Map();
const schemaUri = 'file://' + path.resolve(schema);
const settings = { schemas: { [schemaUri]: '*.yaml' }, validate: true, completion: true, hover: true };

function send(msg) {
  const s = JSON.stringify({ jsonrpc: '2.0', ...msg });
  srv.stdin.write(`Content-Length: ${Buffer.byteLength(s)}\r\n\r\n${s}`);
}
function request(method, params) {
  const i = ++id;
  send({ id: i, method, params });
  return new Promise(r => pending.set(i, r));
}
function waitDiagnostics(uri) {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('no diagnostics for ' + uri)), 30000);
    diagnostics.set(uri, d => { clearTimeout(t); resolve(d); });
  });
}
srv.stdout.on('data', d => {
  buf = Buffer.concat([buf, d]);
  for (;;) {
    const h = buf.indexOf('\r\n\r\n');
    if (h < 0) return;
    const len = +/Content-Length: (\d+)/.exec(buf.subarray(0, h).toString())[1];
    if (buf.length < h + 4 + len) return;
    const msg = JSON.parse(buf.subarray(h + 4, h + 4 + len).toString());
    buf = buf.subarray(h + 4 + len);
    if (msg.id !== undefined && !msg.method && pending.has(msg.id)) {
      pending.get(msg.id)(msg.result);
      pending.delete(msg.id);
    } else if (msg.method === 'workspace/configuration') {
      send({ id: msg.id, result: msg.params.items.map(() => settings) });
    } else if (msg.id !== undefined && msg.method) {
      send({ id: msg.id, result: null });
    } else if (msg.method === 'textDocument/publishDiagnostics' && diagnostics.has(msg.params.uri)) {
      diagnostics.get(msg.params.uri)(msg.params.diagnostics);
      diagnostics.delete(msg.params.uri);
    }
  }
});

await request('initialize', { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true } } });
send({ method: 'initialized', params: {} });
send({ method: 'workspace/didChangeConfiguration', params: { settings: { yaml: settings } } });
const out = [];
for (const r of requests) {
  const uri = 'file://' + path.resolve(r.file);
  const got = waitDiagnostics(uri);
  send({ method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: 'yaml', version: 1, text: fs.readFileSync(r.file, 'utf8') } } });
  const result = { file: r.file, diagnostics: (await got).map(x => `${x.range.start.line + 1}:${x.range.start.character + 1} ${x.message}`) };
  if (r.line !== undefined) {
    const position = { line: r.line, character: r.character };
    const c = await request('textDocument/completion', { textDocument: { uri }, position });
    result.completion = ((c && c.items) || c || []).map(i => i.label);
    const h = await request('textDocument/hover', { textDocument: { uri }, position });
    result.hover = h && h.contents ? (h.contents.value || JSON.stringify(h.contents)) : '';
  }
  out.push(result);
}
console.log(JSON.stringify(out, null, 1));
srv.kill();
process.exit(0);
