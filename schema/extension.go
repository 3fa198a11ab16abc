package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"regexp"
	"slices"
	"strings"
)

// Extension is a study's own fields for one record type: the JSON Schema
// (draft 2020-12) file that the manifest names under extensions. It is an
// object schema whose properties are the fields; records carry them at
// top level, beside the canonical ones.
type Extension struct {
	File string // the file, as messages name it
	Data []byte // its content
}

// ExtensionError reports an extension that annals cannot use: not an
// object schema, a field that shadows a canonical one, a keyword annals
// does not support, or a schema that does not compile.
type ExtensionError struct {
	File  string
	Field string // the field at fault, or "" for the file as a whole
	Msg   string // lower-case, written for people who do not program
}

func (e *ExtensionError) Error() string {
	if e.Field == "" {
		return e.File + ": " + e.Msg
	}
	return fmt.Sprintf("%s: field %q: %s", e.File, e.Field, e.Msg)
}

// extensionKeywords are the keywords an extension file may use at its
// top level, and fieldKeywords those of a field (and of a list's item,
// less the list's own).
var (
	extensionKeywords = []string{"$schema", "$id", "$comment", "title", "description", "type", "properties", "required"}
	fieldKeywords     = []string{
		"$comment", "title", "description", "type", "enum", "const", "default", "examples",
		"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
		"minLength", "maxLength", "pattern", "format",
		"items", "minItems", "maxItems", "uniqueItems",
		"x-refers-to", "x-hint",
	}
	fieldTypes       = []string{"string", "number", "integer", "boolean", "array"}
	extensionFormats = []string{"edtf", "uri", "email"}
	fieldName        = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)
	wholeNumber      = regexp.MustCompile(`^(0|[1-9][0-9]{0,9})$`)
)

// maxEnum bounds an enumeration: a workbook's drop-down list, and a CSV
// field's constraint, hold a few hundred values well.
const maxEnum = 1000

// ReservedNames are names no extension field may take besides the field
// names of the record model: the exports' own words (prefixes and terms
// of the JSON-LD context that are not field names, and the columns of the
// analysis table that are no field). Tests of the JSON-LD writer and of the
// analysis table hold the list to them.
var ReservedNames = []string{"annals", "attendee", "edtf", "event", "extensions", "from", "organization", "organizer", "parent",
	"participant_names", "prov", "record_type", "roles", "schema", "speaker_name", "to", "xsd"}

// reservedNames returns every name of the record model, at any depth and
// in any record type or the manifest, with ReservedNames: an extension
// field that took one would be confused with it by linked data, which has
// one term per name.
func reservedNames(base *Validator) map[string]bool {
	out := map[string]bool{}
	for _, n := range ReservedNames {
		out[n] = true
	}
	for _, t := range Types() {
		Walk(base.Fields(t), func(f *Field) {
			if f.Name != "" {
				out[f.Name] = true
			}
			if f.Item != "" {
				out[f.Item] = true
			}
		})
	}
	return out
}

// derivedNames returns, for the record type's canonical fields, the
// prefixes of the columns the tabular exports derive from them (a group's
// fields, a date's earliest and latest: "location_", "date_") and the
// names of its link tables: an extension field named so would take a
// column or a table of the canonical ones.
func derivedNames(fields []Field) (prefixes []string, tables map[string]bool) {
	tables = map[string]bool{}
	for _, f := range fields {
		prefixes = append(prefixes, f.Name+"_")
	}
	Walk(fields, func(f *Field) {
		if f.Table != "" {
			tables[f.Table] = true
		}
	})
	return prefixes, tables
}

// analysisPrefixes are the prefixes of the columns of the analysis table,
// which flattens events and statements with their sources and
// attestations into one row: the study's fields of events and statements
// are columns of it too, so they may not start like any of them
// ("location_", "published_", "reported_date_").
func analysisPrefixes(base *Validator) []string {
	var out []string
	for _, t := range []string{Event, Statement, Source} {
		p, _ := derivedNames(base.Fields(t))
		out = append(out, p...)
		for _, f := range base.Fields(t) {
			if f.Name == "attestations" && f.Items != nil {
				p, _ := derivedNames(f.Items.Fields)
				out = append(out, p...)
			}
		}
	}
	return out
}

