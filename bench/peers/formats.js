'use strict';
// The two custom formats of annals' schemas, for ajv: "edtf" as
// internal/edtf parses it (levels 0 and 1) and "uri" as schema/uri.go's
// checkURI checks it. Only the verdict is ported, not the messages, so every
// path that fails in Go simply returns false here. format-check.js holds
// these functions to the Go ones on generated strings.
//
// Go works on bytes and JavaScript on UTF-16 code units; that changes no
// verdict, because every byte these grammars accept is ASCII, so any
// non-ASCII character fails in both wherever it stands.

const isDigit = (c) => c >= 48 && c <= 57; // 0-9
const X = 88, DASH = 45, T = 84, COLON = 58;

function isLeap(y) { return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0); }

function daysIn(y, m) {
  if (m === 2) return isLeap(y) ? 29 : 28;
  if (m === 4 || m === 6 || m === 9 || m === 11) return 30;
  return 31;
}

// before compares two [year, month, day] days. Years of Y-prefixed dates
// are BigInts; < and > compare BigInt and Number exactly.
function before(a, b) {
  if (a[0] < b[0]) return true;
  if (a[0] > b[0]) return false;
  if (a[1] !== b[1]) return a[1] < b[1];
  return a[2] < b[2];
}

// Scanner reads one date from s[i:end], like scanner in internal/edtf/scan.go.
class Scanner {
  constructor(s, i, end) { this.s = s; this.i = i; this.end = end; }
  more() { return this.i < this.end; }
  is(c) { return this.i < this.end && this.s.charCodeAt(this.i) === c; }
  run() {
    let n = 0;
    for (let j = this.i; j < this.end; j++) {
      const c = this.s.charCodeAt(j);
      if (!isDigit(c) && c !== X) break;
      n++;
    }
    return n;
  }

  // date returns {lo, hi} (days as [y, m, d]) or null when the text is not
  // a level 0 or 1 date.
  date(inInterval) {
    if (this.is(89 /* Y */)) return this.longYear();
    const neg = this.is(DASH);
    if (neg) this.i++;
    const y = this.year(neg);
    if (y === null) return null;
    const ep = { lo: [y[0], 1, 1], hi: [y[1], 12, 31] };
    if (this.is(T)) return null;
    if (!this.is(DASH)) return this.finish() ? ep : null;
    if (y[0] !== y[1]) return null; // X in the year, then a month: level 2
    this.i++;
    return this.month(ep, inInterval) ? ep : null;
  }

  month(ep, inInterval) {
    const y = ep.lo[0];
    const v = this.twoDigitsOrX();
    if (v === null) return false;
    const unspec = v === -1;
    if (unspec) {
      // the span stays the year's
    } else if (v >= 1 && v <= 12) {
      ep.lo = [y, v, 1];
      ep.hi = [y, v, daysIn(y, v)];
    } else if (v >= 21 && v <= 24) {
      switch (v) {
        case 21: ep.lo = [y, 3, 1]; ep.hi = [y, 5, 31]; break;
        case 22: ep.lo = [y, 6, 1]; ep.hi = [y, 8, 31]; break;
        case 23: ep.lo = [y, 9, 1]; ep.hi = [y, 11, 30]; break;
        default: ep.lo = [y, 12, 1]; ep.hi = [y + 1, 2, daysIn(y + 1, 2)];
      }
      if (this.is(DASH)) return false;
      return this.finish();
    } else {
      return false;
    }
    if (this.is(T)) return false;
    if (!this.is(DASH)) return this.finish();
    this.i++;
    return this.day(ep, v, unspec, inInterval);
  }

  day(ep, m, monthUnspec, inInterval) {
    const y = ep.lo[0];
    const v = this.twoDigitsOrX();
    if (v === null) return false;
    const unspec = v === -1;
    if (!unspec) {
      if (monthUnspec) return false; // a day after XX is level 2
      if (v < 1 || v > daysIn(y, m)) return false;
      ep.lo = [y, m, v];
      ep.hi = ep.lo;
    }
    if (this.is(DASH)) return false;
    if (!this.is(T)) return this.finish();
    if (inInterval || monthUnspec || unspec) return false;
    return this.time();
  }

  // year reads four digits with at most two trailing X and returns
  // [lo, hi], or null.
  year(neg) {
    const at = this.i;
    if (this.run() !== 4) return null;
    let lo = 0, hi = 0, xs = 0;
    for (let k = at; k < at + 4; k++) {
      const c = this.s.charCodeAt(k);
      if (c === X) {
        xs++;
        lo = lo * 10; hi = hi * 10 + 9;
        continue;
      }
      if (xs > 0) return null;
      lo = lo * 10 + (c - 48); hi = hi * 10 + (c - 48);
    }
    if (xs > 2) return null;
    this.i += 4;
    if (!neg) return [lo, hi];
    if (hi === 0) return null; // -0000
    return [-hi, -lo];
  }

