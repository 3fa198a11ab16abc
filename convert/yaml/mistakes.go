package yaml

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/internal/english"
)

// The mistake finder. yaml.v3 reports a syntax error in its own terms
// ("mapping values are not allowed in this context") at the line where it
// noticed it, which may be the line of the mistake or the next one. After
// such an error, findMistake reads the document again, line by line, with
// a model of YAML's block structure that is just rich enough for record
// files (lists of mappings, nested mappings and lists, block scalars,
// quoted and flow values over several lines), and looks for the mistakes
// curators make: a field indented too little or too much, a new record
// without its "- ", a value with ": " in it that is not in quotes, a value
// that starts with a quote, [ or { and goes on after it, a list item under
// a field that already has a value, no space after a colon or a dash. It
// runs only once yaml.v3 has refused the document, so it can change a
// message but never make a valid file invalid; and it only answers for
// lines near the one yaml.v3 named.

// mistake is what findMistake found: the offset of the character at
// fault and what to do about it.
type mistake struct {
	off     int
	msg     string
	suspect bool // valid YAML, but most likely not what the curator meant
}

// block is an open block collection: a list whose dashes are at indent,
// or a mapping whose keys are.
type block struct {
	indent int
	list   bool

	// For a mapping:
	keys      []string
	lastKey   string
	lastValue valueKind
	closed    bool // a nested block under lastKey was opened and has ended

	// For a list: the mapping of its last item, once that has ended, and
	// whether the last item had nothing after its dash.
	lastItem  *block
	emptyItem bool
}

type valueKind int

const (
	valueNone   valueKind = iota // "key:" and nothing: a nested block may follow
	valueScalar                  // a value on the key's line
	valueBlock                   // | or >: the more-indented lines are text
)

var (
	// keyNoSpace matches "kind:person": a word, a colon, no space.
	keyNoSpace = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*):([^\s/:][^\s]*)`)
	// dashNoSpace matches "-type: actor".
	dashNoSpace = regexp.MustCompile(`^-([A-Za-z_][A-Za-z0-9_]*):(\s|$)`)
	// blockIndicator matches the | and > that start block scalars.
	blockIndicator = regexp.MustCompile(`^[|>][-+0-9]*\s*(#.*)?$`)
)

// maxBlocks bounds the blocks the model follows: deeper, it gives up.
const maxBlocks = 256

// maxShown bounds the corrected lines that messages show.
const maxShown = 200

// findMistake looks for a curator's mistake in the document of data that
// starts at offset from, on the lines near line (1-based), where yaml.v3
// found a syntax error.
func findMistake(data []byte, from, line int) (mistake, bool) {
	if bytes.Contains(bytes.ReplaceAll(data, []byte("\r\n"), nil), []byte("\r")) {
		return mistake{}, false // lines broken by a lone CR: beyond the model
	}
	if from == 0 && bytes.HasPrefix(data, record.UTF8BOM) {
		from = len(record.UTF8BOM)
	}
	first := 1 + strings.Count(string(data[:from]), "\n")
	upper := recordEnd(data, from, first, line)
	f := &finder{data: data}
	n := first
	for off := from; off < len(data) && n <= upper; n++ {
		end := off
		for end < len(data) && data[end] != '\n' {
			end++
		}
		text := strings.TrimRight(string(data[off:end]), "\r")
		f.lineNo = n
		m, ok := f.line(off, text)
		switch {
		case ok && n >= line-2 && f.suspect != nil && f.suspectLine >= line-2:
			return *f.suspect, true // the suspect came first
		case ok && n >= line-2:
			return m, true
		case ok:
			f.suspect = nil // a mistake before the window: not this one
		}
		off = end + 1
	}
	if f.suspect != nil && f.suspectLine >= line-2 {
		return *f.suspect, true
	}
	return mistake{}, false
}

