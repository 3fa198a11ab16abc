package yaml

import (
	"encoding/json"
	"fmt"
	"math/big"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/annals-project/annals/convert/record"
)

// Converter turns the yaml.Node tree of one document into the JSON data
// model, one record at a time.
type Converter struct {
	file          string
	expanded      int // values converted in the document through aliases
	expandedBytes int // bytes of text converted in the document through aliases
	recordBytes   int // bytes of text (keys and scalars) in the record being converted
	inAlias       int // how many aliases the value being converted is inside
	maxNodes      int // MaxYAMLNodes
	maxBytes      int // MaxYAMLSize: what the aliases of a document may expand to
	maxRecord     int // MaxRecordSize: what one record may hold
	maxDepth      int
	item          *yaml.Node // the node being converted as an item of a list
}

// NewConverter returns a converter for one document of file, within
// lim.
func NewConverter(file string, lim record.Limits) Converter {
	return Converter{file: file, maxNodes: lim.YAMLNodes, maxBytes: lim.YAMLSize, maxRecord: lim.RecordSize, maxDepth: lim.Depth}
}

// keyText is text for a mapping key, which counts as expanded, value and
// text, when it is an alias (*a: 1).
func (c *Converter) keyText(k *yaml.Node, key string) error {
	if k.Kind != yaml.AliasNode {
		return c.text(k, key)
	}
	c.inAlias++
	defer func() { c.inAlias-- }()
	if c.expanded++; c.expanded > c.maxNodes {
		return c.errAt(k, record.CodeTooLarge, "the aliases (*name) of this document expand to more than %d values", c.maxNodes)
	}
	return c.text(k, key)
}

// text counts the bytes of a key or scalar of the record being converted:
// a record may hold no more than a JSON record may (so that annals can
// read what it writes), and the aliases of a document may not expand to
// more text than a YAML file may hold. Counting values alone lets one
// alias of a 5 MiB scalar, used a hundred times, make a 500 MB record.
func (c *Converter) text(n *yaml.Node, s string) error {
	c.recordBytes += len(s)
	if c.inAlias > 0 {
		c.expandedBytes += len(s)
		if c.expandedBytes > c.maxBytes {
			return c.errAt(n, record.CodeTooLarge, "the aliases (*name) of this document expand to more than %d MiB of text; write a long text once, not through many aliases", c.maxBytes>>20)
		}
	}
	if c.recordBytes > c.maxRecord {
		return c.errAt(n, record.CodeTooLarge, "this record holds more than %d MiB of text (aliases expanded), more than a record may; write a long text once, not through many aliases, or split the record", c.maxRecord>>20)
	}
	return nil
}

func (c *Converter) errAt(n *yaml.Node, code, format string, args ...any) *record.SyntaxError {
	return &record.SyntaxError{Position: record.Position{File: c.file, Line: max(n.Line, 1), Col: max(n.Column, 1)}, Code: code, Msg: fmt.Sprintf(format, args...)}
}

// StartRecord starts the count of the text of a new record: what one
// record may hold (Limits.RecordSize) counts from here.
func (c *Converter) StartRecord() { c.recordBytes = 0 }

// ItemValue converts n, an item of a list (such as a record in a list of
// records), which is depth levels deep in its document.
func (c *Converter) ItemValue(n *yaml.Node, depth int) (any, error) {
	c.item = n
	return c.Value(n, depth)
}

