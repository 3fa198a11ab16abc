package convert

import (
	"bytes"
	"fmt"
	"io"
	"strings"
)

// NewJSONLReader returns a reader of JSON Lines: one JSON value per line,
// lines ending in "\n" or "\r\n". Lines holding only whitespace are skipped.
// After an error in a line, Read goes on with the next line, so that every
// bad line is reported; only a file in UTF-16 or a read error stops it.
func NewJSONLReader(r io.Reader, file string) Reader {
	lim := currentLimits()
	return &jsonlReader{
		src:  newSource(r),
		file: file,
		lim:  lim,
		p:    parser{file: file, eof: "end of line", maxDepth: lim.depth},
	}
}

type jsonlReader struct {
	src     source
	file    string
	lim     limits
	p       parser
	line    int // number of the last line read
	index   int
	started bool
	done    bool
	hinted  bool // a value cut by the end of its line was explained once
}

// Read returns the record of the next line that is not blank.
func (r *jsonlReader) Read() (*Record, error) {
	if r.done {
		return nil, io.EOF
	}
	if !r.started {
		r.started = true
		r.src.ensure(2)
		if looksUTF16(r.src.avail()) {
			r.done = true
			return nil, utf16Error(r.file)
		}
		r.src.skipBOM()
	}
	for {
		data, ok, tooLarge := r.src.nextLine(r.lim.recordSize)
		if !ok {
			r.done = true
			if err := r.src.readErr(); err != nil {
				return nil, fmt.Errorf("%s: %w", r.file, err)
			}
			return nil, io.EOF
		}
		r.line++
		if tooLarge {
			return nil, &SyntaxError{File: r.file, Line: r.line, Col: 1, Code: CodeTooLarge,
				Msg: "this line is longer than the limit of " + mib(r.lim.recordSize) + " for one record"}
		}
		data = bytes.TrimSuffix(data, []byte{'\r'})
		if start := skipWS(data, 0); start < len(data) {
			return r.parseLine(data, start)
		}
	}
}

// parseLine parses the line data, whose value starts at data[start].
func (r *jsonlReader) parseLine(data []byte, start int) (*Record, error) {
	p := &r.p
	p.reset(data, r.line, 1, nil)
	p.i = start
	v, err := p.value()
	if err != nil {
		if se, ok := err.(*SyntaxError); ok && strings.HasPrefix(se.Msg, "unexpected end of line") && !r.hinted {
			r.hinted = true
			se.Msg += "; every line of a JSON Lines file holds one whole record (if this is pretty-printed JSON, name the file .json)"
		}
		return nil, err
	}
	end := p.i
	p.skipSpace()
	if p.i < len(data) {
		return nil, p.found(p.i, "unexpected %s after the value: a line holds exactly one JSON value")
	}
	// Leading whitespace is ASCII: the value's column is its offset + 1.
	rec := newJSONRecord(r.file, r.index, r.line, start+1, v, bytes.Clone(data[start:end]))
	r.index++
	return rec, nil
}