// recordEnd is the last line findMistake looks at: yaml.v3 names the line
// of the mistake, the one after it, or where the construct that holds it
// starts, so the mistake lies between two lines before line and the end of
// the record (a "- " at the start of a line) that line is in, or the first
// line of the next one; or, in a document that is no list, two lines on.
func recordEnd(data []byte, from, first, line int) int {
	n := first
	list := false
	for off := from; off < len(data); n++ {
		end := off
		for end < len(data) && data[end] != '\n' {
			end++
		}
		text := bytes.TrimRight(data[off:end], "\r")
		item := bytes.HasPrefix(text, []byte("- ")) || bytes.Equal(text, []byte("-"))
		if n > line && (item || bytes.HasPrefix(text, []byte("---"))) {
			return n
		}
		list = list || item
		off = end + 1
	}
	if list {
		return n // the last record runs to the end
	}
	return line + 2
}

type finder struct {
	data  []byte
	stack []*block

	// Lines that belong to a value begun on an earlier line.
	blockText int    // the indent a block scalar's lines must exceed, or -1
	inQuote   byte   // the quote of a quoted value still open
	quoteOff  int    // where it opened
	inFlow    int    // the depth of [ and { still open
	skipping  string // why lines are being skipped ("" when not)
	lost      bool   // the document has YAML the model does not follow

	// suspect is valid YAML that is most likely a mistake ("name:Nordvik"
	// as a group's first field), reported if YAML fails near it.
	suspect     *mistake
	suspectLine int
	lineNo      int
}

// line reads one line, at offset off, and returns the mistake on it, if
// any.
func (f *finder) line(off int, text string) (mistake, bool) {
	content := strings.TrimLeft(text, " ")
	indent := len(text) - len(content)
	switch {
	case f.inQuote != 0:
		return f.continueQuote(text)
	case f.inFlow > 0:
		f.continueFlow(text)
		return mistake{}, false
	case f.skipping == "block":
		if strings.TrimSpace(text) == "" || indent > f.blockText {
			return mistake{}, false
		}
		f.skipping = ""
	}
	if f.lost || content == "" || content[0] == '#' || strings.HasPrefix(content, "\t") {
		return mistake{}, false
	}
	if content == "?" || content == ":" || strings.HasPrefix(content, "? ") || strings.HasPrefix(content, ": ") ||
		content[0] == '!' || content[0] == '&' {
		// Explicit keys are beyond the model: say nothing from here on
		// rather than something wrong.
		f.lost = true
		return mistake{}, false
	}
	if content == "---" || strings.HasPrefix(content, "--- ") || content == "..." {
		f.stack = nil
		return mistake{}, false
	}
	if strings.HasPrefix(content, "-\t") {
		return mistake{off: off + indent + 1, msg: "a tab after the dash: write a space instead"}, true
	}
	if m, ok := nonBreakingSpace(off, text); ok {
		return m, true
	}
	return f.node(off+indent, indent, content)
}

// nonBreakingSpace finds a no-break space (U+00A0, as pasted from a web
// page or a word processor) where YAML needs a space: in the indentation,
// after a field's colon or after a dash. It looks like a space, but YAML
// reads it as text.
func nonBreakingSpace(off int, text string) (mistake, bool) {
	const nbsp = "\u00a0"
	i := strings.Index(text, nbsp)
	if i < 0 {
		return mistake{}, false
	}
	before := text[:i]
	if strings.TrimLeft(before, " ") == "" || strings.HasSuffix(before, ":") || strings.TrimLeft(before, " ") == "-" {
		return mistake{off: off + i, msg: "a no-break space (U+00A0, as pasted from a web page or a word processor) is here, where YAML needs an ordinary space: delete it and type a space", suspect: true}, true
	}
	return mistake{}, false
}