// Value converts n, which is depth levels deep in its document.
func (c *Converter) Value(n *yaml.Node, depth int) (any, error) {
	// Values written out are bounded by the size of the input; only
	// aliases can multiply them, so only values reached through one count.
	if c.inAlias > 0 {
		c.expanded++
		if c.expanded > c.maxNodes {
			return nil, c.errAt(n, record.CodeTooLarge, "the aliases (*name) of this document expand to more than %d values", c.maxNodes)
		}
	}
	switch n.Kind {
	case yaml.AliasNode:
		if n.Alias == nil {
			return nil, c.errAt(n, record.CodeSyntax, "alias *%s refers to no anchor", n.Value)
		}
		// Depth, not a visited set, stops an alias inside its own anchor:
		// expanding it nests one level more each time.
		c.inAlias++
		defer func() { c.inAlias-- }()
		return c.Value(n.Alias, depth)
	case yaml.ScalarNode:
		if err := c.text(n, n.Value); err != nil {
			return nil, err
		}
		return c.scalar(n)
	case yaml.SequenceNode:
		return c.sequence(n, depth)
	case yaml.MappingNode:
		return c.mapping(n, depth)
	}
	return nil, c.errAt(n, record.CodeSyntax, "unexpected YAML node")
}

func (c *Converter) enter(n *yaml.Node, depth int) error {
	if depth >= c.maxDepth {
		return c.errAt(n, record.CodeTooDeep, "too deeply nested: more than %d levels of sequences and mappings", c.maxDepth)
	}
	return nil
}

func (c *Converter) sequence(n *yaml.Node, depth int) (any, error) {
	if tag := n.ShortTag(); tag != "!!seq" {
		return nil, c.unsupportedTag(n, tag)
	}
	if err := c.enter(n, depth); err != nil {
		return nil, err
	}
	a := make([]any, 0, len(n.Content))
	for _, item := range n.Content {
		v, err := c.ItemValue(item, depth+1)
		if err != nil {
			return nil, err
		}
		a = append(a, v)
	}
	return a, nil
}

func (c *Converter) mapping(n *yaml.Node, depth int) (any, error) {
	if tag := n.ShortTag(); tag != "!!map" {
		return nil, c.unsupportedTag(n, tag)
	}
	if err := c.enter(n, depth); err != nil {
		return nil, err
	}
	isItem := n == c.item
	m := make(map[string]any, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		key, err := c.key(k)
		if err == nil {
			err = c.keyText(k, key)
		}
		if err != nil {
			return nil, err
		}
		if _, dup := m[key]; dup {
			first := firstYAMLKey(n, key)
			hint := ""
			if isItem && first == n.Content[0] && k.Column == first.Column {
				// The key that opened this group again, at its column: most
				// often a new record whose "- " was left out.
				what := "record"
				if depth > 1 {
					what = "entry"
				}
				hint = fmt.Sprintf("; if it starts a new %s, begin it with \"- \" where the %s above has its \"- \"", what, what)
			}
			return nil, c.errAt(k, record.CodeDuplicate, "duplicate key %s (first at line %d, column %d)%s", record.QuoteKey(key), first.Line, first.Column, hint)
		}
		v, err := c.Value(n.Content[i+1], depth+1)
		if err != nil {
			return nil, err
		}
		m[key] = v
	}
	return m, nil
}

// key returns the name of a mapping key: the text of a scalar, whatever
// type YAML gives it, because a JSON key is always a string and the text is
// what the author wrote (`1:` is "1", `2022-01-10:` is "2022-01-10").
func (c *Converter) key(k *yaml.Node) (string, error) {
	n := Deref(k)
	if n.Kind != yaml.ScalarNode {
		return "", c.errAt(k, record.CodeSyntax, "mapping keys must be text, found a %s", kindName(n))
	}
	switch tag := n.ShortTag(); tag {
	case "!!merge":
		return "", c.errAt(k, record.CodeSyntax, "merge keys (<<) are not supported: write the members out")
	case "!!null":
		if n.Value == "" {
			return "", c.errAt(k, record.CodeSyntax, "missing key before ':'")
		}
	case "!!str", "!!int", "!!float", "!!bool", "!!timestamp":
	default:
		return "", c.unsupportedTag(n, tag)
	}
	return n.Value, nil
}

// KeyText is the name of a key for lookups, without the checks of key.
func KeyText(k *yaml.Node) string { return Deref(k).Value }

