package convert

// Record is one record read from an input file: its decoded value in the JSON
// data model and what is needed to point back at the bytes it came from.
//
// Value holds map[string]any, []any, string, json.Number, bool or nil, the
// same shapes encoding/json produces with UseNumber. Numbers keep their exact
// text.
type Record struct {
	File  string // the path as the user named it ("-" for standard input)
	Index int    // 0-based position of the record in its file
	Line  int    // 1-based line where the record starts
	Col   int    // 1-based column (in characters) where the record starts
	Value any

	locate func(ptr string, key bool) (line, col int)
}

// Locate returns the 1-based line and column of the value at the JSON pointer
// ptr (RFC 6901, "" is the whole record). With key set and ptr naming an
// object member, it returns the position of the member's key instead. When
// ptr does not exist in the record, it returns the position of the deepest
// ancestor that does.
//
// Positions are computed on demand, so only records that have something to
// report pay for them.
func (r *Record) Locate(ptr string, key bool) (line, col int) {
	if r.locate == nil {
		return r.Line, r.Col
	}
	return r.locate(ptr, key)
}

// Reader reads records one at a time. Read returns io.EOF after the last
// record. After any other error the caller may call Read again: readers that
// can resume (JSON Lines, at the next line) do so, the others return io.EOF.
type Reader interface {
	Read() (*Record, error)
}