  // twoDigitsOrX returns the value of two digits, -1 for XX, or null.
  twoDigitsOrX() {
    const at = this.i;
    if (this.run() !== 2) return null;
    const a = this.s.charCodeAt(at), b = this.s.charCodeAt(at + 1);
    this.i += 2;
    if (a === X && b === X) return -1;
    if (a === X || b === X) return null;
    return (a - 48) * 10 + (b - 48);
  }

  time() {
    this.i++; // T
    if (!this.clock(23, false) || !this.clock(59, true)) return false;
    if (!this.is(COLON)) return false; // seconds are required
    if (!this.clock(60, true)) return false;
    if (this.is(46 /* . */) || this.is(44 /* , */)) return false;
    if (this.is(90 /* Z */)) {
      this.i++;
    } else if (this.is(43 /* + */) || this.is(DASH)) {
      if (!this.offset()) return false;
    }
    return !this.more();
  }

  clock(limit, colon) {
    if (colon) {
      if (!this.is(COLON)) return false;
      this.i++;
    }
    const at = this.i, s = this.s;
    if (this.end - at < 2 || !isDigit(s.charCodeAt(at)) || !isDigit(s.charCodeAt(at + 1)) ||
        (at + 2 < this.end && isDigit(s.charCodeAt(at + 2)))) return false;
    const v = (s.charCodeAt(at) - 48) * 10 + (s.charCodeAt(at + 1) - 48);
    if (v > limit) return false;
    this.i += 2;
    return true;
  }

  offset() {
    this.i++; // sign
    const at = this.i, s = this.s;
    if (this.end - at >= 3 && isDigit(s.charCodeAt(at)) && isDigit(s.charCodeAt(at + 1)) && isDigit(s.charCodeAt(at + 2))) return false;
    if (!this.clock(23, false)) return false;
    if (!this.is(COLON)) return true;
    return this.clock(59, true);
  }

  longYear() {
    this.i++; // Y
    const neg = this.is(DASH);
    if (neg) this.i++;
    const at = this.i;
    while (this.more() && isDigit(this.s.charCodeAt(this.i))) this.i++;
    const digits = this.s.slice(at, this.i);
    if (digits === '' || digits[0] === '0' || digits.length <= 4 || digits.length > 18) return null;
    // 69 E, 83 S: level 2 exponent and significant digits fail here too.
    if (this.is(X) || this.is(DASH)) return null;
    let y = BigInt(digits);
    if (neg) y = -y;
    const ep = { lo: [y, 1, 1], hi: [y, 12, 31] };
    return this.finish() ? ep : null;
  }

  // finish reads the optional qualifier that ends a date.
  finish() {
    if (!this.more()) return true;
    const c = this.s.charCodeAt(this.i);
    if (c !== 63 /* ? */ && c !== 126 /* ~ */ && c !== 37 /* % */) return false;
    this.i++;
    return !this.more();
  }
}

function parseEnd(s, from, to) {
  if (from === to) return 'unknown';
  if (to - from === 2 && s[from] === '.' && s[from + 1] === '.') return 'open';
  if (s[from] === '.') return null;
  return new Scanner(s, from, to).date(true);
}

// isEDTF reports whether s is an EDTF level 0 or level 1 date, as
// edtf.Parse in internal/edtf decides.
function isEDTF(s) {
  if (typeof s !== 'string') return true;
  if (s === '') return false;
  const slash = s.indexOf('/');
  if (slash < 0) {
    if (s[0] === '.') return false;
    return new Scanner(s, 0, s.length).date(false) !== null;
  }
  if (s.indexOf('/', slash + 1) >= 0) return false;
  const start = parseEnd(s, 0, slash);
  if (start === null) return false;
  const end = parseEnd(s, slash + 1, s.length);
  if (end === null) return false;
  const startDate = typeof start === 'object', endDate = typeof end === 'object';
  if (!startDate && !endDate) return false;
  if (startDate && endDate && before(end.hi, start.lo)) return false;
  return true;
}

// --- uri: schema/uri.go ---

const isAlpha = (c) => (c | 0x20) >= 97 && (c | 0x20) <= 122;
const isHex = (c) => isDigit(c) || ((c | 0x20) >= 97 && (c | 0x20) <= 102);
const PCHAR = "-._~!$&'()*+,;=:@";

// checkChars: only unreserved characters, percent-encodings, sub-delims,
// ':' and '@', plus the characters in extra.
function checkChars(part, extra) {
  for (let i = 0; i < part.length; i++) {
    const c = part.charCodeAt(i);
    if (isAlpha(c) || isDigit(c) || PCHAR.indexOf(part[i]) >= 0) continue;
    if (extra.indexOf(part[i]) >= 0 && c < 128) continue;
    if (c === 37 /* % */) {
      if (i + 2 >= part.length || !isHex(part.charCodeAt(i + 1)) || !isHex(part.charCodeAt(i + 2))) return false;
      i += 2;
      continue;
    }
    return false;
  }
  return true;
}

function checkScheme(scheme) {
  if (scheme === '') return false;
  for (let i = 0; i < scheme.length; i++) {
    const c = scheme.charCodeAt(i);
    if (isAlpha(c)) continue;
    if (i > 0 && (isDigit(c) || c === 43 || c === 45 || c === 46)) continue;
    return false;
  }
  return true;
}

