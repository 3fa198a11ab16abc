package convert

import (
	"fmt"
	"io"

	"github.com/annals-project/annals/convert/record"
)

// NewReader returns a reader of the records of r in format f; file is the
// name that records and errors carry.
func NewReader(r io.Reader, file string, f record.Format) record.Reader {
	switch f {
	case record.FormatJSON:
		return NewJSONReader(r, file)
	case record.FormatJSONL:
		return NewJSONLReader(r, file)
	case record.FormatYAML:
		return NewYAMLReader(r, file)
	}
	return &errReader{fmt.Errorf("%s: unsupported input format %v", file, f)}
}

// errReader reports one error, then io.EOF.
type errReader struct{ err error }

func (e *errReader) Read() (*record.Record, error) {
	err := e.err
	if err == nil {
		return nil, io.EOF
	}
	e.err = nil
	return nil, err
}