// Extend returns a Validator of the embedded schemas in which each record
// type named in exts also has the fields of its extension, after its
// canonical fields and in the extension's order. Everything that reads
// fields from a Validator (messages, references, tables, the canonical
// order, the codebook) then knows them as it knows the canonical ones.
func Extend(exts map[string]Extension) (*Validator, error) {
	base, err := Default()
	if err != nil {
		return nil, err
	}
	overlay := overlayFS{FS: files, files: map[string][]byte{}}
	reserved := reservedNames(base)
	kinds := map[string]string{} // field name -> "type kind" of its first declaration, across types
	owned := map[string]string{} // field name -> the file that declares it first, across types
	dates := map[string]bool{}   // the fields that are one EDTF date, across types
	types := make([]string, 0, len(exts))
	for typ := range exts {
		types = append(types, typ)
	}
	slices.Sort(types)
	for _, typ := range types {
		ext := exts[typ]
		if !slices.Contains(RecordTypes, typ) {
			return nil, &ExtensionError{File: ext.File, Msg: fmt.Sprintf("%q is not a record type; extensions are for %s", typ, strings.Join(RecordTypes, ", "))}
		}
		name := typ + ".schema.json"
		doc, err := fs.ReadFile(files, name)
		if err != nil {
			return nil, err
		}
		var also []string
		if typ == Event || typ == Statement {
			also = analysisPrefixes(base)
		}
		merged, err := mergeExtension(doc, ext, base.Fields(typ), also, reserved, kinds)
		if err != nil {
			return nil, err
		}
		overlay.files[name] = merged
		if err := ownNames(ext, owned, dates); err != nil {
			return nil, err
		}
	}
	if err := checkDateColumns(owned, dates); err != nil {
		return nil, err
	}
	v, err := compile(overlay, Types())
	if err != nil {
		return nil, &ExtensionError{File: extensionFiles(exts, types), Msg: "the schema does not compile: " + err.Error()}
	}
	v.exts = maps.Clone(exts)
	v.texts = overlay.files
	return v, nil
}

// dateSuffixes are the endings of the columns the exports derive from a
// date field ("date_earliest"), as convert/table makes them.
var dateSuffixes = []string{"_earliest", "_latest", "_precision", "_uncertain", "_approximate"}

