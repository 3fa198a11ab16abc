package xlsx

import (
	"fmt"
	"strings"
)

// Characters that XML 1.0 cannot carry (the C0 controls other than tab,
// line feed and carriage return, and U+FFFE and U+FFFF) are written in
// cell text as OOXML escapes: _x0007_ is U+0007, as Excel writes them
// and every reader of workbooks decodes them (excelize writes U+FFFD for
// them). So is U+FDD0, a noncharacter that no text should hold, which
// xMarked uses as its mark.
const (
	xMark     = '\uFDD0'
	xMarkText = "\uFDD0"
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
// U+FDD0 and its four hex digits, and whether there was any. Text holding
// such characters must fit in a cell marked: the limit the writer has
// always applied, from when excelize wrote the cells and cut longer text.
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
