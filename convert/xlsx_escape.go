package convert

import (
	"bytes"
	"fmt"
	"io"
	"strings"
)

// Characters that XML 1.0 cannot carry (the C0 controls other than tab,
// line feed and carriage return, and U+FFFE and U+FFFF) are written in
// cell text as OOXML escapes: _x0007_ is U+0007, as Excel writes them
// and every reader of workbooks decodes them. excelize writes U+FFFD for
// them instead, and escapes any _xHHHH_ it is given as literal text, so
// the writer hands excelize a mark, U+FDD0 and four hex digits, which
// the worksheet filter rewrites as the escape on the way to the zip: both
// are seven bytes. U+FDD0 is a noncharacter that no text should hold; a
// U+FDD0 in the records is written with the mark too, so that every mark
// in a worksheet is one of ours.
const (
	xMark     = '\uFDD0'
	xMarkText = "\uFDD0"
	xMarkLen  = len(xMarkText) + 4 // the mark and its hex digits
)

// xUnsafe reports whether r needs an escape in a workbook.
func xUnsafe(r rune) bool {
	switch {
	case r < 0x20:
		return r != '\t' && r != '\n' && r != '\r'
	case r == xMark, r == 0xFFFE, r == 0xFFFF:
		return true
	}
	return false
}

// xMarked returns s with every character a workbook cannot hold as a mark,
// and whether there was any.
func xMarked(s string) (string, bool) {
	i := strings.IndexFunc(s, xUnsafe)
	if i < 0 {
		return s, false
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for _, r := range s[i:] {
		if xUnsafe(r) {
			fmt.Fprintf(&b, "%s%04X", xMarkText, r)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String(), true
}

// xEscaper rewrites the marks of xMarked as _xHHHH_ escapes in a stream,
// holding back the end of a write that may be the start of one.
type xEscaper struct {
	w    io.Writer
	held []byte
}

func (x *xEscaper) Write(b []byte) (int, error) {
	n := len(b)
	if len(x.held) == 0 && !bytes.Contains(b, []byte(xMarkText[:1])) {
		return n, x.write(b)
	}
	buf := append(x.held, b...) // a copy: b is the caller's
	x.held = nil
	keep := len(buf)
	for i := 0; ; {
		j := bytes.Index(buf[i:], []byte(xMarkText))
		if j < 0 {
			break
		}
		at := i + j
		if at+xMarkLen > len(buf) {
			keep = at // its digits are in the next write
			break
		}
		buf[at], buf[at+1] = '_', 'x'
		copy(buf[at+2:at+6], buf[at+3:at+7])
		buf[at+6] = '_'
		i = at + xMarkLen
	}
	if keep == len(buf) {
		// The last bytes may begin a mark whose rest is still to come.
		for k := 1; k < len(xMarkText) && k <= len(buf); k++ {
			if bytes.HasPrefix([]byte(xMarkText), buf[len(buf)-k:]) {
				keep = len(buf) - k
			}
		}
	}
	x.held = append(x.held, buf[keep:]...)
	return n, x.write(buf[:keep])
}

func (x *xEscaper) write(b []byte) error {
	if len(b) == 0 {
		return nil
	}
	_, err := x.w.Write(b)
	return err
}

// flush writes what is held back.
func (x *xEscaper) flush() error {
	held := x.held
	x.held = nil
	return x.write(held)
}
