package schema

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Field describes one property of a record type as the schema defines it,
// with $ref resolved: what exports need to lay out columns, codebooks and
// linked-data terms.
type Field struct {
	Name        string // the property name, such as "reported_date"
	Path        string // JSON pointer from the record, "*" for array items: "/attestations/*/reported_date"
	Title       string
	Description string
	Type        string   // JSON type: "string", "number", "integer", "boolean", "object", "array"; "" for const
	Format      string   // "edtf", "uri", "email", or ""
	Enum        []string // allowed values, if the schema lists them
	Const       string   // the only allowed value (the record's "type")
	Pattern     string
	RefersTo    string // record type a reference points to (x-refers-to), or ""
	Table       string // for arrays: the name of the link table (x-table)
	Item        string // for arrays: what one item is called (x-item)
	Hint        string // how to write a valid value, for messages and codebooks (x-hint)
	Minimum     string // a number's lower bound, as written, or ""
	Maximum     string // a number's upper bound, as written, or ""
	Required    bool
	Fields      []Field // for objects: the properties, in schema order
	Items       *Field  // for arrays: the item
}

// Fields returns the properties of record type typ (or [Manifest]) as a
// tree, in schema order. The tree is built once and shared: callers must
// not modify it.
func (v *Validator) Fields(typ string) []Field { return v.fields[typ] }

func (v *Validator) buildFields(typ string) []Field {
	url := BaseURI + typ + ".schema.json"
	return v.objectFields(url, "", "", 0)
}

// objectFields lists the properties of the object schema at url#ptr.
func (v *Validator) objectFields(url, ptr, path string, depth int) []Field {
	url, ptr, node := v.deref(url, ptr)
	required := map[string]bool{}
	for _, r := range stringList(node["required"]) {
		required[r] = true
	}
	var out []Field
	for _, name := range v.orders[url+"#"+ptr+"/properties"] {
		f := v.field(url, ptr+"/properties/"+escapeToken(name), path+"/"+escapeToken(name), depth+1)
		f.Name = name
		f.Required = required[name]
		out = append(out, f)
	}
	return out
}

// field describes the schema node at url#ptr. Annotations on the node
// itself (title, description, x-*) win over those of the schema it refers
// to, as they do in JSON Schema 2020-12.
func (v *Validator) field(url, ptr, path string, depth int) Field {
	f := Field{Path: path}
	if depth > 16 {
		return f
	}
	// Collect along the $ref chain, nearest first.
	for cur, curPtr := url, ptr; ; {
		node, _ := lookupPointer(v.docs[cur], curPtr).(map[string]any)
		if node == nil {
			break
		}
		setString(&f.Title, node["title"])
		setString(&f.Description, node["description"])
		setString(&f.Type, node["type"])
		setString(&f.Format, node["format"])
		setString(&f.Pattern, node["pattern"])
		setString(&f.RefersTo, node["x-refers-to"])
		setString(&f.Table, node["x-table"])
		setString(&f.Item, node["x-item"])
		setString(&f.Hint, node["x-hint"])
		if n, ok := node["minimum"].(json.Number); ok && f.Minimum == "" {
			f.Minimum = string(n)
		}
		if n, ok := node["maximum"].(json.Number); ok && f.Maximum == "" {
			f.Maximum = string(n)
		}
		setString(&f.Const, node["const"])
		if e, ok := node["enum"]; ok && f.Enum == nil {
			f.Enum = stringList(e)
		}
		if _, ok := node["properties"]; ok && f.Fields == nil {
			f.Fields = v.objectFields(cur, curPtr, path, depth)
		}
		if _, ok := node["items"].(map[string]any); ok && f.Items == nil {
			it := v.field(cur, curPtr+"/items", path+"/*", depth+1)
			f.Items = &it
		}
		ref, ok := node["$ref"].(string)
		if !ok {
			break
		}
		cur, curPtr = v.resolveRef(cur, ref)
	}
	if f.RefersTo != "" {
		f.Hint = refHint(f.RefersTo)
	}
	return f
}

// refHint says how to write a reference to a record of type typ, with an
// id of that type from the samples as the example.
func refHint(typ string) string {
	example := map[string]string{
		Actor:     "sergei-lavrov",
		Source:    "src-anadolu-2021-12-27",
		Event:     "us-russia-talks-geneva-2022",
		Statement: "ryabkov-no-preconditions-2021-12-23",
	}[typ]
	if example == "" {
		return "write the id of a " + typ + " record"
	}
	return fmt.Sprintf("write the id of %s %s record, such as %q", article(typ), typ, example)
}