func firstYAMLKey(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if KeyText(m.Content[i]) == key {
			return m.Content[i]
		}
	}
	return m
}

// Deref follows an alias to its anchored node.
func Deref(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		return n.Alias
	}
	return n
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "sequence"
	case yaml.MappingNode:
		return "mapping"
	}
	return "node"
}

func (c *Converter) unsupportedTag(n *yaml.Node, tag string) error {
	return c.errAt(n, record.CodeSyntax, "unsupported tag %s: a record holds only text, numbers, true and false, null, sequences and mappings", tag)
}

// scalar converts a scalar by its tag: the tag YAML resolved for a plain
// scalar, or the one written before it.
func (c *Converter) scalar(n *yaml.Node) (any, error) {
	switch tag := n.ShortTag(); tag {
	case "!!str", "!!timestamp":
		// A timestamp stays the text as written: dates in records are text
		// that the schema checks, and time.Time is not a JSON value.
		return n.Value, nil
	case "!!null":
		switch n.Value {
		case "", "~", "null", "Null", "NULL":
			return nil, nil
		}
		return nil, c.errAt(n, record.CodeSyntax, "%q is not null", n.Value)
	case "!!bool":
		switch n.Value {
		case "true", "True", "TRUE":
			return true, nil
		case "false", "False", "FALSE":
			return false, nil
		}
		return nil, c.errAt(n, record.CodeSyntax, "%q is not true or false", n.Value)
	case "!!int":
		if msg := ambiguousInt(n.Value); msg != "" {
			return nil, c.errAt(n, record.CodeSyntax, "%s", msg)
		}
		if s, ok := JSONInt(n.Value); ok {
			return json.Number(s), nil
		}
		return nil, c.errAt(n, record.CodeSyntax, "%q is not an integer", n.Value)
	case "!!float":
		return c.float(n)
	default:
		return nil, c.unsupportedTag(n, tag)
	}
}

// ambiguousInt says why an integer is written in a form YAML 1.1 and
// YAML 1.2 read as different numbers, or as a number and as text, and
// JSON not at all ("" if it is not): a leading zero (017 is 15 in YAML
// 1.1, 17 in 1.2), "_" separators (1_000 is 1000 in 1.1, text in 1.2),
// 0o, 0x and 0b forms. A coordinate written 045 once validated as 37.
func ambiguousInt(s string) string {
	digits := strings.TrimLeft(s, "+-")
	lower := strings.ToLower(digits)
	var why string
	switch {
	case strings.Contains(s, "_"):
		why = "has \"_\" separators, which YAML 1.1 reads as a number and YAML 1.2 as text"
	case strings.HasPrefix(lower, "0x"), strings.HasPrefix(lower, "0o"), strings.HasPrefix(lower, "0b"):
		why = "is written in base 16, 8 or 2, which JSON and spreadsheets cannot hold as written"
	case len(digits) > 1 && digits[0] == '0':
		why = "starts with 0, which YAML 1.1 reads as an octal number (017 is 15) and YAML 1.2 as a decimal one (17)"
	default:
		return ""
	}
	return fmt.Sprintf("the number %s %s; write it as a plain decimal number, or in quotes if it is text", s, why)
}

func (c *Converter) float(n *yaml.Node) (any, error) {
	// A float with "_", or digits alone that start with 0 (08, which is
	// not octal, so YAML 1.1 reads it as text), is ambiguous as an
	// integer is.
	if digits := strings.TrimLeft(n.Value, "+-"); strings.Contains(n.Value, "_") || digits != "" && strings.Trim(digits, "0123456789") == "" {
		if msg := ambiguousInt(n.Value); msg != "" {
			return nil, c.errAt(n, record.CodeSyntax, "%s", msg)
		}
	}
	switch strings.ToLower(strings.TrimLeft(n.Value, "+-")) {
	case ".inf", ".nan":
		return nil, c.errAt(n, record.CodeSyntax, "%s cannot be represented in JSON: numbers must be finite", n.Value)
	}
	if s, ok := JSONInt(n.Value); ok {
		return json.Number(s), nil
	}
	if s, ok := JSONDecimal(n.Value); ok {
		return json.Number(s), nil
	}
	return nil, c.errAt(n, record.CodeSyntax, "%q is not a number", n.Value)
}

