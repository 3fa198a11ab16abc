package yaml

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/annals-project/annals/convert/record"
)

// yamlParserProblems are the messages of yaml.v3's parser, as opposed to
// its scanner. For these its "line N" is 0-based (the scanner's is 1-based),
// and it omits the line altogether when that is 0; yamlSyntaxError corrects
// for both.
var yamlParserProblems = map[string]bool{
	"did not find expected <stream-start>":   true,
	"did not find expected <document start>": true,
	"did not find expected node content":     true,
	"did not find expected '-' indicator":    true,
	"did not find expected key":              true,
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"found undefined tag handle":             true,
	"found duplicate %YAML directive":        true,
	"found incompatible YAML document":       true,
	"found duplicate %TAG directive":         true,
}

// syntaxError turns an error of yaml.v3, such as "yaml: line 7: mapping
// values are not allowed in this context", into a SyntaxError. yaml.v3
// reports only a line, which is where the construct in error starts or where
// the problem was found, so Col is 1 (except for an undefined alias, which
// is found in the text).
func (r *yamlReader) syntaxError(err error) *record.SyntaxError {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if i := strings.Index(rest, ": "); i > 0 {
			if n, err := strconv.Atoi(rest[:i]); err == nil {
				line, msg = n, rest[i+2:]
			}
		}
	}
	if line > 0 && yamlParserProblems[msg] {
		line++
	}
	e := &record.SyntaxError{Position: record.Position{File: r.file, Line: max(line, 1), Col: 1}, Code: record.CodeSyntax, Msg: msg}
	switch {
	case strings.HasPrefix(msg, "exceeded max depth"):
		e.Code = record.CodeTooDeep
		e.Msg = fmt.Sprintf("too deeply nested: more than %d levels of lists and mappings", r.lim.Depth)
	case strings.HasPrefix(msg, "document contains excessive aliasing"):
		e.Code = record.CodeTooLarge
	case strings.HasPrefix(msg, "unknown anchor '"):
		name := strings.TrimSuffix(strings.TrimPrefix(msg, "unknown anchor '"), "' referenced")
		e.Msg = fmt.Sprintf("alias *%s refers to no anchor &%s defined before it in this document", name, name)
		e.Line, e.Col = r.findAlias(name)
	default:
		r.refine(e)
		if e.Msg == msg && e.Code == record.CodeSyntax {
			if m, ok := findMistake(r.data, lineOffset(r.data, r.docLine), e.Line); ok {
				e.Line, e.Col = yamlPos(r.data, m.off)
				e.Msg = m.msg
			}
		}
	}
	return e
}

// refine points the commonest YAML mistakes at the character at fault,
// with a plainer message: yaml.v3 names only the line where the construct
// in error starts.
func (r *yamlReader) refine(e *record.SyntaxError) {
	from := lineOffset(r.data, e.Line)
	at := func(off int, msg string) {
		e.Line, e.Col = yamlPos(r.data, off)
		e.Msg = msg
	}
	switch e.Msg {
	case "found a tab character that violates indentation", "found character that cannot start any token":
		// The tab is in the indentation of this line or, for the first
		// message, of a later one.
		for off := from; off < len(r.data); {
			end := len(r.data)
			if k := bytes.IndexByte(r.data[off:], '\n'); k >= 0 {
				end = off + k
			}
			indent := len(r.data[off:end]) - len(bytes.TrimLeft(r.data[off:end], " \t"))
			if k := bytes.IndexByte(r.data[off:off+indent], '\t'); k >= 0 {
				at(off+k, "a tab is used for indentation: YAML indents with spaces only; replace the tab with spaces")
				return
			}
			if e.Msg != "found a tab character that violates indentation" {
				return
			}
			off = end + 1
		}
	case "found unexpected end of stream":
		// The end came inside a quoted value: its opening quote has no
		// closing one after it. yaml.v3 names the line it starts on, or,
		// when that is the first line, the last one.
		if off, ok := unclosedQuote(r.data, from); ok {
			inside := `write a ' inside the text as ''`
			if r.data[off] == '"' {
				inside = `write a " inside the text as \"`
			}
			at(off, fmt.Sprintf("the text quoted with %c here is never closed: add the closing %c (and %s)", r.data[off], r.data[off], inside))
		}
	case "did not find expected ',' or ']'", "did not find expected ',' or '}'":
		open, close, what := byte('['), byte(']'), "list"
		if strings.HasSuffix(e.Msg, "'}'") {
			open, close, what = '{', '}', "group"
		}
		k := bytes.IndexByte(r.data[from:], open)
		if k < 0 {
			// As above, yaml.v3 may have named the last line.
			from, k = 0, bytes.IndexByte(r.data, open)
		}
		if k >= 0 {
			at(from+k, fmt.Sprintf("the %s opened with %c here is not closed with %c, or its items are not separated by commas", what, open, close))
		}
	}
}

