package convert

import (
	"fmt"
	"io"

	"github.com/annals-project/annals/convert/json"
	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/convert/yaml"
)

// NewReader returns a reader of the records of r in format f; file is the
// name that records and errors carry.
func NewReader(r io.Reader, file string, f record.Format) record.Reader {
	return NewReaderLimits(r, file, f, record.DefaultLimits())
}

// NewReaderLimits is NewReader with the limits lim (zero fields: their
// defaults).
func NewReaderLimits(r io.Reader, file string, f record.Format, lim record.Limits) record.Reader {
	switch f {
	case record.FormatJSON:
		return json.NewReaderLimits(r, file, lim)
	case record.FormatJSONL:
		return json.NewLinesReaderLimits(r, file, lim)
	case record.FormatYAML:
		return yaml.NewReaderLimits(r, file, lim)
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
