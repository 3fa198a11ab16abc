package record

import (
	"errors"
	"fmt"
	"iter"
	"sync"

	"github.com/annals-project/annals/schema"
)

// Writer writes records in one output format. Records come in input order
// and are valid: the caller validates the whole input first. Close finishes
// the output and must be called; after any error the output is incomplete,
// and the caller discards it (outputs are written to a temporary file and
// renamed only on success).
type Writer interface {
	Write(rec *Record) error
	Close() error
}

// An Encoder does the part of a Writer's work that needs no other record:
// it turns one record into the bytes the output gets for it. It keeps
// nothing between records, so several goroutines may use one at once: a
// caller that checks records on every core can encode them there too,
// and leave the writer only the copying (see [EncodedWriter]).
type Encoder interface {
	Encode(rec *Record) *Encoded
}

// EncodedWriter is a Writer that also takes records encoded ahead.
// WriteEncoded writes rec as Write would, from what an Encoder made of it;
// bytes from an encoder of another kind or with other options are made
// again. The writer keeps e for reuse: the caller must not use it again.
type EncodedWriter interface {
	Writer
	WriteEncoded(rec *Record, e *Encoded) error
}

// Encoded is a record in the bytes an output gets for it, from an
// [Encoder]. The bytes go to one or more streams (the CSV export's
// tables), in runs.
type Encoded struct {
	Key   any // what made it: a writer takes the bytes of its own kind only
	Bytes []byte
	runs  []encodedRun
	Err   error // why the record has no bytes: writing it fails with err
	pool  *sync.Pool
}

// encodedRun is the bytes of one stream in Encoded.buf: from the end of
// the run before up to end.
type encodedRun struct {
	stream, end int
}

// NewEncoded returns an empty Encoded from pool, made by by.
func NewEncoded(pool *sync.Pool, by any) *Encoded {
	e, _ := pool.Get().(*Encoded)
	if e == nil {
		e = &Encoded{pool: pool}
	}
	e.Key, e.Bytes, e.runs, e.Err = by, e.Bytes[:0], e.runs[:0], nil
	return e
}

// EndRun ends the bytes written to stream since the last run.
func (e *Encoded) EndRun(stream int) {
	if n := len(e.runs); n > 0 && e.runs[n-1].stream == stream {
		e.runs[n-1].end = len(e.Bytes)
	} else {
		e.runs = append(e.runs, encodedRun{stream, len(e.Bytes)})
	}
}

// Each calls fn with every run's stream and bytes, in order.
func (e *Encoded) Each(fn func(stream int, b []byte)) {
	start := 0
	for _, r := range e.runs {
		fn(r.stream, e.Bytes[start:r.end])
		start = r.end
	}
}

// Release gives e back to its pool, to be reused.
func (e *Encoded) Release() {
	if cap(e.Bytes) <= 64<<10 { // a rare huge record's buffer is not kept
		e.pool.Put(e)
	}
}

// Dataset is what writers may need besides the records themselves.
type Dataset struct {
	Validator *schema.Validator
	Manifest  map[string]any // the dataset manifest (annals.yaml), or nil
	Inputs    []InputFile    // the files read, in order
	Counts    map[string]int // records per record type
	Version   string         // the annals version that writes the output
	// Conflicts are what the sources disagree on, in order, for the
	// workbook's Conflicts sheet; nil for none. A writer may range over
	// them more than once.
	Conflicts iter.Seq[Conflict]
	// Limits are what annals reads back: a writer refuses a record, or a
	// file, it could not read back within them. Zero fields mean the
	// defaults (see DefaultLimits).
	Limits Limits
}

// InputFile describes one input file, for provenance in exports.
type InputFile struct {
	Path    string
	SHA256  string // hex
	Records int
}

// WriteError reports a record that cannot be written in a format, such as
// text longer than a spreadsheet cell can hold.
type WriteError struct {
	Position        // where the offending value is: a line and column, or a cell
	Type, ID string // the record's
	Pointer  string // JSON pointer of the offending value
	Err      error
}

func (e *WriteError) Error() string {
	if e.Pointer == "" {
		return fmt.Sprintf("%s: %s %q: %v", e.Position, e.Type, e.ID, e.Err)
	}
	return fmt.Sprintf("%s: %s %q: %s: %v", e.Position, e.Type, e.ID, schema.FieldPath(e.Pointer), e.Err)
}

func (e *WriteError) Unwrap() error { return e.Err }

// ErrorAt wraps err at the value ptr of rec: its line and column, or for
// an imported record the cell it came from.
func ErrorAt(rec *Record, ptr string, err error) *WriteError {
	obj, _ := rec.Value.(map[string]any)
	typ, _ := obj["type"].(string)
	id, _ := obj["id"].(string)
	return &WriteError{Position: rec.Position(ptr, false), Type: typ, ID: id, Pointer: ptr, Err: err}
}

// Schema returns the validator of the records ds describes: its own, or
// the embedded record model's when it has none.
func (ds *Dataset) Schema() (*schema.Validator, error) {
	if ds != nil && ds.Validator != nil {
		return ds.Validator, nil
	}
	return schema.Default()
}

// A Discarder is a Writer that can stop without finishing its output,
// for an output that is thrown away (the input had errors): Discard
// releases what Close would, without the work Close does to finish (a
// workbook's sheets, a database's indexes). Close after Discard does
// nothing more.
type Discarder interface {
	Discard()
}

// ErrDiscarded is what a Writer's Close returns after Discard.
var ErrDiscarded = errors.New("the output was discarded")
