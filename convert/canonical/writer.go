package canonical

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/internal/english"
	"github.com/annals-project/annals/internal/jsonvalue"
	"github.com/annals-project/annals/schema"
)

// Format form: the record's keys in the order the schema lists the
// properties (type and id first), at every depth; keys the schema does not
// know (only in invalid input) after them, sorted. The same records always
// give the same bytes.

// fieldsFor returns the schema fields of a record, by its type.
func fieldsFor(v *schema.Validator, value any) []schema.Field {
	m, _ := value.(map[string]any)
	typ, _ := m["type"].(string)
	return v.Fields(typ)
}

// orderedKeys returns the keys of m in canonical order, each with its field
// (nil for keys the schema does not know).
func orderedKeys(m map[string]any, fields []schema.Field) ([]string, []*schema.Field) {
	keys := make([]string, 0, len(m))
	fs := make([]*schema.Field, 0, len(m))
	for i := range fields {
		if _, ok := m[fields[i].Name]; ok {
			keys = append(keys, fields[i].Name)
			fs = append(fs, &fields[i])
		}
	}
	if len(keys) == len(m) {
		return keys, fs // every key is a field, as in a valid record
	}
	seen := make(map[string]bool, len(keys))
	for _, k := range keys {
		seen[k] = true
	}
	var rest []string
	for k := range m {
		if !seen[k] {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	for _, k := range rest {
		keys = append(keys, k)
		fs = append(fs, nil)
	}
	return keys, fs
}

func childFields(f *schema.Field) []schema.Field {
	if f == nil {
		return nil
	}
	return f.Fields
}

func itemFields(f *schema.Field) []schema.Field {
	if f == nil || f.Items == nil {
		return nil
	}
	return f.Items.Fields
}

// appendJSON appends v in canonical form. With indent "", it is compact;
// otherwise nested values are indented by indent per level.
func appendJSON(b *bytes.Buffer, v any, fields []schema.Field, field *schema.Field, indent string, level int) error {
	newline := func(l int) {
		if indent != "" {
			b.WriteByte('\n')
			for range l {
				b.WriteString(indent)
			}
		}
	}
	switch x := v.(type) {
	case map[string]any:
		if len(x) == 0 {
			b.WriteString("{}")
			return nil
		}
		keys, fs := orderedKeys(x, fields)
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			newline(level + 1)
			b.Write(jsonvalue.AppendString(b.AvailableBuffer(), k))
			b.WriteByte(':')
			if indent != "" {
				b.WriteByte(' ')
			}
			if err := appendJSON(b, x[k], childFields(fs[i]), fs[i], indent, level+1); err != nil {
				return err
			}
		}
		newline(level)
		b.WriteByte('}')
	case []any:
		if len(x) == 0 {
			b.WriteString("[]")
			return nil
		}
		b.WriteByte('[')
		for i, item := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			newline(level + 1)
			var itf *schema.Field
			if field != nil {
				itf = field.Items
			}
			if err := appendJSON(b, item, itemFields(field), itf, indent, level+1); err != nil {
				return err
			}
		}
		newline(level)
		b.WriteByte(']')
	case string:
		b.Write(jsonvalue.AppendString(b.AvailableBuffer(), x))
	case json.Number:
		b.WriteString(jsonvalue.CanonicalNumber(string(x)))
	case bool:
		fmt.Fprint(b, x)
	case nil:
		b.WriteString("null")
	default:
		return fmt.Errorf("unexpected value of type %T", v)
	}
	return nil
}

// jsonWriter writes a JSON array of records (indented) or JSON Lines.
type jsonWriter struct {
	w   *bufio.Writer
	enc *JSONEncoder
	n   int
}

// NewJSONWriter returns a Writer of one JSON array of records in canonical
// form, indented by two spaces. It is a [record.EncodedWriter], of records
// from [NewJSONEncoder] with lines false.
func NewJSONWriter(w io.Writer, ds *record.Dataset) record.Writer {
	return &jsonWriter{w: bufio.NewWriter(w), enc: newJSONEncoder(ds.Validator, false, ds.Limits)}
}

// NewJSONLWriter returns a Writer of JSON Lines: one record per line in
// canonical form. It is a [record.EncodedWriter], of records from
// [NewJSONEncoder] with lines true.
func NewJSONLWriter(w io.Writer, ds *record.Dataset) record.Writer {
	return &jsonWriter{w: bufio.NewWriter(w), enc: newJSONEncoder(ds.Validator, true, ds.Limits)}
}

// JSONEncoder is the [record.Encoder] of the JSON and JSON Lines outputs: a
// record in canonical form, as a line, or as an item of the indented
// array.
type JSONEncoder struct {
	key   jsonKey
	limit int       // the longest record it writes
	pool  sync.Pool // of *Encoded that a writer is done with
}

// jsonKey is what makes two JSON encoders write alike.
type jsonKey struct {
	v     *schema.Validator
	lines bool
	limit int
}

// NewJSONEncoder returns the encoder of records valid against v, for JSON
// Lines when lines is set and otherwise for a JSON array.
func NewJSONEncoder(v *schema.Validator, lines bool) *JSONEncoder {
	return newJSONEncoder(v, lines, record.Limits{})
}

