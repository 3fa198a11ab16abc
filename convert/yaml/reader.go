package yaml

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"go.yaml.in/yaml/v3"

	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/internal/english"
)

// NewReader returns a reader of a YAML file: a top-level sequence of
// records, or one record per document ("---"), or a mix of both across
// documents. Empty documents are skipped.
//
// YAML files are hand-written and small, so the reader reads the whole input
// (at most MaxYAMLSize bytes) before parsing, to check that it is UTF-8 and
// report the exact place where it is not. It then parses one document at a
// time; a document holding one big sequence is parsed whole.
//
// After a YAML syntax error, Read returns io.EOF. After an error in the
// content of one record (a duplicate key, a value JSON cannot hold), it goes
// on with the next record.
//
// Values follow the YAML 1.2 core schema as go.yaml.in/yaml/v3 resolves it
// (yes, no, on and off are strings), with these differences, chosen so
// that a record means the same as its JSON form, and the same to every
// YAML reader:
//   - a number written in a form YAML 1.1 and 1.2 read differently, or
//     JSON cannot hold as written (a leading 0 as in 017, "_" separators,
//     0x, 0o and 0b forms), is an error that says to write the plain
//     decimal, or to quote the value if it is text;
//   - a plain scalar that the library would make a timestamp, such as
//     2022-01-10, stays the text as written;
//   - numbers keep their value as a json.Number in JSON syntax (.5 becomes
//     0.5, +1 becomes 1); .inf and .nan are errors;
//   - a mapping key that is a scalar is the text as written, whatever its
//     type, so `1:` is the key "1"; a key that is a sequence or mapping, and
//     the merge key <<, are errors;
//   - tags other than the core ones (such as !!binary or !local) are errors;
//   - aliases are expanded, up to MaxYAMLNodes values and MaxYAMLSize bytes
//     of text per document, and a record may hold at most MaxRecordSize
//     bytes of text, as a JSON record may.
func NewReader(r io.Reader, file string) record.Reader {
	return NewReaderLimits(r, file, record.DefaultLimits())
}

// NewReaderLimits is NewReader with the limits lim (zero fields: their
// defaults).
func NewReaderLimits(r io.Reader, file string, lim record.Limits) record.Reader {
	return &yamlReader{r: r, file: file, lim: lim.OrDefault()}
}

type yamlReader struct {
	r    io.Reader
	file string
	lim  record.Limits
	data []byte // the whole input
	dec  *yaml.Decoder

	items     []*yaml.Node // records of the current document not yet read
	itemDepth int          // nesting of the items: 1 inside a top-level sequence
	conv      Converter
	docLine   int // line where the last document read starts

	index   int
	started bool
	done    bool
}

// Read returns the next record.
func (r *yamlReader) Read() (*record.Record, error) {
	if r.done {
		return nil, io.EOF
	}
	if !r.started {
		r.started = true
		if err := r.load(); err != nil {
			r.done = true
			return nil, err
		}
	}
	for len(r.items) == 0 {
		if err := r.nextDocument(); err != nil {
			r.done = true
			return nil, err
		}
	}
	n := r.items[0]
	r.items = r.items[1:]
	r.conv.StartRecord()
	var v any
	var err error
	if r.itemDepth == 1 {
		v, err = r.conv.ItemValue(n, r.itemDepth)
	} else {
		v, err = r.conv.Value(n, r.itemDepth)
	}
	if err != nil {
		var se *record.SyntaxError
		if errors.As(err, &se) && se.Code == record.CodeTooLarge {
			r.items = nil // the document's budget is spent: skip to the next one
		}
		return nil, err
	}
	rec := record.NewRecord(r.file, r.index, n.Line, n.Column, v, nil, func(ptr string, key bool) (int, int) {
		return locateYAML(n, ptr, key)
	})
	r.index++
	return rec, nil
}

// load reads and checks the whole input.
func (r *yamlReader) load() error {
	data, err := io.ReadAll(io.LimitReader(r.r, int64(r.lim.YAMLSize)+1))
	if err != nil {
		return fmt.Errorf("%s: %w", r.file, err)
	}
	if len(data) > r.lim.YAMLSize {
		return &record.SyntaxError{Position: record.Position{File: r.file, Line: 1, Col: 1}, Code: record.CodeTooLarge,
			Msg: "this YAML file is larger than the limit of " + english.MiB(r.lim.YAMLSize)}
	}
	if record.LooksUTF16(data) {
		return record.UTF16Error(r.file)
	}
	if err := checkYAMLText(r.file, data); err != nil {
		return err
	}
	r.data = data
	r.dec = yaml.NewDecoder(bytes.NewReader(data))
	return nil
}

// nextDocument parses the next document and queues its records; it returns
// io.EOF after the last one.
func (r *yamlReader) nextDocument() error {
	var doc yaml.Node
	if err := DecodeNode(r.dec, &doc); err != nil {
		if err == io.EOF {
			return io.EOF
		}
		return r.syntaxError(err)
	}
	r.docLine = doc.Line
	if len(doc.Content) == 0 || isEmptyDocument(doc.Content[0]) {
		return nil
	}
	root := doc.Content[0]
	r.conv = NewConverter(r.file, r.lim)
	if root.Kind == yaml.SequenceNode && root.ShortTag() == "!!seq" {
		r.items, r.itemDepth = root.Content, 1
	} else {
		r.items, r.itemDepth = []*yaml.Node{root}, 0
	}
	return nil
}

// DecodeNode decodes one document. yaml.v3 turns its own failures into
// errors but lets any other panic through; a reader must not crash on any
// input, so such a panic becomes an error too.
func DecodeNode(dec *yaml.Decoder, doc *yaml.Node) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("yaml: the YAML parser failed on this input (%v)", p)
		}
	}()
	return dec.Decode(doc)
}

// isEmptyDocument tells whether a document's root is nothing at all, as in
// "---" followed by another "---", or a document of comments only.
func isEmptyDocument(root *yaml.Node) bool {
	return root.Kind == yaml.ScalarNode && root.Value == "" && root.Tag == "!!null" &&
		root.Style&yaml.TaggedStyle == 0 && root.Anchor == ""
}