// node reads the content of a line, or what follows an item's "- ", at
// column indent.
func (f *finder) node(off, indent int, content string) (mistake, bool) {
	f.closeBlocks(indent)
	item := content == "-" || strings.HasPrefix(content, "- ")
	if len(f.stack) == 0 {
		return f.open(off, indent, content, item)
	}
	top := f.stack[len(f.stack)-1]
	switch {
	case indent == top.indent && top.list:
		if item {
			return f.item(off, indent, content)
		}
		if len(f.stack) >= 2 {
			if m := f.stack[len(f.stack)-2]; !m.list && m.indent == indent {
				if top.emptyItem {
					f.lost = true // the item's value at its dash's indent
					return mistake{}, false
				}
				// The list was the value of a key at its own indent, as
				// YAML allows; the mapping goes on.
				f.stack = f.stack[:len(f.stack)-1]
				m.closed = true
				return f.atMapIndent(off, m, content, false)
			}
		}
		return f.atListIndent(off, top, content)
	case indent == top.indent:
		return f.atMapIndent(off, top, content, item)
	case top.list:
		if top.emptyItem { // "-" alone: the item is on the lines below
			top.emptyItem = false
			return f.open(off, indent, content, item)
		}
		// Between a list's dashes and its item's fields.
		if m := top.lastItem; m != nil && indent < m.indent && !item {
			return f.misindented(off, indent, content, m, len(f.stack) == 1)
		}
		return mistake{}, false
	}
	// More indented than the keys of the mapping on top.
	switch top.lastValue {
	case valueNone:
		if top.closed {
			return f.between(off, indent, content, top)
		}
		return f.open(off, indent, content, item)
	case valueBlock:
		return mistake{}, false
	}
	if item {
		return mistake{off: off, msg: fmt.Sprintf("a list item under %s:, which already has a value: to make %s a list, put nothing after %s: and write each item on a line of its own below it, starting with \"- \"", top.lastKey, top.lastKey, top.lastKey)}, true
	}
	if key, _, ok := splitKey(content); ok {
		return mistake{off: off, msg: fmt.Sprintf("%s: is indented more than %s: above it, which has its value on its line: %s, as %s: is (if it belongs under %s:, put nothing after %s:)",
			key, top.lastKey, indentTo(key+":", top.indent), top.lastKey, top.lastKey, top.lastKey)}, true
	}
	return mistake{}, false // the value of the key above goes on
}

// open starts a new block at indent with the line's content.
func (f *finder) open(off, indent int, content string, item bool) (mistake, bool) {
	if len(f.stack) > maxBlocks {
		f.lost = true
		return mistake{}, false
	}
	if item {
		f.stack = append(f.stack, &block{indent: indent, list: true})
		return f.item(off, indent, content)
	}
	if k := dashNoSpace.FindStringSubmatch(content); k != nil && len(f.stack) == 0 || k != nil && f.stack[len(f.stack)-1].list {
		// "-type: event" where a list's first item is due: read as the
		// item the curator meant, and suspected.
		f.suspectAt(off, fmt.Sprintf("put a space after the dash: - %s", strings.TrimPrefix(content, "-")))
		f.stack = append(f.stack, &block{indent: indent, list: true})
		return f.open(off+1, indent+1, content[1:], false)
	}
	if _, _, ok := splitKey(content); ok {
		b := &block{indent: indent}
		f.stack = append(f.stack, b)
		return f.key(off, b, content)
	}
	if k := keyNoSpace.FindStringSubmatch(content); k != nil && (len(f.stack) == 0 || f.stack[len(f.stack)-1].lastValue == valueNone) {
		// "name:Nordvik" as a group's first field: valid YAML (the text
		// "name:Nordvik"), read as the field the curator meant, and
		// suspected.
		f.suspectAt(off+len(k[1])+1, fmt.Sprintf("put a space after the colon: %s: %s", k[1], strings.TrimPrefix(content, k[1]+":")))
		b := &block{indent: indent}
		f.stack = append(f.stack, b)
		return f.key(off, b, k[1]+": "+strings.TrimPrefix(content, k[1]+":"))
	}
	if len(f.stack) == 0 {
		// A document that is one value: its lines are beyond the model.
		f.lost = true
		return mistake{}, false
	}
	if top := f.stack[len(f.stack)-1]; !top.list && indent > top.indent {
		// The value of the key above, on a line of its own.
		top.lastValue = valueScalar
		if blockIndicator.MatchString(content) {
			top.lastValue = valueBlock
			f.skipping, f.blockText = "block", top.indent
			return mistake{}, false
		}
	}
	return f.scalar(off, content)
}

