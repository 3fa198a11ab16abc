package json

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/maphash"
	"math/bits"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/annals-project/annals/convert/record"
)

// parser decodes one JSON value held whole in data (see inputBuffer.frameValue)
// into the JSON data model, strictly by RFC 8259, and reports the first
// problem with its line and column. It keeps offsets while parsing and turns
// one into a line and column only for an error, so that valid input pays
// nothing for positions.
type parser struct {
	data      []byte
	i         int    // offset of the next byte to read
	file      string // for errors
	line, col int    // position of data[0]
	eof       string // what running out of data means: "end of file" or "end of line"
	depth     int    // arrays and objects open, counting enclosing ones (see open)
	maxDepth  int
	open      []openMark        // arrays and objects not yet closed, innermost last
	keys      *[keySlots]string // interned object keys, made on first use: records repeat the same keys
	values    *valueCache       // recent short string values, made on first use
	sb        []byte            // scratch for strings with escapes
	strStart  int               // offset of the quote that opened the string being read

	// The members and items of the objects and arrays being read,
	// innermost last: each is made at its final size when it closes, in
	// one allocation instead of one per doubling.
	members []keyValue
	items   []any
}

type keyValue struct {
	key string
	v   any
}

// bigObject is the number of members from which an object being read goes
// into its map at once: finding a duplicate key among the members on the
// stack takes a scan, fine for the dozen of a record, not for thousands.
const bigObject = 32

// openMark is an array, object or string that has been opened, for the
// "never closed" message at the end of the input. A mark of an enclosing
// array outside data (the top-level array of a .json file) has off < 0 and
// its position in line and col.
type openMark struct {
	what      string
	off       int
	line, col int
}

// keySlots is the size of the key cache: a schema's keys are a few
// dozen.
const (
	keyBits  = 9
	keySlots = 1 << keyBits
)

// reset prepares the parser for a value at data[0], which is at line:col.
// outer, when not nil, is the array that encloses the value.
func (p *parser) reset(data []byte, line, col int, outer *openMark) {
	p.data, p.i, p.line, p.col = data, 0, line, col
	p.open = p.open[:0]
	clear(p.members) // an error may have left some: let them go
	p.members = p.members[:0]
	clear(p.items)
	p.items = p.items[:0]
	p.depth = 0
	if outer != nil {
		p.open = append(p.open, *outer)
		p.depth = 1
	}
}

// pos returns the line and column of data[off].
func (p *parser) pos(off int) (line, col int) {
	off = min(max(off, 0), len(p.data))
	return record.Advance(p.line, p.col, p.data[:off])
}

func (p *parser) errAt(off int, code, format string, args ...any) *record.SyntaxError {
	line, col := p.pos(off)
	return &record.SyntaxError{Position: record.Position{File: p.file, Line: line, Col: col}, Code: code, Msg: fmt.Sprintf(format, args...)}
}

// found reports an unexpected character at off, format having one %s for
// it; or the end of the data, or a byte that is not UTF-8, when that is what
// is at off.
func (p *parser) found(off int, format string) *record.SyntaxError {
	if off >= len(p.data) {
		return p.eofErr(nil)
	}
	if err := p.checkUTF8(off); err != nil {
		return err
	}
	return p.errAt(off, record.CodeSyntax, format, record.DescribeAt(p.data[off:]))
}

// checkUTF8 reports the byte at off when it does not start a valid UTF-8
// character.
func (p *parser) checkUTF8(off int) *record.SyntaxError {
	if p.data[off] < utf8.RuneSelf {
		return nil
	}
	if r, size := utf8.DecodeRune(p.data[off:]); r == utf8.RuneError && size <= 1 {
		return p.errAt(off, record.CodeInvalidUTF8, "invalid UTF-8 byte 0x%02x", p.data[off])
	}
	return nil
}