function checkHost(host) {
  if (!checkChars(host, '')) return false;
  for (let i = 0; i + 2 < host.length; i++) {
    if (host[i] === '%' && host.charCodeAt(i + 1) < 56 /* '8' */) return false;
  }
  return true;
}

// parseIPv4Fields follows net/netip: four decimal octets, no leading zero.
function isIPv4(s) {
  let val = 0, pos = 0, digLen = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isDigit(c)) {
      if (digLen === 1 && val === 0) return false;
      val = val * 10 + (c - 48);
      digLen++;
      if (val > 255) return false;
    } else if (c === 46) {
      if (i === 0 || i === s.length - 1 || s[i - 1] === '.') return false;
      if (pos === 3) return false;
      pos++;
      val = 0;
      digLen = 0;
    } else {
      return false;
    }
  }
  return pos === 3;
}

// isIPv6 follows net/netip's parseIPv6 for an address without a zone.
function isIPv6(s) {
  let ellipsis = -1;
  if (s.length >= 2 && s[0] === ':' && s[1] === ':') {
    ellipsis = 0;
    s = s.slice(2);
    if (s.length === 0) return true;
  }
  let i = 0;
  while (i < 16) {
    let off = 0, acc = 0;
    for (; off < s.length; off++) {
      const c = s.charCodeAt(off);
      if (isDigit(c)) acc = acc * 16 + (c - 48);
      else if (c >= 97 && c <= 102) acc = acc * 16 + (c - 87);
      else if (c >= 65 && c <= 70) acc = acc * 16 + (c - 55);
      else break;
      if (off > 3) return false;
      if (acc > 0xffff) return false;
    }
    if (off === 0) return false;
    if (off < s.length && s[off] === '.') {
      if (ellipsis < 0 && i !== 12) return false;
      if (i + 4 > 16) return false;
      if (!isIPv4(s)) return false;
      s = '';
      i += 4;
      break;
    }
    i += 2;
    s = s.slice(off);
    if (s.length === 0) break;
    if (s[0] !== ':' || s.length === 1) return false;
    s = s.slice(1);
    if (s[0] === ':') {
      if (ellipsis >= 0) return false;
      ellipsis = i;
      s = s.slice(1);
      if (s.length === 0) break;
    }
  }
  if (s.length !== 0) return false;
  if (i < 16) return ellipsis >= 0;
  return ellipsis < 0;
}

function checkIPLiteral(ip) {
  if (ip !== '' && (ip[0] === 'v' || ip[0] === 'V')) return true; // IPvFuture
  if (ip.indexOf('%') >= 0) return false; // RFC 3986 has no zones
  // netip.ParseAddr: the first '.' or ':' decides IPv4 or IPv6; Is6 wants 6.
  for (let k = 0; k < ip.length; k++) {
    if (ip[k] === '.') return false;
    if (ip[k] === ':') return isIPv6(ip);
  }
  return false;
}

function checkAuthority(authority) {
  let hostport = authority;
  const at = authority.lastIndexOf('@');
  if (at >= 0) {
    if (!checkChars(authority.slice(0, at), ':')) return false;
    hostport = authority.slice(at + 1);
  }
  let host = hostport;
  if (hostport.startsWith('[')) {
    const end = hostport.indexOf(']');
    if (end < 0) return false;
    if (!checkIPLiteral(hostport.slice(1, end))) return false;
    host = hostport.slice(0, end + 1);
  } else {
    const colon = hostport.indexOf(':');
    if (colon >= 0) host = hostport.slice(0, colon);
    if (!checkHost(host)) return false;
  }
  if (hostport.length > host.length && hostport[host.length] !== ':') return false;
  const port = hostport.slice(host.length).replace(/^:/, '');
  for (let i = 0; i < port.length; i++) if (!isDigit(port.charCodeAt(i))) return false;
  return true;
}

// isURI reports whether s is an absolute URI under RFC 3986, as checkURI
// in schema/uri.go decides.
function isURI(s) {
  if (typeof s !== 'string') return true;
  const colon = s.indexOf(':');
  if (colon < 0 || !checkScheme(s.slice(0, colon))) return false;
  let rest = s.slice(colon + 1);
  let i = rest.indexOf('#');
  if (i >= 0) {
    if (!checkChars(rest.slice(i + 1), '/?')) return false;
    rest = rest.slice(0, i);
  }
  i = rest.indexOf('?');
  if (i >= 0) {
    if (!checkChars(rest.slice(i + 1), '/?')) return false;
    rest = rest.slice(0, i);
  }
  if (rest.startsWith('//')) {
    let authority = rest.slice(2);
    const slash = authority.indexOf('/');
    if (slash >= 0) authority = authority.slice(0, slash);
    if (!checkAuthority(authority)) return false;
    rest = rest.slice(2 + authority.length);
  }
  return checkChars(rest, '/');
}

module.exports = { isEDTF, isURI };