func article(word string) string {
	if word != "" && strings.IndexByte("aeiou", word[0]) >= 0 {
		return "an"
	}
	return "a"
}

// deref follows $ref from url#ptr to the node that holds the keywords.
func (v *Validator) deref(url, ptr string) (string, string, map[string]any) {
	for range 16 {
		node, _ := lookupPointer(v.docs[url], ptr).(map[string]any)
		ref, ok := node["$ref"].(string)
		if !ok || node["properties"] != nil {
			return url, ptr, node
		}
		url, ptr = v.resolveRef(url, ref)
	}
	return url, ptr, nil
}

func setString(dst *string, v any) {
	if *dst == "" {
		if s, ok := v.(string); ok {
			*dst = s
		}
	}
}

// Walk calls fn for every field in the tree, depth first, in schema order,
// array items included.
func Walk(fields []Field, fn func(f *Field)) {
	for i := range fields {
		f := &fields[i]
		fn(f)
		Walk(f.Fields, fn)
		if f.Items != nil {
			fn(f.Items)
			Walk(f.Items.Fields, fn)
		}
	}
}

// FirstSentence returns the first sentence of a description, for places
// where the whole one is too long (a column comment, a message).
func FirstSentence(d string) string {
	if i := strings.Index(d, ". "); i >= 0 {
		d = d[:i]
	}
	return strings.TrimSuffix(d, ".")
}

// Each calls fn for every value the reference points at in the record v,
// with a cursor from which [Reference.Pointer] builds the value's JSON
// pointer: the hot path that resolves every reference of every record needs
// it only for the ones that are wrong, and the cursor is a plain value.
func (r Reference) Each(v any, fn func(x any, at Cursor)) {
	toks := r.toks
	if toks == nil {
		toks = splitPath(r.Path)
	}
	eachRef(v, toks, Cursor{}, fn)
}

// Cursor is where [Reference.Each] is in a record: the indices that stand
// for the stars of the reference's path, in order.
type Cursor struct {
	idx [maxStars]int32
	n   uint8
}

// maxStars is the most array levels a reference's path may cross; the
// schema is checked for it when it is loaded.
const maxStars = 4

// Pointer returns the JSON pointer of the value at the cursor.
func (r Reference) Pointer(at Cursor) string {
	b := make([]byte, 0, len(r.Path)+8)
	i := 0
	for _, tok := range strings.Split(r.Path[1:], "/") {
		b = append(b, '/')
		if tok == "*" {
			b = strconv.AppendInt(b, int64(at.idx[i]), 10)
			i++
			continue
		}
		b = append(b, tok...)
	}
	return string(b)
}

// splitPath splits a reference's path into its unescaped tokens, "*"
// standing for any array index.
func splitPath(path string) []string {
	toks := strings.Split(path[1:], "/")
	for i, t := range toks {
		if t != "*" {
			toks[i] = unescapeToken(t)
		}
	}
	return toks
}

func eachRef(v any, toks []string, at Cursor, fn func(any, Cursor)) {
	for len(toks) > 0 {
		if toks[0] == "*" {
			a, _ := v.([]any)
			n := at.n
			at.n++
			for i, x := range a {
				at.idx[n] = int32(i)
				eachRef(x, toks[1:], at, fn)
			}
			return
		}
		m, _ := v.(map[string]any)
		x, ok := m[toks[0]]
		if !ok {
			return
		}
		v, toks = x, toks[1:]
	}
	fn(v, at)
}

// EachAt calls fn for every value in v at path, a JSON pointer in which
// "*" stands for every array index (the form of [Reference.Path] and
// [Field.Path], such as "/attestations/*/source"). fn receives the value's
// concrete pointer and the indices that stood for the stars, in order.
func EachAt(v any, path string, fn func(ptr string, idx []int, v any)) {
	eachAt(v, path, "", nil, fn)
}

func eachAt(v any, path, ptr string, idx []int, fn func(string, []int, any)) {
	if path == "" {
		fn(ptr, idx, v)
		return
	}
	tok, rest, _ := strings.Cut(path[1:], "/")
	if rest != "" {
		rest = "/" + rest
	}
	if tok == "*" {
		a, _ := v.([]any)
		for i, x := range a {
			eachAt(x, rest, ptr+"/"+strconv.Itoa(i), append(idx[:len(idx):len(idx)], i), fn)
		}
		return
	}
	m, _ := v.(map[string]any)
	if x, ok := m[unescapeToken(tok)]; ok {
		eachAt(x, rest, ptr+"/"+tok, idx, fn)
	}
}
