package record

import (
	"fmt"
	"slices"

	"github.com/annals-project/annals/internal/english"
)

// The limits that protect annals from hostile or broken input, as every
// reader applies them unless given others (see Limits).
const (
	// MaxDepth is the deepest nesting of arrays and objects (mappings and
	// sequences in YAML) that a record may have. In a .json file the
	// top-level array of records counts as one level. Deeper input is
	// reported with Code "too-deep": hand-curated records never need it, and
	// the limit keeps recursion bounded.
	MaxDepth = 256

	// MaxRecordSize is the largest number of bytes that one JSON record (an
	// element of a .json array, a whole .json file holding one record, or a
	// line of a .jsonl file) may take. Larger records are reported with Code
	// "too-large". A reader keeps at most one record in memory, so this also
	// bounds its memory use.
	MaxRecordSize = 16 << 20

	// MaxYAMLSize is the largest YAML input accepted, in bytes. YAML files
	// are hand-written and small, and a YAML reader holds its whole input in
	// memory (see yaml.NewReader), so a larger one is reported with Code
	// "too-large" instead of being read.
	MaxYAMLSize = 64 << 20

	// MaxYAMLNodes is the largest number of values that the aliases (*name)
	// of one YAML document may expand to, counting every value copied in
	// place of an alias, nested ones included. It stops "billion laughs"
	// inputs, where a few lines of nested aliases expand to billions of
	// values; going over it is reported with Code "too-large". Values
	// written out are not counted: MaxYAMLSize bounds them.
	MaxYAMLNodes = 100_000
)

// Limits are the limits one reader or writer applies: DefaultLimits, or
// smaller ones for a test or a caller that wants them. A zero field means
// its default.
type Limits struct {
	Depth      int // see MaxDepth
	RecordSize int // see MaxRecordSize
	YAMLSize   int // see MaxYAMLSize
	YAMLNodes  int // see MaxYAMLNodes
}

// DefaultLimits returns the limits annals reads with.
func DefaultLimits() Limits {
	return Limits{Depth: MaxDepth, RecordSize: MaxRecordSize, YAMLSize: MaxYAMLSize, YAMLNodes: MaxYAMLNodes}
}

// OrDefault returns l with every zero field set to its default.
func (l Limits) OrDefault() Limits {
	d := DefaultLimits()
	for _, f := range []struct{ v, def *int }{{&l.Depth, &d.Depth}, {&l.RecordSize, &d.RecordSize}, {&l.YAMLSize, &d.YAMLSize}, {&l.YAMLNodes, &d.YAMLNodes}} {
		if *f.v <= 0 {
			*f.v = *f.def
		}
	}
	return l
}

// TooLargeToReadBack is the error for a record whose output would be larger
// than annals reads, located at the record's longest text: annals never
// writes what it could not read back.
func TooLargeToReadBack(rec *Record, written string, size, limit int) *WriteError {
	ptr, _ := longestText(rec.Value, "")
	return ErrorAt(rec, ptr, fmt.Errorf("written as %s this record would take %.1f MiB, more than the %s annals reads back as one record (%s); shorten this text, the record's longest, or split the record",
		written, float64(size)/(1<<20), english.MiB(limit), CodeTooLarge))
}

// longestText returns the JSON pointer of the longest string in v, below
// ptr, and its length.
func longestText(v any, ptr string) (string, int) {
	best, n := "", -1
	consider := func(p string, m int) {
		if m > n {
			best, n = p, m
		}
	}
	switch v := v.(type) {
	case string:
		return ptr, len(v)
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys) // the first of equals, whatever the map's order
		for _, k := range keys {
			consider(longestText(v[k], ptr+"/"+EscapePointerToken(k)))
		}
	case []any:
		for i, x := range v {
			consider(longestText(x, fmt.Sprintf("%s/%d", ptr, i)))
		}
	}
	return best, n
}