// ownNames notes the fields ext declares, by name, and which of them are
// one EDTF date (not a list of dates, whose derived columns are in its own
// table).
func ownNames(ext Extension, owned map[string]string, dates map[string]bool) error {
	var top struct {
		Properties map[string]struct {
			Type   any `json:"type"`
			Format any `json:"format"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(ext.Data, &top); err != nil {
		return &ExtensionError{File: ext.File, Msg: "is not JSON: " + err.Error()} // mergeExtension read it
	}
	for name, f := range top.Properties {
		if _, ok := owned[name]; !ok {
			owned[name] = ext.File
		}
		if f.Format == "edtf" && f.Type != "array" {
			dates[name] = true
		}
	}
	return nil
}

// checkDateColumns refuses a study's field named as a column the exports
// derive from one of its date fields ("seen_earliest" beside a date
// "seen"), in any record type: the analysis table has the fields of events
// and statements side by side, and it would have two columns of one name.
func checkDateColumns(owned map[string]string, dates map[string]bool) error {
	names := slices.Sorted(maps.Keys(owned))
	for _, name := range names {
		for _, sfx := range dateSuffixes {
			if d, ok := strings.CutSuffix(name, sfx); ok && dates[d] {
				return &ExtensionError{File: owned[name], Field: name, Msg: fmt.Sprintf(
					"is the name of a column the exports derive from the study's date field %q (%s); name it differently", d, d+sfx)}
			}
		}
	}
	return nil
}

// SchemaFile returns the schema file name (such as "statement.schema.json")
// as v checks records against it: the embedded file, with the record
// type's extension fields merged in when it has some.
func (v *Validator) SchemaFile(name string) ([]byte, error) {
	if b, ok := v.texts[name]; ok {
		return bytes.Clone(b), nil
	}
	return fs.ReadFile(files, name)
}

// OwnFields returns the fields the extension of the record type typ adds
// (after the canonical ones, in its order), or none.
func (v *Validator) OwnFields(typ string) []Field {
	if _, ok := v.exts[typ]; !ok {
		return nil
	}
	canonical, err := Default()
	if err != nil {
		return nil
	}
	return v.Fields(typ)[len(canonical.Fields(typ)):]
}

// Extensions returns the extensions v was built with, by record type, or
// nil for the embedded schemas alone: exports carry them, so that an
// export validated away from its dataset knows the study's fields.
func (v *Validator) Extensions() map[string]Extension { return maps.Clone(v.exts) }

// CarriedExtensions returns the extension schemas of v as one JSON object,
// by record type, for an export to carry; nil when there are none.
func (v *Validator) CarriedExtensions() json.RawMessage {
	if len(v.exts) == 0 {
		return nil
	}
	types := slices.Sorted(maps.Keys(v.exts))
	var b bytes.Buffer
	b.WriteByte('{')
	for i, t := range types {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%q:", t)
		if err := json.Compact(&b, v.exts[t].Data); err != nil {
			return nil // Extend has parsed it: cannot happen
		}
	}
	b.WriteByte('}')
	return b.Bytes()
}

// DecodeCarriedExtensions reads what CarriedExtensions wrote.
func DecodeCarriedExtensions(data []byte) (map[string][]byte, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("the extension schemas this export carries are not a JSON object; export the dataset again")
	}
	out := map[string][]byte{}
	for t, raw := range m {
		out[t] = raw
	}
	return out, nil
}

// extensionFiles names the files of exts, for an error no one of them can
// be told from the others for.
func extensionFiles(exts map[string]Extension, types []string) string {
	var names []string
	for _, t := range types {
		names = append(names, exts[t].File)
	}
	return strings.Join(names, ", ")
}

// mergeExtension checks ext and returns the text of the record type's
// schema doc with ext's fields added at the end of its properties, and
// its required fields at the end of required.
func mergeExtension(doc []byte, ext Extension, canonical []Field, alsoPrefixes []string, reserved map[string]bool, kinds map[string]string) ([]byte, error) {
	orders := map[string][]string{}
	data := bytes.TrimPrefix(ext.Data, []byte("\xef\xbb\xbf")) // as Windows Notepad saves UTF-8
	v, err := decodeOrdered(data, "", orders)
	if err != nil {
		return nil, &ExtensionError{File: ext.File, Msg: "is not JSON: " + err.Error()}
	}
	top, ok := v.(map[string]any)
	if !ok {
		return nil, &ExtensionError{File: ext.File, Msg: "is not a JSON Schema object: write {\"type\": \"object\", \"properties\": {...}}"}
	}
	for _, k := range orders["#"] {
		if !slices.Contains(extensionKeywords, k) {
			return nil, &ExtensionError{File: ext.File, Msg: fmt.Sprintf("the keyword %q is not supported at the top of an extension; use %s", k, strings.Join(extensionKeywords, ", "))}
		}
	}
	if t, ok := top["type"]; ok && t != "object" {
		return nil, &ExtensionError{File: ext.File, Msg: `"type" must be "object": an extension adds fields to a record`}
	}
	props, ok := top["properties"].(map[string]any)
	if !ok || len(props) == 0 {
		return nil, &ExtensionError{File: ext.File, Msg: `has no "properties": list the fields the study adds, each with a title and a description`}
	}
	var fields bytes.Buffer
	prefixes, tables := derivedNames(canonical)
	prefixes = append(prefixes, alsoPrefixes...)
	for _, name := range orders["#/properties"] {
		node := props[name]
		if err := checkExtensionField(ext.File, name, node, false); err != nil {
			return nil, err
		}
		bad := func(format string, args ...any) error {
			return &ExtensionError{File: ext.File, Field: name, Msg: fmt.Sprintf(format, args...)}
		}
		for _, f := range canonical {
			if f.Name == name {
				return nil, bad("shadows the canonical field %q: an extension adds fields, it does not change the record model; name it differently", name)
			}
		}
		if reserved[name] {
			return nil, bad("is a name the record model, its linked data or its analysis table already uses, for another field; name it differently, such as study_%s", name)
		}
		for _, p := range prefixes {
			if strings.HasPrefix(name, p) {
				return nil, bad("starts like the columns the exports make of the canonical field %q (%s…); name it differently", strings.TrimSuffix(p, "_"), p)
			}
		}
		if strings.HasSuffix(name, "_id") || strings.HasSuffix(name, "_index") {
			return nil, bad("ends like the key columns of the exports' tables (_id, _index); name it differently")
		}
		if tables[name] {
			return nil, bad("is the name of one of the record type's tables in the exports; name it differently")
		}
		m := node.(map[string]any)
		kind := fieldKind(m)
		if k, ok := kinds[name]; ok && k != kind {
			return nil, bad("is also a field of another record type's extension, of another kind (%s, here %s): linked data has one term per name, so give one of them another name", k, kind)
		}
		kinds[name] = kind
		text, err := json.Marshal(withListNames(name, withNonEmptyText(m)))
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(&fields, ",\n    %q: %s", name, text)
	}
	var required bytes.Buffer
	if r, ok := top["required"]; ok {
		list, ok := r.([]any)
		if !ok {
			return nil, &ExtensionError{File: ext.File, Msg: `"required" must be a list of the extension's field names`}
		}
		for _, x := range list {
			s, ok := x.(string)
			if _, known := props[s]; !ok || !known {
				return nil, &ExtensionError{File: ext.File, Msg: fmt.Sprintf("%s is in required but not in properties", DescribeValue(x))}
			}
			if bytes.Contains(required.Bytes(), []byte(fmt.Sprintf("%q", s))) {
				return nil, &ExtensionError{File: ext.File, Msg: fmt.Sprintf("%q is in required twice", s)}
			}
			fmt.Fprintf(&required, ", %q", s)
		}
	}
	out, err := insertAtEnd(doc, "properties", fields.Bytes())
	if err != nil {
		return nil, err
	}
	if required.Len() > 0 {
		return insertAtEnd(out, "required", required.Bytes())
	}
	return out, nil
}

