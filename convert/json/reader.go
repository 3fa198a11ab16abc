package json

import (
	"bytes"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/internal/english"
)

// NewReader returns a reader of a .json file, whose top-level value is
// either one record or an array of records. An array is read element by
// element, so a file of any size takes the memory of one record (at most
// MaxRecordSize) plus a buffer. After an error, Read returns io.EOF: a broken
// JSON file cannot be resynchronised.
func NewReader(r io.Reader, file string) record.Reader {
	return NewReaderLimits(r, file, record.DefaultLimits())
}

// NewReaderLimits is NewReader with the limits lim (zero fields: their
// defaults).
func NewReaderLimits(r io.Reader, file string, lim record.Limits) record.Reader {
	lim = lim.OrDefault()
	return &jsonReader{
		src:  newInputBuffer(r),
		file: file,
		lim:  lim,
		p:    parser{file: file, eof: "end of file", maxDepth: lim.Depth},
	}
}

type jsonState int

const (
	jsonStart    jsonState = iota // nothing read yet
	jsonFirst                     // after the '[' of the top-level array
	jsonNext                      // after an element of the top-level array
	jsonAfterTop                  // after the top-level value: only whitespace may follow
	jsonDone                      // io.EOF from now on
)

type jsonReader struct {
	src   inputBuffer
	file  string
	lim   record.Limits
	p     parser
	state jsonState
	array openMark // the top-level array, once it is open
	index int
}

// Read returns the next record.
func (r *jsonReader) Read() (*record.Record, error) {
	rec, err := r.next()
	if err != nil {
		r.state = jsonDone
	}
	return rec, err
}

func (r *jsonReader) next() (*record.Record, error) {
	switch r.state {
	case jsonStart:
		return r.begin()
	case jsonFirst, jsonNext:
		return r.element()
	case jsonAfterTop:
		return nil, r.end()
	}
	return nil, io.EOF
}

// begin reads up to the first record.
func (r *jsonReader) begin() (*record.Record, error) {
	r.src.ensure(2)
	if record.LooksUTF16(r.src.avail()) {
		return nil, record.UTF16Error(r.file)
	}
	r.src.skipBOM()
	c, ok := r.src.skipSpace()
	if !ok {
		return nil, r.endOfInput("unexpected end of file: the file is empty; it must hold a record or an array of records")
	}
	if c == '<' && r.src.ensure(len("<!doctype")) && isHTML(r.src.avail()) {
		return nil, &record.SyntaxError{Position: record.Position{File: r.file, Line: r.src.line, Col: r.src.col}, Code: record.CodeSyntax, Msg: htmlMessage}
	}
	if c != '[' {
		r.state = jsonAfterTop
		return r.record(nil)
	}
	r.array = openMark{what: "array", off: -1, line: r.src.line, col: r.src.col}
	r.src.advance(1)
	r.state = jsonFirst
	return r.element()
}

// element reads the next element of the top-level array and the comma
// before it, or the array's end.
func (r *jsonReader) element() (*record.Record, error) {
	c, ok := r.src.skipSpace()
	if !ok {
		return nil, r.endOfInput(r.unclosedArray())
	}
	if c == ']' {
		r.src.advance(1)
		r.state = jsonAfterTop
		return nil, r.end()
	}
	if r.state == jsonNext {
		if c != ',' {
			return nil, r.found("expected ',' or ']' after an array element, found %s")
		}
		line, col := r.src.line, r.src.col
		r.src.advance(1)
		if c, ok = r.src.skipSpace(); !ok {
			return nil, r.endOfInput(r.unclosedArray())
		}
		if c == ']' {
			return nil, &record.SyntaxError{Position: record.Position{File: r.file, Line: line, Col: col}, Code: record.CodeSyntax, Msg: "trailing comma before ']'"}
		}
	}
	r.state = jsonNext
	return r.record(&r.array)
}

func (r *jsonReader) unclosedArray() string {
	return fmt.Sprintf("unexpected end of file: the array opened at line %d, column %d is never closed", r.array.line, r.array.col)
}

// record parses the value at the current position as one record; outer is
// the top-level array that holds it, if any.
func (r *jsonReader) record(outer *openMark) (*record.Record, error) {
	line, col := r.src.line, r.src.col
	e, tooLarge := r.src.frameValue(r.lim.RecordSize)
	if err := r.src.readErr(); err != nil {
		return nil, fmt.Errorf("%s: %w", r.file, err)
	}
	if tooLarge {
		return nil, tooLargeErr(r.file, line, col, r.lim.RecordSize)
	}
	data := r.src.window(e)
	r.p.reset(data, line, col, outer)
	v, err := r.p.value()
	if err != nil {
		return nil, err
	}
	n := r.p.i
	if n > r.lim.RecordSize {
		return nil, tooLargeErr(r.file, line, col, r.lim.RecordSize)
	}
	rec := newJSONRecord(r.file, r.index, line, col, v, bytes.Clone(data[:n]))
	r.index++
	r.src.advance(n)
	return rec, nil
}

// end checks that nothing but whitespace follows the top-level value.
func (r *jsonReader) end() error {
	if _, ok := r.src.skipSpace(); !ok {
		return r.endOfInput("")
	}
	if r.array.what != "" {
		return r.found("unexpected %s after the end of the top-level array")
	}
	return r.found("unexpected %s after the record: a .json file holds one record, or an array of records")
}

// endOfInput is reached when the input has no more bytes: msg is the error
// to report if that is too early ("" if it is not). A read error wins,
// since it is the reason the input ended.
func (r *jsonReader) endOfInput(msg string) error {
	if err := r.src.readErr(); err != nil {
		return fmt.Errorf("%s: %w", r.file, err)
	}
	if msg == "" {
		return io.EOF
	}
	return &record.SyntaxError{Position: record.Position{File: r.file, Line: r.src.line, Col: r.src.col}, Code: record.CodeSyntax, Msg: msg}
}

// found reports the unexpected character at the current position.
func (r *jsonReader) found(format string) error {
	r.src.ensure(utf8.UTFMax)
	b := r.src.avail()
	code, msg := record.CodeSyntax, fmt.Sprintf(format, record.DescribeAt(b))
	if c, size := utf8.DecodeRune(b); c == utf8.RuneError && size <= 1 {
		code, msg = record.CodeInvalidUTF8, fmt.Sprintf("invalid UTF-8 byte 0x%02x", b[0])
	}
	return &record.SyntaxError{Position: record.Position{File: r.file, Line: r.src.line, Col: r.src.col}, Code: code, Msg: msg}
}

func tooLargeErr(file string, line, col, limit int) *record.SyntaxError {
	return &record.SyntaxError{Position: record.Position{File: file, Line: line, Col: col}, Code: record.CodeTooLarge,
		Msg: "this record is larger than the limit of " + english.MiB(limit)}
}

// newJSONRecord returns a record whose Locate re-scans raw, the record's own
// copy of its bytes, which start at line:col.
func newJSONRecord(file string, index, line, col int, v any, raw []byte) *record.Record {
	return record.NewRecord(file, index, line, col, v, raw, func(ptr string, key bool) (int, int) {
		return record.Advance(line, col, raw[:locateJSON(raw, ptr, key)])
	})
}