// findAlias finds where "*name" is written in the current document, which
// yaml.v3 does not say. It searches from the start of the last document
// read, a lower bound on the start of the current one.
func (r *yamlReader) findAlias(name string) (line, col int) {
	from := lineOffset(r.data, r.docLine)
	target := []byte("*" + name)
	for i := from; i < len(r.data); {
		k := bytes.Index(r.data[i:], target)
		if k < 0 {
			break
		}
		end := i + k + len(target)
		if end == len(r.data) || !isAnchorChar(r.data[end]) {
			return yamlPos(r.data, i+k)
		}
		i = end
	}
	return max(r.docLine, 1), 1
}

// isAnchorChar tells whether c can continue an anchor name: anything but
// whitespace and the flow indicators.
func isAnchorChar(c byte) bool {
	return !strings.ContainsRune(" \t\r\n,[]{}", rune(c))
}

// lineOffset returns the offset where the given 1-based line starts.
func lineOffset(data []byte, line int) int {
	off := 0
	for l := 1; l < line; l++ {
		k := bytes.IndexByte(data[off:], '\n')
		if k < 0 {
			return len(data)
		}
		off += k + 1
	}
	return off
}

// unclosedQuote finds the first quote that opens a value at or after from
// (or, failing that, after the start) and that no closing quote follows: a
// single quote closes at the next single quote not doubled, a double quote
// at the next double quote not escaped with a backslash. A quote opens a
// value when it follows a space, a line break, or [ { or a comma; others,
// such as the apostrophe of O'Brien, are text.
func unclosedQuote(data []byte, from int) (int, bool) {
	for _, start := range []int{from, 0} {
		for off := start; off < len(data); {
			k := bytes.IndexAny(data[off:], `"'`)
			if k < 0 {
				break
			}
			off += k
			if off > start && !strings.ContainsRune(" \t\r\n[{,", rune(data[off-1])) {
				off++
				continue
			}
			end, ok := closingQuote(data, off)
			if !ok {
				return off, true
			}
			off = end + 1
		}
	}
	return 0, false
}

// closingQuote returns the offset of the quote that closes the one at open.
func closingQuote(data []byte, open int) (int, bool) {
	q := data[open]
	for i := open + 1; i < len(data); i++ {
		switch {
		case q == '"' && data[i] == '\\':
			i++
		case data[i] == q && q == '\'' && i+1 < len(data) && data[i+1] == '\'':
			i++
		case data[i] == q:
			return i, true
		}
	}
	return 0, false
}

// yamlPos returns the line and column of data[off]: columns count
// characters, and a UTF-8 byte order mark at the start does not count.
func yamlPos(data []byte, off int) (line, col int) {
	start := 0
	if bytes.HasPrefix(data, record.UTF8BOM) && off >= len(record.UTF8BOM) {
		start = len(record.UTF8BOM)
	}
	return record.Advance(1, 1, data[start:off])
}

// checkYAMLText reports the first byte that is not valid UTF-8, or the first
// character that YAML forbids (control characters other than tab and line
// breaks), with its exact position, which yaml.v3 does not give.
func checkYAMLText(file string, data []byte) *record.SyntaxError {
	i := 0
	if bytes.HasPrefix(data, record.UTF8BOM) {
		i = len(record.UTF8BOM)
	}
	for i < len(data) {
		c := data[i]
		if c >= 0x20 && c < 0x7f || c == '\n' || c == '\t' || c == '\r' {
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			line, col := yamlPos(data, i)
			return &record.SyntaxError{Position: record.Position{File: file, Line: line, Col: col}, Code: record.CodeInvalidUTF8,
				Msg: fmt.Sprintf("invalid UTF-8 byte 0x%02x", c)}
		}
		if !yamlPrintable(r) {
			line, col := yamlPos(data, i)
			return &record.SyntaxError{Position: record.Position{File: file, Line: line, Col: col}, Code: record.CodeSyntax,
				Msg: fmt.Sprintf("control character U+%04X is not allowed in YAML", r)}
		}
		i += size
	}
	return nil
}

// yamlPrintable is the set of characters that yaml.v3 accepts in a stream.
func yamlPrintable(r rune) bool {
	return r == 0x85 || r >= 0xa0 && r <= 0xd7ff || r >= 0xe000 && r <= 0xfffd || r >= 0x10000 && r <= 0x10ffff
}
