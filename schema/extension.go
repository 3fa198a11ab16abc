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
		"x-refers-to", "x-hint", "x-table", "x-item",
	}
	fieldTypes       = []string{"string", "number", "integer", "boolean", "array"}
	extensionFormats = []string{"edtf", "uri", "email"}
	fieldName        = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)
)

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
		merged, err := mergeExtension(doc, ext, base.Properties(typ))
		if err != nil {
			return nil, err
		}
		overlay.files[name] = merged
	}
	v, err := compile(overlay, Types())
	if err != nil {
		return nil, &ExtensionError{File: extensionFiles(exts, types), Msg: "the schema does not compile: " + err.Error()}
	}
	v.exts = maps.Clone(exts)
	return v, nil
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
func mergeExtension(doc []byte, ext Extension, canonical []string) ([]byte, error) {
	orders := map[string][]string{}
	v, err := decodeOrdered(ext.Data, "", orders)
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
	for _, name := range orders["#/properties"] {
		node := props[name]
		if err := checkExtensionField(ext.File, name, node, canonical, false); err != nil {
			return nil, err
		}
		text, err := json.Marshal(withListNames(name, node))
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
func checkExtensionField(file, name string, node any, canonical []string, item bool) error {
	bad := func(format string, args ...any) error {
		return &ExtensionError{File: file, Field: name, Msg: fmt.Sprintf(format, args...)}
	}
	if !item {
		if !fieldName.MatchString(name) {
			return bad("a field's name is lower-case letters, digits and _, starting with a letter (it becomes a column and a term)")
		}
		if slices.Contains(canonical, name) {
			return bad("shadows the canonical field %q: an extension adds fields, it does not change the record model; name it differently", name)
		}
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
		return checkExtensionField(file, name, it, canonical, true)
	}
	if _, ok := m["items"]; ok {
		return bad(`has "items" but is not a list: give it "type": "array"`)
	}
	return nil
}

// withListNames returns a list field with the names of its link table and
// of its items set (x-table: the field's name; x-item: "value"), unless
// the extension gave them.
func withListNames(name string, node any) any {
	m, _ := node.(map[string]any)
	if m["type"] != "array" {
		return node
	}
	out := make(map[string]any, len(m)+2)
	for k, v := range m {
		out[k] = v
	}
	if _, ok := out["x-table"]; !ok {
		out["x-table"] = name
	}
	if _, ok := out["x-item"]; !ok {
		out["x-item"] = "value"
	}
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