// newJSONEncoder is NewJSONEncoder refusing records larger than
// lim.RecordSize.
func newJSONEncoder(v *schema.Validator, lines bool, lim record.Limits) *JSONEncoder {
	n := lim.OrDefault().RecordSize
	return &JSONEncoder{key: jsonKey{v, lines, n}, limit: n}
}

// Encode returns rec in canonical form. A value JSON cannot hold (which
// a record read from JSON or YAML never has) makes writing it fail with a
// *WriteError.
func (e *JSONEncoder) Encode(rec *record.Record) *record.Encoded {
	r := record.NewEncoded(&e.pool, e.key)
	b := bytes.NewBuffer(r.Bytes)
	indent := "  "
	if e.key.lines {
		indent = ""
	}
	if err := appendJSON(b, rec.Value, fieldsFor(e.key.v, rec.Value), nil, indent, 1); err != nil {
		r.Err = record.ErrorAt(rec, "", err)
		return r
	}
	if e.key.lines {
		b.WriteByte('\n')
	}
	// The JSON of a record can be longer than what it was read from:
	// escaping doubles quotation marks and backslashes, and YAML can
	// repeat a text through aliases.
	if b.Len() > e.limit {
		what := "an item of a JSON array"
		if e.key.lines {
			what = "a JSON line"
		}
		r.Err = record.TooLargeToReadBack(rec, what, b.Len(), e.limit)
		return r
	}
	r.Bytes = b.Bytes()
	r.EndRun(0)
	return r
}

func (j *jsonWriter) Write(rec *record.Record) error {
	return j.WriteEncoded(rec, j.enc.Encode(rec))
}

// WriteEncoded writes a record that an encoder made ahead, as Write would
// (see [record.EncodedWriter]).
func (j *jsonWriter) WriteEncoded(rec *record.Record, e *record.Encoded) error {
	if e.Key != j.enc.key {
		e = j.enc.Encode(rec)
	}
	if e.Err != nil {
		return e.Err
	}
	switch {
	case j.enc.key.lines:
	case j.n == 0:
		j.w.WriteString("[\n  ")
	default:
		j.w.WriteString(",\n  ")
	}
	j.n++
	_, err := j.w.Write(e.Bytes)
	e.Release()
	return err
}

func (j *jsonWriter) Close() error {
	if !j.enc.key.lines {
		if j.n == 0 {
			j.w.WriteString("[]\n")
		} else {
			j.w.WriteString("\n]\n")
		}
	}
	return j.w.Flush()
}

// yamlWriter writes a YAML sequence of records.
type yamlWriter struct {
	w     *bufio.Writer
	v     *schema.Validator
	n     int
	size  int // bytes written so far
	limit int // the largest file it writes
}

// NewYAMLWriter returns a Writer of one YAML sequence of records in
// canonical form, two-space indented. Text that YAML would read as another
// type (2022, true, 2022-01-10) is quoted.
func NewYAMLWriter(w io.Writer, ds *record.Dataset) record.Writer {
	return &yamlWriter{w: bufio.NewWriter(w), v: ds.Validator, limit: ds.Limits.OrDefault().YAMLSize}
}

func (y *yamlWriter) Write(rec *record.Record) error {
	node, err := yamlValue(rec.Value, fieldsFor(y.v, rec.Value), nil)
	if err != nil {
		return record.ErrorAt(rec, "", err)
	}
	// Each record is encoded as a one-item sequence, so the file is one
	// sequence without holding every record in memory.
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{node}}); err != nil {
		return record.ErrorAt(rec, "", err)
	}
	if err := enc.Close(); err != nil {
		return record.ErrorAt(rec, "", err)
	}
	// annals reads no YAML file over MaxYAMLSize, so it writes none.
	if y.size += b.Len(); y.size > y.limit {
		return record.ErrorAt(rec, "", fmt.Errorf("with this record the YAML file would pass %s, more than annals reads as one YAML file (%s); write JSON Lines (--to jsonl) for a dataset this large", english.MiB(y.limit), record.CodeTooLarge))
	}
	y.n++
	_, err = y.w.Write(b.Bytes())
	return err
}

func (y *yamlWriter) Close() error {
	if y.n == 0 {
		y.w.WriteString("[]\n")
	}
	return y.w.Flush()
}

func yamlValue(v any, fields []schema.Field, field *schema.Field) (*yaml.Node, error) {
	switch x := v.(type) {
	case map[string]any:
		n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		keys, fs := orderedKeys(x, fields)
		for i, k := range keys {
			val, err := yamlValue(x[k], childFields(fs[i]), fs[i])
			if err != nil {
				return nil, err
			}
			n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k}, val)
		}
		return n, nil
	case []any:
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		var itf *schema.Field
		if field != nil {
			itf = field.Items
		}
		for _, item := range x {
			val, err := yamlValue(item, itemFields(field), itf)
			if err != nil {
				return nil, err
			}
			n.Content = append(n.Content, val)
		}
		return n, nil
	case string:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: x}, nil
	case json.Number:
		return numberNode(jsonvalue.CanonicalNumber(string(x))), nil
	case bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: fmt.Sprint(x)}, nil
	case nil:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}, nil
	}
	return nil, fmt.Errorf("unexpected value of type %T", v)
}