// item reads a list item "- …" whose dash is at indent, and the items
// that start on its line ("- - x").
func (f *finder) item(off, indent int, content string) (mistake, bool) {
	for {
		if strings.HasPrefix(content, "-\t") {
			return mistake{off: off + 1, msg: "a tab after the dash: write a space instead"}, true
		}
		rest := strings.TrimLeft(strings.TrimPrefix(content, "-"), " ")
		list := f.stack[len(f.stack)-1]
		list.lastItem = nil // until this item's fields end
		list.emptyItem = rest == "" || rest[0] == '#'
		if list.emptyItem {
			return mistake{}, false
		}
		at := indent + len(content) - len(rest)
		off += at - indent
		if rest != "-" && !strings.HasPrefix(rest, "- ") {
			return f.open(off, at, rest, false)
		}
		if len(f.stack) > maxBlocks {
			f.lost = true
			return mistake{}, false
		}
		f.stack = append(f.stack, &block{indent: at, list: true})
		indent, content = at, rest
	}
}

// atListIndent reads a line at the indent of a list's dashes that is not
// an item.
func (f *finder) atListIndent(off int, list *block, content string) (mistake, bool) {
	if list.emptyItem {
		// The value of an item whose dash stands alone, at the dash's
		// indent: beyond the model.
		f.lost = true
		return mistake{}, false
	}
	if m := dashNoSpace.FindStringSubmatch(content); m != nil {
		return mistake{off: off, msg: fmt.Sprintf("put a space after the dash: - %s", strings.TrimPrefix(content, "-"))}, true
	}
	key, _, ok := splitKey(content)
	prev := list.lastItem
	what := "record"
	if len(f.stack) > 1 {
		what = "entry"
	}
	switch {
	case ok && prev != nil && (contains(prev.keys, key) || key == "type"):
		return mistake{off: off, msg: fmt.Sprintf("%s: is where each %s of the list begins with \"- \": if it starts a new %s, write - %s; if it belongs to the %s above, %s, as its other fields are", key, what, what, content, what, indentTo("it", prev.indent))}, true
	case ok && prev != nil:
		return mistake{off: off, msg: fmt.Sprintf("%s: is %s, but the fields of this %s are indented by %d, like %s: above it: %s",
			key, indentedBy(list.indent), what, prev.indent, prev.keys[0], indentTo("it", prev.indent))}, true
	case ok:
		return mistake{off: off, msg: fmt.Sprintf("%s: is at the indentation of the list above, whose items begin with \"- \": indent it under the item it belongs to, or begin it with \"- \"", key)}, true
	}
	return mistake{off: off, msg: "this line is at the indentation of the list above but is not an item: begin it with \"- \", or indent it under the item it belongs to"}, true
}

