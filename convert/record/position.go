package record

import (
	"bytes"
	"unicode/utf8"
)

// UTF8BOM is the byte order mark that some editors put at the start of a
// UTF-8 file; readers skip it.
var UTF8BOM = []byte{0xef, 0xbb, 0xbf}

// Advance returns the position just after b, for b starting at line:col.
// It works on whole slices (bytes.Count and utf8.RuneCount are fast) rather
// than byte by byte, since positions are needed only at record boundaries
// and for errors.
func Advance(line, col int, b []byte) (int, int) {
	i := bytes.LastIndexByte(b, '\n')
	if i < 0 {
		return line, col + utf8.RuneCount(b)
	}
	return line + bytes.Count(b, newline), 1 + utf8.RuneCount(b[i+1:])
}

var newline = []byte{'\n'}