// eofErr reports the end of the data, naming the innermost thing still open
// (str when not nil, else the innermost open array or object).
func (p *parser) eofErr(str *openMark) *record.SyntaxError {
	msg := "unexpected " + p.eof
	m := str
	if m == nil && len(p.open) > 0 {
		m = &p.open[len(p.open)-1]
	}
	if m != nil {
		line, col := m.line, m.col
		if m.off >= 0 {
			line, col = p.pos(m.off)
		}
		msg += fmt.Sprintf(": the %s opened at line %d, column %d is never closed", m.what, line, col)
	}
	return p.errAt(len(p.data), record.CodeSyntax, "%s", msg)
}

// skipSpace skips JSON whitespace.
func (p *parser) skipSpace() {
	for p.i < len(p.data) {
		switch p.data[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// value parses the value at p.i, after optional whitespace.
func (p *parser) value() (any, error) {
	p.skipSpace()
	if p.i >= len(p.data) {
		return nil, p.eofErr(nil)
	}
	switch c := p.data[p.i]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		b, err := p.strBytes()
		if err != nil {
			return nil, err
		}
		return p.strValue(b), nil
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	case c == 't':
		return p.literal("true", true)
	case c == 'f':
		return p.literal("false", false)
	case c == 'n':
		return p.literal("null", nil)
	}
	return nil, p.badValue(p.i)
}

// enter opens an array or object at p.i, enforcing the depth limit.
func (p *parser) enter(what string) *record.SyntaxError {
	if p.depth >= p.maxDepth {
		return p.errAt(p.i, record.CodeTooDeep, "too deeply nested: more than %d levels of arrays and objects", p.maxDepth)
	}
	p.depth++
	p.open = append(p.open, openMark{what: what, off: p.i})
	p.i++
	return nil
}

// leave closes the innermost array or object at p.i.
func (p *parser) leave() {
	p.depth--
	p.open = p.open[:len(p.open)-1]
	p.i++
}

// object parses the object at p.i (at its '{').
func (p *parser) object() (any, error) {
	start := p.i
	if err := p.enter("object"); err != nil {
		return nil, err
	}
	base := len(p.members)
	var m map[string]any // once the object is big
	p.skipSpace()
	if p.i < len(p.data) && p.data[p.i] == '}' {
		p.leave()
		return map[string]any{}, nil
	}
	for {
		if err := p.member(base, &m, start); err != nil {
			return nil, err
		}
		p.skipSpace()
		if p.i >= len(p.data) {
			return nil, p.eofErr(nil)
		}
		switch p.data[p.i] {
		case '}':
			p.leave()
			if m == nil {
				m = p.popMembers(base, 0)
			}
			return m, nil
		case ',':
			comma := p.i
			p.i++
			p.skipSpace()
			if p.i < len(p.data) && p.data[p.i] == '}' {
				return nil, p.errAt(comma, record.CodeSyntax, "trailing comma before '}'")
			}
		default:
			return nil, p.found(p.i, "expected ',' or '}' after an object member, found %s")
		}
	}
}

// popMembers makes a map of the members on the stack from base, with room
// for extra more, and takes them off the stack.
func (p *parser) popMembers(base, extra int) map[string]any {
	ms := p.members[base:]
	m := make(map[string]any, len(ms)+extra)
	for _, kv := range ms {
		m[kv.key] = kv.v
	}
	clear(ms)
	p.members = p.members[:base]
	return m
}

// member parses `"key": value` at p.i (after whitespace) into the object
// that starts at obj: onto the stack of members from base, or into *m
// once the object is big.
func (p *parser) member(base int, m *map[string]any, obj int) error {
	if p.i >= len(p.data) {
		return p.eofErr(nil)
	}
	if p.data[p.i] != '"' {
		return p.badKey(p.i)
	}
	keyOff := p.i
	b, err := p.strBytes()
	if err != nil {
		return err
	}
	key := p.intern(b)
	if *m != nil {
		if _, dup := (*m)[key]; dup {
			return p.duplicate(obj, keyOff, key)
		}
	} else {
		for _, kv := range p.members[base:] {
			if kv.key == key {
				return p.duplicate(obj, keyOff, key)
			}
		}
	}
	p.skipSpace()
	if p.i >= len(p.data) {
		return p.eofErr(nil)
	}
	if p.data[p.i] != ':' {
		// The key goes into a format: its '%' must stay text.
		return p.found(p.i, "expected ':' after the key "+strings.ReplaceAll(record.QuoteKey(key), "%", "%%")+", found %s")
	}
	p.i++
	v, err := p.value()
	if err != nil {
		return err
	}
	if *m != nil {
		(*m)[key] = v
		return nil
	}
	p.members = append(p.members, keyValue{key, v})
	if len(p.members)-base == bigObject {
		*m = p.popMembers(base, bigObject)
	}
	return nil
}

// duplicate reports the key at keyOff, which the object at obj already has.
// Finding the first occurrence re-scans the object: this is the rare path,
// and it spares every object the cost of remembering where its keys are.
func (p *parser) duplicate(obj, keyOff int, key string) *record.SyntaxError {
	first := keyOff
	if k, _, ok := findMember(p.data, obj, key); ok {
		first = k
	}
	line, col := p.pos(first)
	return p.errAt(keyOff, record.CodeDuplicate, "duplicate key %s (first at line %d, column %d)", record.QuoteKey(key), line, col)
}

// intern returns b as a string, reusing the string of an earlier equal key:
// records repeat the same keys, and sharing them saves an allocation per
// key. The cache is direct-mapped by a hash of the key's length and three
// of its bytes, cheaper than a map; a slot keeps the last key that hashed
// to it.
func (p *parser) intern(b []byte) string {
	n := len(b)
	if n == 0 {
		return ""
	}
	if p.keys == nil {
		p.keys = new([keySlots]string)
	}
	x := uint32(n) | uint32(b[0])<<8 | uint32(b[n/2])<<16 | uint32(b[n-1])<<24
	slot := &p.keys[(x*0x9E3779B1)>>(32-keyBits)]
	if *slot == string(b) {
		return *slot
	}
	s := string(b)
	if n <= 64 {
		*slot = s
	}
	return s
}

// valueCache holds short string values already made into interface
// values, by hash: records repeat the same types, ranks, dates, roles,
// source ids and outlet names, and a value taken from the cache costs no
// allocation, where a new one costs two (the bytes and the interface's
// box). A slot keeps the last value that hashed to it.
type valueCache struct {
	seed  maphash.Seed
	slots [valueSlots]cachedValue
}

type cachedValue struct {
	s string
	v any
}

const (
	valueSlots     = 1024 // a power of two
	maxCachedValue = 40   // bytes: longer values are seldom repeated
)

// strValue returns the string value b as an interface value, from the
// cache when it holds b.
func (p *parser) strValue(b []byte) any {
	if len(b) > maxCachedValue {
		return string(b)
	}
	if p.values == nil {
		p.values = &valueCache{seed: maphash.MakeSeed()}
	}
	e := &p.values.slots[maphash.Bytes(p.values.seed, b)&(valueSlots-1)]
	if e.v != nil && e.s == string(b) {
		return e.v
	}
	s := string(b)
	e.s, e.v = s, s
	return e.v
}

// array parses the array at p.i (at its '[').
func (p *parser) array() (any, error) {
	if err := p.enter("array"); err != nil {
		return nil, err
	}
	base := len(p.items)
	p.skipSpace()
	if p.i < len(p.data) && p.data[p.i] == ']' {
		p.leave()
		return []any{}, nil
	}
	for {
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		p.items = append(p.items, v)
		p.skipSpace()
		if p.i >= len(p.data) {
			return nil, p.eofErr(nil)
		}
		switch p.data[p.i] {
		case ']':
			p.leave()
			a := make([]any, len(p.items)-base)
			copy(a, p.items[base:])
			clear(p.items[base:])
			p.items = p.items[:base]
			return a, nil
		case ',':
			comma := p.i
			p.i++
			p.skipSpace()
			if p.i < len(p.data) && p.data[p.i] == ']' {
				return nil, p.errAt(comma, record.CodeSyntax, "trailing comma before ']'")
			}
		default:
			return nil, p.found(p.i, "expected ',' or ']' after an array element, found %s")
		}
	}
}

// literal parses true, false or null.
func (p *parser) literal(word string, v any) (any, error) {
	rest := p.data[p.i:]
	if len(rest) >= len(word) && string(rest[:len(word)]) == word {
		p.i += len(word)
		return v, nil
	}
	if len(rest) < len(word) && string(rest) == word[:len(rest)] {
		return nil, p.eofErr(nil)
	}
	return nil, p.badValue(p.i)
}

// number parses a number, keeping its text: json.Number, never float64, so
// that 1.10 and 12345678901234567890 stay exactly as written.
func (p *parser) number() (any, error) {
	d := p.data
	start, i := p.i, p.i
	if d[i] == '-' {
		i++
	}
	switch {
	case i >= len(d):
		return nil, p.eofErr(nil)
	case d[i] == '0':
		i++
		if i < len(d) && isDigit(d[i]) {
			return nil, p.errAt(i-1, record.CodeSyntax, "numbers must not have leading zeros")
		}
	case isDigit(d[i]):
		i = skipDigits(d, i)
	case d[i] == 'I' || d[i] == 'i':
		return nil, p.badWord(start)
	default:
		return nil, p.found(i, "expected a digit after '-', found %s")
	}
	if i < len(d) && d[i] == '.' {
		i++
		if i >= len(d) {
			return nil, p.eofErr(nil)
		}
		if !isDigit(d[i]) {
			return nil, p.found(i, "expected a digit after the decimal point, found %s")
		}
		i = skipDigits(d, i)
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		if i >= len(d) {
			return nil, p.eofErr(nil)
		}
		if !isDigit(d[i]) {
			return nil, p.found(i, "expected a digit in the exponent, found %s")
		}
		i = skipDigits(d, i)
	}
	p.i = i
	return json.Number(d[start:i]), nil
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func skipDigits(d []byte, i int) int {
	for i < len(d) && isDigit(d[i]) {
		i++
	}
	return i
}

// strBytes parses the string at p.i (at its '"') and returns its decoded
// bytes: a slice of data when it has no escapes (the common case), else the
// scratch buffer, valid until the next string.
func (p *parser) strBytes() ([]byte, error) {
	d := p.data
	start := p.i + 1
	i := nextSpecial(d, start, true)
	if i < len(d) && d[i] == '"' {
		p.i = i + 1
		return d[start:i], nil
	}
	return p.strSlow(start, i)
}

// nextSpecial returns the offset of the first byte from i on that a
// string cannot simply pass over: '"', '\\', a control character, or (with
// nonASCII) a byte of a non-ASCII character; or len(d). It looks at eight
// bytes at a time: the lowest byte any of the word tests flags is always a
// true match, since a false one can only follow a true one.
func nextSpecial(d []byte, i int, nonASCII bool) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	var high uint64
	if nonASCII {
		high = highs
	}
	for ; i+8 <= len(d); i += 8 {
		w := binary.LittleEndian.Uint64(d[i:])
		q, b := w^('"'*ones), w^('\\'*ones)
		m := (q-ones)&^q | (b-ones)&^b | (w-0x20*ones)&^w
		if m = m&highs | w&high; m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
	}
	for ; i < len(d); i++ {
		if c := d[i]; c == '"' || c == '\\' || c < 0x20 || nonASCII && c >= utf8.RuneSelf {
			return i
		}
	}
	return len(d)
}

// strSlow continues strBytes at i, where escapes, control characters or
// non-ASCII characters begin.
func (p *parser) strSlow(start, i int) ([]byte, error) {
	d := p.data
	p.strStart = start - 1
	escaped := false
	sb := p.sb[:0]
	lit := start // start of the text not yet copied into sb
	for {
		// The text up to the next quote, backslash or control character
		// must be UTF-8; a character cannot straddle an ASCII byte.
		j := nextSpecial(d, i, false)
		if !utf8.Valid(d[i:j]) {
			bad := i + firstInvalid(d[i:j])
			return nil, p.errAt(bad, record.CodeInvalidUTF8, "invalid UTF-8 byte 0x%02x", d[bad])
		}
		i = j
		if i >= len(d) {
			p.sb = sb
			return nil, p.stringEOF()
		}
		switch d[i] {
		case '"':
			p.i = i + 1
			if !escaped {
				return d[start:i], nil
			}
			p.sb = append(sb, d[lit:i]...)
			return p.sb, nil
		case '\\':
			sb = append(sb, d[lit:i]...)
			escaped = true
			n, err := p.escape(&sb, i)
			if err != nil {
				return nil, err
			}
			i += n
			lit = i
		default:
			return nil, p.controlInString(i)
		}
	}
}

// firstInvalid returns the offset of the first byte of b that does not
// start a valid UTF-8 character.
func firstInvalid(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(b)
}

// stringEOF reports the end of the data inside the string being read.
func (p *parser) stringEOF() *record.SyntaxError {
	return p.eofErr(&openMark{what: "string", off: p.strStart})
}

// controlInString reports the raw control character at i in a string.
func (p *parser) controlInString(i int) *record.SyntaxError {
	switch c := p.data[i]; c {
	case '\n', '\r':
		return p.errAt(i, record.CodeSyntax, "line break inside a string: close the string with '\"' before the end of the line, or write \\n")
	case '\t':
		return p.errAt(i, record.CodeSyntax, "tab character inside a string: write it as \\t")
	default:
		return p.errAt(i, record.CodeSyntax, "control character U+%04X inside a string: write it as \\u%04x", c, c)
	}
}

// escape decodes the escape sequence at d[i] (a backslash) onto sb and
// returns its length.
func (p *parser) escape(sb *[]byte, i int) (int, error) {
	d := p.data
	if i+1 >= len(d) {
		return 0, p.stringEOF()
	}
	switch c := d[i+1]; c {
	case '"', '\\', '/':
		*sb = append(*sb, c)
	case 'b':
		*sb = append(*sb, '\b')
	case 'f':
		*sb = append(*sb, '\f')
	case 'n':
		*sb = append(*sb, '\n')
	case 'r':
		*sb = append(*sb, '\r')
	case 't':
		*sb = append(*sb, '\t')
	case 'u':
		return p.unicodeEscape(sb, i)
	default:
		if err := p.checkUTF8(i + 1); err != nil {
			return 0, err
		}
		return 0, p.errAt(i, record.CodeSyntax, "invalid escape: a backslash followed by %s; write a backslash as \\\\", record.DescribeAt(d[i+1:]))
	}
	return 2, nil
}

// unicodeEscape decodes \uXXXX at d[i], or a UTF-16 surrogate pair written
// as two of them. Half a pair is an error: it is not a character, and it
// cannot be written as UTF-8.
func (p *parser) unicodeEscape(sb *[]byte, i int) (int, error) {
	r, err := p.hex4(i)
	if err != nil {
		return 0, err
	}
	n := 6
	if utf16.IsSurrogate(r) {
		lo := rune(-1)
		if r < 0xdc00 && i+7 < len(p.data) && p.data[i+6] == '\\' && p.data[i+7] == 'u' {
			if lo, err = p.hex4(i + 6); err != nil {
				return 0, err
			}
		}
		r = utf16.DecodeRune(r, lo)
		if r == utf8.RuneError {
			return 0, p.errAt(i, record.CodeSyntax, "invalid escape %s: half of a UTF-16 surrogate pair without the other half", p.data[i:i+6])
		}
		n = 12
	}
	*sb = utf8.AppendRune(*sb, r)
	return n, nil
}

// hex4 reads the four hexadecimal digits of the \u escape at d[i].
func (p *parser) hex4(i int) (rune, error) {
	var r rune
	for k := i + 2; k < i+6; k++ {
		if k >= len(p.data) {
			return 0, p.stringEOF()
		}
		c := p.data[k]
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, p.errAt(i, record.CodeSyntax, "invalid escape: \\u must be followed by four hexadecimal digits")
		}
		r = r<<4 | rune(c)
	}
	return r, nil
}

// badValue explains a character that cannot start a value. Mistakes that
// people make often get a message of their own.
func (p *parser) badValue(off int) *record.SyntaxError {
	d := p.data
	switch c := d[off]; {
	case c == '/' || c == '#':
		return p.errAt(off, record.CodeSyntax, "comments are not allowed in JSON")
	case c == '\'':
		return p.errAt(off, record.CodeSyntax, "strings must be in double quotes (\"), not single quotes")
	case c == '+':
		return p.errAt(off, record.CodeSyntax, "numbers must not start with '+'")
	case c == '.' && off+1 < len(d) && isDigit(d[off+1]):
		return p.errAt(off, record.CodeSyntax, "numbers must start with a digit: write 0.5, not .5")
	case c == '<' && isHTML(d[off:]):
		return p.errAt(off, record.CodeSyntax, htmlMessage)
	case c < utf8.RuneSelf && scalarByte[c] && c != '.' && c != '-':
		return p.badWord(off)
	}
	return p.found(off, "expected a value, found %s")
}

// htmlMessage explains a web page where records should be.
const htmlMessage = "this is a web page (HTML), not JSON: it was probably saved from a browser, or downloaded from a link that needs a login; save the records themselves"

// isHTML reports whether d starts like a web page.
func isHTML(d []byte) bool {
	head := strings.ToLower(string(d[:min(len(d), 15)]))
	return strings.HasPrefix(head, "<!doctype") || strings.HasPrefix(head, "<html")
}

// badWord explains a bare word where a value should be.
func (p *parser) badWord(off int) *record.SyntaxError {
	end := off
	if p.data[end] == '-' {
		end++
	}
	for end < len(p.data) && end-off < 40 && scalarByte[p.data[end]] && p.data[end] != '-' && p.data[end] != '+' {
		end++
	}
	word := string(p.data[off:end])
	switch word {
	case "NaN", "Infinity", "-Infinity", "inf", "-inf", "nan":
		return p.errAt(off, record.CodeSyntax, "'%s' is not allowed in JSON: numbers must be finite (use null or a string)", word)
	case "True", "TRUE", "False", "FALSE", "Null", "NULL":
		return p.errAt(off, record.CodeSyntax, "'%s' is not a JSON value: write true, false and null in lower case", word)
	case "None", "nil", "undefined":
		return p.errAt(off, record.CodeSyntax, "'%s' is not a JSON value: write null", word)
	}
	return p.errAt(off, record.CodeSyntax, "unexpected word %q: text must be in double quotes", word)
}

// badKey explains a character where an object key should start.
func (p *parser) badKey(off int) *record.SyntaxError {
	switch c := p.data[off]; {
	case c == '\'':
		return p.errAt(off, record.CodeSyntax, "keys must be in double quotes (\"), not single quotes")
	case c == '/' || c == '#':
		return p.errAt(off, record.CodeSyntax, "comments are not allowed in JSON")
	case c < utf8.RuneSelf && scalarByte[c]:
		return p.errAt(off, record.CodeSyntax, "keys must be in double quotes (\"), found %s", record.DescribeAt(p.data[off:]))
	}
	return p.found(off, "expected a key in double quotes, found %s")
}