// checkExtensionField checks one field of an extension (item: a list's
// item, which needs no title of its own and cannot be a list).
func checkExtensionField(file, name string, node any, item bool) error {
	bad := func(format string, args ...any) error {
		return &ExtensionError{File: file, Field: name, Msg: fmt.Sprintf(format, args...)}
	}
	if !item && !fieldName.MatchString(name) {
		return bad("a field's name is lower-case letters, digits and _, starting with a letter (it becomes a column and a term)")
	}
	m, ok := node.(map[string]any)
	if !ok {
		return bad("is not a schema: write {\"type\": ..., \"title\": ..., \"description\": ...}")
	}
	for k := range m {
		if !slices.Contains(fieldKeywords, k) {
			return bad("the keyword %q is not supported; a field may use %s", k, strings.Join(fieldKeywords, ", "))
		}
	}
	if !item {
		for _, k := range []string{"title", "description"} {
			if s, ok := m[k].(string); !ok || strings.TrimSpace(s) == "" {
				return bad("has no %s: every field of a codebook says what it is", k)
			}
		}
	}
	typ, _ := m["type"].(string)
	_, hasEnum := m["enum"]
	switch {
	case typ == "" && !hasEnum:
		return bad(`has no "type": use one of %s`, strings.Join(fieldTypes, ", "))
	case typ != "" && !slices.Contains(fieldTypes, typ):
		return bad("the type %q is not supported; use one of %s", typ, strings.Join(fieldTypes, ", "))
	case typ == "array" && item:
		return bad("a list's items cannot be lists")
	}
	if e, ok := m["enum"]; ok {
		values, ok := e.([]any)
		if !ok || len(values) == 0 || len(values) > maxEnum {
			return bad("enum must be a list of 1 to %d values", maxEnum)
		}
		for _, v := range values {
			if !enumFits(typ, v) {
				return bad("the enum value %s is not of the field's type %q", DescribeValue(v), typ)
			}
		}
	}
	for _, k := range []string{"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"} {
		if x, ok := m[k]; ok {
			if _, isNumber := x.(json.Number); !isNumber {
				return bad("%s must be a number, not %s", k, DescribeValue(x))
			}
		}
	}
	for _, k := range []string{"minLength", "maxLength", "minItems", "maxItems"} {
		if x, ok := m[k]; ok {
			if n, isNumber := x.(json.Number); !isNumber || !wholeNumber.MatchString(string(n)) {
				return bad("%s must be a whole number, 0 or more, not %s", k, DescribeValue(x))
			}
		}
	}
	if x, ok := m["uniqueItems"]; ok {
		if _, isBool := x.(bool); !isBool {
			return bad("uniqueItems must be true or false, not %s", DescribeValue(x))
		}
	}
	if x, ok := m["pattern"]; ok {
		s, isText := x.(string)
		if !isText {
			return bad("pattern must be a regular expression, as text")
		}
		if _, err := regexp.Compile(s); err != nil {
			return bad("the pattern %q is not a regular expression annals reads: %v", s, err)
		}
	}
	if n, ok := m["minLength"]; ok && fmt.Sprint(n) == "0" {
		return bad(`minLength 0 allows empty text, which annals reads as no value at all (an empty cell); leave minLength out`)
	}
	if f, ok := m["format"]; ok {
		if s, _ := f.(string); !slices.Contains(extensionFormats, s) {
			return bad("the format %s is not supported; use one of %s", DescribeValue(f), strings.Join(extensionFormats, ", "))
		}
	}
	if r, ok := m["x-refers-to"]; ok {
		if s, _ := r.(string); !slices.Contains(RecordTypes, s) {
			return bad("x-refers-to must name a record type: one of %s", strings.Join(RecordTypes, ", "))
		}
		if typ != "string" {
			return bad(`a reference holds an id: give it "type": "string"`)
		}
	}
	if typ == "array" {
		it, ok := m["items"]
		if !ok {
			return bad(`is a list without "items": say what one item is`)
		}
		return checkExtensionField(file, name, it, true)
	}
	if _, ok := m["items"]; ok {
		return bad(`has "items" but is not a list: give it "type": "array"`)
	}
	return nil
}

