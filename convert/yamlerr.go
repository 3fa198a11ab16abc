package convert

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
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
func (r *yamlReader) syntaxError(err error) *SyntaxError {
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
	e := &SyntaxError{File: r.file, Line: max(line, 1), Col: 1, Code: CodeSyntax, Msg: msg}
	switch {
	case strings.HasPrefix(msg, "exceeded max depth"):
		e.Code = CodeTooDeep
	case strings.HasPrefix(msg, "document contains excessive aliasing"):
		e.Code = CodeTooLarge
	case strings.HasPrefix(msg, "unknown anchor '"):
		name := strings.TrimSuffix(strings.TrimPrefix(msg, "unknown anchor '"), "' referenced")
		e.Msg = fmt.Sprintf("alias *%s refers to no anchor &%s defined before it in this document", name, name)
		e.Line, e.Col = r.findAlias(name)
	}
	return e
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

// yamlPos returns the line and column of data[off]: columns count
// characters, and a UTF-8 byte order mark at the start does not count.
func yamlPos(data []byte, off int) (line, col int) {
	start := 0
	if bytes.HasPrefix(data, utf8BOM) && off >= len(utf8BOM) {
		start = len(utf8BOM)
	}
	return advancePos(1, 1, data[start:off])
}

// checkYAMLText reports the first byte that is not valid UTF-8, or the first
// character that YAML forbids (control characters other than tab and line
// breaks), with its exact position, which yaml.v3 does not give.
func checkYAMLText(file string, data []byte) *SyntaxError {
	i := 0
	if bytes.HasPrefix(data, utf8BOM) {
		i = len(utf8BOM)
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
			return &SyntaxError{File: file, Line: line, Col: col, Code: CodeInvalidUTF8,
				Msg: fmt.Sprintf("invalid UTF-8 byte 0x%02x", c)}
		}
		if !yamlPrintable(r) {
			line, col := yamlPos(data, i)
			return &SyntaxError{File: file, Line: line, Col: col, Code: CodeSyntax,
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