// atMapIndent reads a line at the indent of a mapping's keys.
func (f *finder) atMapIndent(off int, m *block, content string, item bool) (mistake, bool) {
	if item {
		if m.lastValue == valueNone && !m.closed {
			return f.open(off, m.indent, content, true) // a list at its key's indent, as YAML allows
		}
		if m.lastValue == valueScalar {
			return mistake{off: off, msg: fmt.Sprintf("a list item under %s:, which already has a value: to make %s a list, put nothing after %s: and write each item on a line of its own below it, starting with \"- \"", m.lastKey, m.lastKey, m.lastKey)}, true
		}
		return mistake{off: off, msg: fmt.Sprintf("a list item where the fields of a group are (as %s:): indent it under the field it belongs to", m.lastKey)}, true
	}
	if _, _, ok := splitKey(content); ok {
		return f.key(off, m, content)
	}
	if m.lastValue == valueNone && !m.closed {
		// The value of the key above at the key's own indent: yaml.v3
		// takes some such values; the model does not follow them.
		f.lost = true
		return mistake{}, false
	}
	if k := keyNoSpace.FindStringSubmatch(content); k != nil {
		return mistake{off: off + len(k[1]) + 1, msg: fmt.Sprintf("put a space after the colon: %s: %s", k[1], strings.TrimPrefix(content, k[1]+":"))}, true
	}
	if dashNoSpace.MatchString(content) {
		return mistake{off: off, msg: fmt.Sprintf("put a space after the dash: - %s", strings.TrimPrefix(content, "-"))}, true
	}
	if m.lastValue == valueScalar {
		return mistake{off: off, msg: fmt.Sprintf("this line is neither a field (name: value) nor a list item: if it goes on with the value of %s:, indent it more than %s:, or put the whole value in quotes on one line", m.lastKey, m.lastKey)}, true
	}
	return mistake{off: off, msg: "this line is neither a field (name: value) nor a list item (- value)"}, true
}

// key reads "key: value" into the mapping m.
func (f *finder) key(off int, m *block, content string) (mistake, bool) {
	key, value, _ := splitKey(content)
	m.keys = append(m.keys, key)
	m.lastKey, m.closed = key, false
	valueOff := off + len(content) - len(value)
	value = stripComment(value)
	switch {
	case value == "":
		m.lastValue = valueNone
		return mistake{}, false
	case blockIndicator.MatchString(value):
		m.lastValue = valueBlock
		f.skipping, f.blockText = "block", m.indent
		return mistake{}, false
	}
	m.lastValue = valueScalar
	return f.valueMistake(valueOff, key, value)
}

// scalar reads a value on a line of its own, such as a list item's.
func (f *finder) scalar(off int, content string) (mistake, bool) {
	return f.valueMistake(off, "", stripComment(content))
}