// enumFits reports whether an enumeration's value v is of the field's
// type typ (any JSON value when the field gives none).
func enumFits(typ string, v any) bool {
	switch typ {
	case "string":
		_, ok := v.(string)
		return ok
	case "number", "integer":
		_, ok := v.(json.Number)
		return ok
	case "boolean":
		_, ok := v.(bool)
		return ok
	}
	return typ == ""
}

// fieldKind is what linked data makes of a field: an IRI, a decimal, an
// EDTF date or a plain literal (for a list, of its items).
func fieldKind(m map[string]any) string {
	if it, ok := m["items"].(map[string]any); ok {
		m = it
	}
	switch {
	case m["x-refers-to"] != nil:
		return "reference"
	case m["type"] == "number":
		return "number"
	case m["format"] == "edtf":
		return "EDTF date"
	}
	return "literal"
}

// withNonEmptyText returns a text field (or list of text) with minLength 1
// unless it has a minimum length: annals reads an empty cell as no value,
// so empty text would not come back from a workbook or CSV export.
func withNonEmptyText(m map[string]any) map[string]any {
	out := maps.Clone(m)
	if it, ok := out["items"].(map[string]any); ok {
		out["items"] = withNonEmptyText(it)
		return out
	}
	if out["type"] == "string" && out["minLength"] == nil && out["enum"] == nil {
		out["minLength"] = json.Number("1")
	}
	return out
}

// withListNames returns a list field with the names of its link table
// (the field's name) and of its items ("value") set.
func withListNames(name string, m map[string]any) map[string]any {
	if m["type"] != "array" {
		return m
	}
	out := maps.Clone(m)
	out["x-table"], out["x-item"] = name, "value"
	return out
}

// insertAtEnd returns doc with text inserted before the closing bracket of
// the value of the top-level key of the JSON object doc.
func insertAtEnd(doc []byte, key string, text []byte) ([]byte, error) {
	d := json.NewDecoder(bytes.NewReader(doc))
	depth := 0
	found := false
	for {
		tok, err := d.Token()
		if err != nil {
			return nil, fmt.Errorf("the embedded schema has no top-level %q", key)
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
			continue
		case json.Delim('}'), json.Delim(']'):
			depth--
			if found && depth == 1 {
				end := int(d.InputOffset()) - 1 // the closing bracket
				out := append([]byte{}, doc[:end]...)
				out = append(out, text...)
				return append(out, doc[end:]...), nil
			}
			continue
		}
		if s, ok := tok.(string); ok && depth == 1 && s == key && !found {
			found = true
		}
	}
}

// overlayFS is fsys with some files' content replaced.
type overlayFS struct {
	fs.FS
	files map[string][]byte
}

func (o overlayFS) ReadFile(name string) ([]byte, error) {
	if b, ok := o.files[name]; ok {
		return b, nil
	}
	return fs.ReadFile(o.FS, name)
}

func (o overlayFS) ReadDir(name string) ([]fs.DirEntry, error) { return fs.ReadDir(o.FS, name) }
