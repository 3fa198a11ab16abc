package json

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/internal/english"
)

// NewLinesReader returns a reader of JSON Lines: one JSON value per line,
// lines ending in "\n" or "\r\n". Lines holding only whitespace are skipped.
// After an error in a line, Read goes on with the next line, so that every
// bad line is reported; only a file in UTF-16 or a read error stops it.
func NewLinesReader(r io.Reader, file string) record.Reader {
	return NewLinesReaderLimits(r, file, record.DefaultLimits())
}

// NewLinesReaderLimits is NewLinesReader with the limits lim (zero
// fields: their defaults).
func NewLinesReaderLimits(r io.Reader, file string, lim record.Limits) record.Reader {
	lim = lim.OrDefault()
	return &jsonlReader{
		s: &LineSplitter{src: newInputBuffer(r), file: file, lim: lim},
		d: &LineDecoder{p: parser{file: file, eof: "end of line", maxDepth: lim.Depth}},
	}
}

// jsonlReader is a LineSplitter, a LineDecoder and a LineOrder in turn.
type jsonlReader struct {
	s *LineSplitter
	d *LineDecoder
	o LineOrder
}

// Read returns the record of the next line that is not blank.
func (r *jsonlReader) Read() (*record.Record, error) {
	l, err := r.s.Next()
	if err == io.EOF {
		return nil, err
	}
	var rec *record.Record
	if err == nil {
		rec, err = r.d.Decode(l)
	}
	return r.o.Done(rec, err)
}

// LineSplitter reads a JSON Lines file a line at a time without decoding
// it, so that its lines can be decoded on several goroutines, each with
// its own LineDecoder, and their records put back in input order through
// a LineOrder. NewLinesReader does the three in turn.
type LineSplitter struct {
	src     inputBuffer
	file    string
	lim     record.Limits
	line    int // number of the last line read
	started bool
	done    bool
}

// Line is a line of a JSON Lines file that holds a value, not yet decoded.
// It owns its bytes.
type Line struct {
	file      string
	line, col int    // where text starts
	text      []byte // the line from its value's first byte
}

// NewLineSplitter returns a splitter of the JSON Lines in r.
func NewLineSplitter(r io.Reader, file string) *LineSplitter {
	return &LineSplitter{src: newInputBuffer(r), file: file, lim: record.DefaultLimits()}
}

// Next returns the next line that is not blank, or io.EOF after the last.
// A *record.SyntaxError (a line over the size limit) leaves the splitter ready
// for the next line; any other error ends the file (UTF-16, a read
// error). Pass every error to LineOrder.Done in its turn, as a Decode
// error would be.
func (s *LineSplitter) Next() (Line, error) {
	if s.done {
		return Line{}, io.EOF
	}
	if !s.started {
		s.started = true
		s.src.ensure(2)
		if record.LooksUTF16(s.src.avail()) {
			s.done = true
			return Line{}, record.UTF16Error(s.file)
		}
		s.src.skipBOM()
	}
	for {
		data, ok, tooLarge := s.src.nextLine(s.lim.RecordSize)
		if !ok {
			s.done = true
			if err := s.src.readErr(); err != nil {
				return Line{}, fmt.Errorf("%s: %w", s.file, err)
			}
			return Line{}, io.EOF
		}
		s.line++
		if tooLarge {
			return Line{}, &record.SyntaxError{Position: record.Position{File: s.file, Line: s.line, Col: 1}, Code: record.CodeTooLarge,
				Msg: "this line is longer than the limit of " + english.MiB(s.lim.RecordSize) + " for one record"}
		}
		data = bytes.TrimSuffix(data, []byte{'\r'})
		if start := skipWS(data, 0); start < len(data) {
			// Leading whitespace is ASCII: the value's column is its
			// offset + 1.
			return Line{file: s.file, line: s.line, col: start + 1, text: bytes.Clone(data[start:])}, nil
		}
	}
}

// LineOrder takes the outcome of each line of one file in input order:
// the record a LineDecoder made of it, or the error of the splitter or the
// decoder. Its zero value is ready to use.
type LineOrder struct {
	index  int  // records so far
	hinted bool // a value cut by the end of its line was explained once
}

// Done numbers the records (Record.Index), explains the first value cut
// short by the end of its line, and returns them.
func (o *LineOrder) Done(rec *record.Record, err error) (*record.Record, error) {
	if err != nil {
		if se, ok := err.(*record.SyntaxError); ok && strings.HasPrefix(se.Msg, "unexpected end of line") && !o.hinted {
			o.hinted = true
			se.Msg += "; every line of a JSON Lines file holds one whole record (if this is pretty-printed JSON, name the file .json)"
		}
		return nil, err
	}
	rec.Index = o.index
	o.index++
	return rec, nil
}

// LineDecoder decodes the lines of JSON Lines files. It is not safe for
// concurrent use: make one for each goroutine.
type LineDecoder struct{ p parser }

// NewLineDecoder returns a decoder of the lines of file.
func NewLineDecoder(file string) *LineDecoder {
	return &LineDecoder{p: parser{file: file, eof: "end of line", maxDepth: record.MaxDepth}}
}

// Decode decodes a line into a record, whose Index Done sets.
func (d *LineDecoder) Decode(l Line) (*record.Record, error) {
	p := &d.p
	p.reset(l.text, l.line, l.col, nil)
	v, err := p.value()
	if err != nil {
		return nil, err
	}
	end := p.i
	p.skipSpace()
	if p.i < len(l.text) {
		return nil, p.found(p.i, "unexpected %s after the value: a line holds exactly one JSON value")
	}
	return newJSONRecord(l.file, 0, l.line, l.col, v, l.text[:end:end]), nil
}