// valueMistake looks at a value written on the line of its key (or its
// dash): one that needs quotes, or a quoted or flow value that runs on to
// later lines.
func (f *finder) valueMistake(off int, key, value string) (mistake, bool) {
	if value == "" {
		return mistake{}, false
	}
	field := "this value"
	write := strconv.Quote(value)
	if strings.Contains(value, `"`) && !strings.Contains(value, `'`) {
		write = "'" + value + "'"
	}
	if key != "" {
		field = "the value of " + key + ":"
		write = key + ": " + write
	}
	if utf8.RuneCountInString(write) > maxShown {
		write = "(too long to show here; in double quotes, write a \" inside it as \\\")"
	}
	switch value[0] {
	case '"', '\'':
		end, ok := closingQuote([]byte(value), 0)
		if !ok {
			f.inQuote, f.quoteOff = value[0], off
			return mistake{}, false
		}
		if rest := strings.TrimSpace(value[end+1:]); rest != "" && rest[0] != '#' {
			q := value[0]
			if value[len(value)-1] == q && len(value) > 1 {
				// 'Nordvik's ferry vote': the quote inside ends the text.
				inner := value[1 : len(value)-1]
				fixed := strconv.Quote(inner)
				if q == '"' && !strings.Contains(inner, "'") {
					fixed = "'" + inner + "'"
				}
				if key != "" {
					fixed = key + ": " + fixed
				}
				if utf8.RuneCountInString(fixed) > maxShown {
					fixed = "the whole value in the other quotes"
				}
				return mistake{off: off + end, msg: fmt.Sprintf("%s is in %c quotes and has a %c inside, where YAML ends the quotes: write it as %s", field, q, q, fixed)}, true
			}
			return mistake{off: off + end + 1, msg: fmt.Sprintf("%s starts with a quote and goes on after the closing quote: put the whole value in quotes: %s", field, write)}, true
		}
		return mistake{}, false
	case '[', '{':
		depth, end := flowDepth(value)
		if depth > 0 {
			f.inFlow = depth
			return mistake{}, false
		}
		if rest := strings.TrimSpace(value[end+1:]); end >= 0 && strings.HasPrefix(rest, ":") {
			f.lost = true // a list or group as a key: beyond the model
			return mistake{}, false
		} else if end >= 0 && rest != "" && rest[0] != '#' {
			what := map[byte]string{'[': "a list", '{': "a group of fields"}[value[0]]
			return mistake{off: off, msg: fmt.Sprintf("%s starts with %c, which YAML reads as the start of %s: put the whole value in quotes: %s", field, value[0], what, write)}, true
		}
		return mistake{}, false
	case '@', '`', '%':
		return mistake{off: off, msg: fmt.Sprintf("%s starts with %c, which YAML does not allow at the start of a value: put the value in quotes: %s", field, value[0], write)}, true
	case '-':
		if key != "" && (value == "-" || strings.HasPrefix(value, "- ")) {
			return mistake{off: off, msg: fmt.Sprintf("%s starts with \"- \", which YAML reads as a list item: put the value in quotes (%s), or, for a list, put nothing after %s: and write each item on a line of its own below it", field, write, key)}, true
		}
	case '&', '!':
		f.lost = true // an anchor or tag before the value: beyond the model
		return mistake{}, false
	case '|', '>', '*':
		return mistake{}, false
	}
	if i := strings.Index(value, ": "); i >= 0 {
		return mistake{off: off + i, msg: fmt.Sprintf("%s has \": \" in it, which YAML reads as the start of another field: put the value in quotes: %s", field, write)}, true
	}
	if strings.HasSuffix(value, ":") {
		return mistake{off: off + len(value) - 1, msg: fmt.Sprintf("%s ends with \":\", which YAML reads as the start of another field: put the value in quotes: %s", field, write)}, true
	}
	return mistake{}, false
}

// indentedBy says how far a line is indented.
func indentedBy(n int) string {
	if n == 0 {
		return "at the start of the line"
	}
	return "indented by " + english.Count(n, "space")
}

// indentTo says to indent what by n spaces.
func indentTo(what string, n int) string {
	if n == 0 {
		return "put " + what + " at the start of the line"
	}
	return "indent " + what + " by " + english.Count(n, "space")
}

// suspectAt notes a suspect at off, unless there is one already.
func (f *finder) suspectAt(off int, msg string) {
	if f.suspect == nil {
		f.suspect, f.suspectLine = &mistake{off: off, msg: msg, suspect: true}, f.lineNo
	}
}

// closeBlocks ends the blocks more indented than indent.
func (f *finder) closeBlocks(indent int) {
	for len(f.stack) > 0 {
		top := f.stack[len(f.stack)-1]
		if top.indent <= indent {
			return
		}
		f.stack = f.stack[:len(f.stack)-1]
		if len(f.stack) == 0 {
			return
		}
		parent := f.stack[len(f.stack)-1]
		if parent.list && !top.list {
			parent.lastItem = top
		} else if !parent.list {
			parent.closed = true
		}
	}
}

// misindented reports a line between a list's dashes and the fields of
// its item m.
func (f *finder) misindented(off, indent int, content string, m *block, records bool) (mistake, bool) {
	what := "this line"
	if key, _, ok := splitKey(content); ok {
		what = key + ":"
	}
	entry := "entry"
	if records {
		entry = "record"
	}
	return mistake{off: off, msg: fmt.Sprintf("%s is indented by %s, but the fields of this %s by %d, like %s: above it: %s", what, english.Count(indent, "space"), entry, m.indent, m.keys[0], indentTo("it", m.indent))}, true
}