// JSONInt returns an integer in any form YAML accepts (sign, "_"
// separators, 0x, 0o, 0b and 0 prefixes, as strconv.ParseInt reads them
// for yaml.v3) as decimal digits, with no size limit.
func JSONInt(s string) (string, bool) {
	s = strings.ReplaceAll(s, "_", "")
	var z big.Int
	if _, ok := z.SetString(s, 0); !ok {
		return "", false
	}
	return z.String(), true
}

// JSONDecimal rewrites a YAML float ([-+]?(.d+|d+(.d*)?)([eE][-+]?d+)?,
// with "_" anywhere) in JSON syntax: no '+', no leading zeros, a digit
// before and after the point.
func JSONDecimal(s string) (string, bool) {
	s = strings.ReplaceAll(s, "_", "")
	var b strings.Builder
	if s != "" && (s[0] == '+' || s[0] == '-') {
		if s[0] == '-' {
			b.WriteByte('-')
		}
		s = s[1:]
	}
	i := skipDigitsString(s, 0)
	intPart, frac := s[:i], ""
	if i < len(s) && s[i] == '.' {
		j := skipDigitsString(s, i+1)
		frac, i = s[i+1:j], j
	}
	if intPart == "" && frac == "" {
		return "", false
	}
	exp := ""
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		k := skipDigitsString(s, j)
		if k == j {
			return "", false
		}
		exp, i = s[i:k], k
	}
	if i != len(s) {
		return "", false
	}
	intPart = strings.TrimLeft(intPart, "0")
	if intPart == "" {
		intPart = "0"
	}
	b.WriteString(intPart)
	if frac != "" {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	b.WriteString(exp)
	return b.String(), true
}

func skipDigitsString(s string, i int) int {
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return i
}

// locateYAML returns the position of the value at ptr in the record n (see
// Record.Locate). Inside an alias, positions are those of the anchored
// value, where the text is.
func locateYAML(n *yaml.Node, ptr string, key bool) (line, col int) {
	at := n
	tokens, ok := record.SplitPointer(ptr)
	if !ok {
		return at.Line, at.Column
	}
	for i, tok := range tokens {
		cur := Deref(at)
		switch cur.Kind {
		case yaml.MappingNode:
			k := FindKey(cur, tok)
			if k < 0 {
				return at.Line, at.Column
			}
			if key && i == len(tokens)-1 || isMissingValue(cur.Content[k], cur.Content[k+1]) {
				return cur.Content[k].Line, cur.Content[k].Column
			}
			at = cur.Content[k+1]
		case yaml.SequenceNode:
			idx, ok := record.ArrayIndex(tok)
			if !ok || idx >= len(cur.Content) {
				return at.Line, at.Column
			}
			at = cur.Content[idx]
		default:
			return at.Line, at.Column
		}
	}
	return at.Line, at.Column
}

// FindKey returns the index in m.Content of the key called name, or -1.
func FindKey(m *yaml.Node, name string) int {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if KeyText(m.Content[i]) == name {
			return i
		}
	}
	return -1
}

// isMissingValue tells whether v is the null that YAML implies for a key
// written without a value and placed on a line after its key k (as in
// "? key" at the end of the input, where the line may not even exist); the
// key is then the better place to point at.
func isMissingValue(k, v *yaml.Node) bool {
	return v.Kind == yaml.ScalarNode && v.Value == "" && v.Tag == "!!null" &&
		v.Style == 0 && v.Line != k.Line
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