// between reports a line indented more than the keys of m but less than
// the block that ended under m's last key.
func (f *finder) between(off, indent int, content string, m *block) (mistake, bool) {
	what := "this line"
	if key, _, ok := splitKey(content); ok {
		what = key + ":"
	}
	return mistake{off: off, msg: fmt.Sprintf("%s is indented by %s, which matches neither %s: (%s) nor the fields under it: indent it like the one it belongs with", what, english.Count(indent, "space"), m.lastKey, english.Count(m.indent, "space"))}, true
}

// continueQuote reads a line inside a quoted value. Where the quote closes
// and text follows it, the quote most likely was never closed on its own
// line, and YAML read on to the next quote mark.
func (f *finder) continueQuote(text string) (mistake, bool) {
	q := f.inQuote
	for i := 0; i < len(text); i++ {
		switch {
		case q == '"' && text[i] == '\\':
			i++
		case q == '\'' && text[i] == '\'' && i+1 < len(text) && text[i+1] == '\'':
			i++
		case text[i] == q:
			f.inQuote = 0
			if rest := strings.TrimSpace(text[i+1:]); rest != "" && rest[0] != '#' {
				return mistake{off: f.quoteOff, msg: fmt.Sprintf("the text quoted with %c here is not closed on its line, so YAML reads on to the next %c, on a later line: add the closing %c", q, q, q)}, true
			}
			return mistake{}, false
		}
	}
	return mistake{}, false
}

func (f *finder) continueFlow(text string) {
	depth, _ := flowDepth(text)
	f.inFlow += depth
	if f.inFlow < 0 {
		f.inFlow = 0
	}
}

// flowDepth counts how many more [ and { than ] and } s opens, outside
// quotes, and where the outermost one closes (-1 if it does not).
func flowDepth(s string) (depth, end int) {
	end = -1
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"', '\'':
			if j, ok := closingQuote([]byte(s), i); ok {
				i = j
			} else {
				return depth, end
			}
		case '[', '{':
			depth++
		case ']', '}':
			depth--
			if depth == 0 && end < 0 {
				end = i
			}
		case '#':
			if i > 0 && s[i-1] == ' ' {
				return depth, end
			}
		}
	}
	return depth, end
}

// splitKey splits "key: value" into its key and value: a plain key (one
// that does not start with an indicator, except "-", "?" or ":" followed
// by another character) or a quoted one, then ":" and a space or the end
// of the line.
func splitKey(content string) (key, value string, ok bool) {
	if content == "" {
		return "", "", false
	}
	i := 0
	switch c := content[0]; {
	case c == '"' || c == '\'':
		end, closed := closingQuote([]byte(content), 0)
		if !closed {
			return "", "", false
		}
		i = end + 1
		for i < len(content) && content[i] == ' ' {
			i++
		}
		if i == len(content) || content[i] != ':' {
			return "", "", false
		}
	case strings.IndexByte(",[]{}#&*!|>%@`", c) >= 0:
		return "", "", false
	case (c == '-' || c == '?' || c == ':') && (len(content) == 1 || content[1] == ' ' || content[1] == '\t'):
		return "", "", false
	}
	for ; i < len(content); i++ {
		switch content[i] {
		case '#':
			if i > 0 && (content[i-1] == ' ' || content[i-1] == '\t') {
				return "", "", false // a comment before any ": "
			}
		case ':':
			if i > 0 && (i+1 == len(content) || content[i+1] == ' ' || content[i+1] == '\t') {
				return strings.TrimRight(content[:i], " \t"), strings.TrimLeft(content[i+1:], " \t"), true
			}
		}
	}
	return "", "", false
}

// stripComment removes a comment (" #…") from a plain value.
func stripComment(v string) string {
	if v == "" || v[0] == '"' || v[0] == '\'' {
		return strings.TrimSpace(v)
	}
	if i := strings.Index(v, " #"); i >= 0 {
		v = v[:i]
	}
	if i := strings.Index(v, "\t#"); i >= 0 {
		v = v[:i]
	}
	if strings.HasPrefix(v, "#") {
		return ""
	}
	return strings.TrimSpace(v)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
