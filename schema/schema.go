package schema

import (
	"bytes"
	"embed"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/annals-project/annals/internal/edtf"
)

// Version is the version of the record schemas embedded in this package.
const Version = "1.1.0"

// BaseURI is the prefix of every embedded schema's $id. Nothing is ever
// fetched from it: all schemas resolve from the embedded files.
const BaseURI = "https://w3id.org/annals/schema/v1/"

// The record types, in the order exports and summaries list them.
const (
	Actor     = "actor"
	Source    = "source"
	Event     = "event"
	Statement = "statement"
	// Manifest is not a record type but has a schema of its own.
	Manifest = "manifest"
)

// RecordTypes lists the record types in their canonical order.
var RecordTypes = []string{Actor, Source, Event, Statement}

// Types returns the record types and the manifest: every type with a
// schema of its own.
func Types() []string { return append(slices.Clone(RecordTypes), Manifest) }

//go:embed *.schema.json
var files embed.FS

// Files returns the embedded schema files, named TYPE.schema.json (and
// defs.schema.json for the shared definitions).
func Files() fs.FS { return files }

// Validator checks records against the embedded schemas. It is safe for
// concurrent use.
type Validator struct {
	schemas map[string]*jsonschema.Schema
	docs    map[string]any      // raw schema documents by URL, for messages
	orders  map[string][]string // key order of every object, by URL#pointer
	refs    map[string][]Reference
	fields  map[string][]Field
	accept  map[string]*acceptor // the fast yes of accept.go, by type
	exts    map[string]Extension // the extensions it was built with (see Extend)
	texts   map[string][]byte    // the schema files with the extensions merged in, by name
}

var (
	defaultOnce      sync.Once
	defaultValidator *Validator
	defaultErr       error
)

// Default returns a Validator compiled once from the embedded schemas.
func Default() (*Validator, error) {
	defaultOnce.Do(func() { defaultValidator, defaultErr = New() })
	return defaultValidator, defaultErr
}

// New compiles the embedded schemas, with format assertion on and no
// network access: any $ref outside the embedded files is an error.
func New() (*Validator, error) {
	return compile(files, Types())
}

// compile builds a Validator from the *.schema.json files of fsys, for the
// given types (TYPE.schema.json each).
func compile(fsys fs.FS, types []string) (*Validator, error) {
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.AssertFormat = true
	c.LoadURL = func(u string) (io.ReadCloser, error) {
		return nil, fmt.Errorf("schema %q is not embedded, and annals never loads schemas from the network", u)
	}
	c.Formats["edtf"] = isEDTF
	c.Formats["uri"] = isURI
	formats := map[string]func(any) bool{}
	for name, f := range standardFormats {
		formats[name] = f
	}
	for name, f := range c.Formats {
		formats[name] = f
	}
	v := &Validator{
		schemas: map[string]*jsonschema.Schema{},
		docs:    map[string]any{},
		orders:  map[string][]string{},
		refs:    map[string][]Reference{},
		fields:  map[string][]Field{},
		accept:  map[string]*acceptor{},
	}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		data, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			return nil, err
		}
		url := BaseURI + e.Name()
		doc, err := decodeOrdered(data, url, v.orders)
		if err != nil {
			return nil, fmt.Errorf("embedded schema %q: %w", e.Name(), err)
		}
		v.docs[url] = doc
		if err := c.AddResource(url, bytes.NewReader(data)); err != nil {
			return nil, fmt.Errorf("embedded schema %q: %w", e.Name(), err)
		}
	}
	for _, t := range types {
		s, err := c.Compile(BaseURI + t + ".schema.json")
		if err != nil {
			return nil, err
		}
		v.schemas[t] = s
		v.refs[t] = v.findReferences(t)
		for _, r := range v.refs[t] {
			if strings.Count(r.Path, "/*") > maxStars {
				return nil, fmt.Errorf("embedded schema %q: the reference %s crosses more than %d arrays", t, r.Path, maxStars)
			}
		}
		v.fields[t] = v.buildFields(t)
		// A schema the acceptor does not understand is checked by
		// jsonschema alone.
		if a, err := v.compileAcceptor(t, formats); err == nil {
			v.accept[t] = a
		}
	}
	return v, nil
}

// Validate checks value against the schema of the record type typ (one of
// [RecordTypes] or [Manifest]) and returns every violation, sorted by
// position in the record. It returns nil for a valid value.
func (v *Validator) Validate(typ string, value any) []Violation {
	s, ok := v.schemas[typ]
	if !ok {
		return []Violation{{Keyword: "type", Code: CodeNotAllowed, Pointer: "/type",
			Message: fmt.Sprintf("%q is not a record type; use %s", typ, strings.Join(RecordTypes, ", "))}}
	}
	if a := v.accept[typ]; a != nil && a.accepts(value) {
		return nil
	}
	err := s.Validate(value)
	if err == nil {
		return nil
	}
	ve, ok := err.(*jsonschema.ValidationError)
	if !ok {
		return []Violation{{Code: CodeSchema, Message: err.Error()}}
	}
	out := v.explain(ve, value)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Pointer < out[j].Pointer })
	return out
}

// Reference is a place in a record type where another record's id is
// expected, as declared by the schema's x-refers-to annotations.
type Reference struct {
	// Path is the JSON pointer to the reference with "*" standing for any
	// array index, such as "/attestations/*/source".
	Path string
	// Target is the record type the reference must point to.
	Target string

	toks []string // Path split into unescaped tokens
}

// References returns the places in records of type typ that refer to other
// records, in schema order.
func (v *Validator) References(typ string) []Reference { return v.refs[typ] }

// findReferences collects every property of typ annotated with x-refers-to.
func (v *Validator) findReferences(typ string) []Reference {
	var out []Reference
	v.walkProperties(typ, func(path, loc string, node map[string]any) {
		if t, ok := node["x-refers-to"].(string); ok {
			out = append(out, Reference{Path: path, Target: t, toks: splitPath(path)})
		}
	})
	return out
}

// walkProperties calls fn for every property and array item the schema of
// typ describes, in schema order, with its instance path ("*" for any array
// index), the location of its schema node (URL#pointer, before following
// $ref) and that node.
func (v *Validator) walkProperties(typ string, fn func(path, loc string, node map[string]any)) {
	var walk func(url, ptr, path string, depth int)
	walk = func(url, ptr, path string, depth int) {
		m, ok := lookupPointer(v.docs[url], ptr).(map[string]any)
		if !ok || depth > 32 {
			return
		}
		if ref, ok := m["$ref"].(string); ok {
			rurl, rptr := v.resolveRef(url, ref)
			walk(rurl, rptr, path, depth+1)
		}
		for _, name := range v.orders[url+"#"+ptr+"/properties"] {
			pptr := ptr + "/properties/" + escapeToken(name)
			ppath := path + "/" + escapeToken(name)
			node, _ := lookupPointer(v.docs[url], pptr).(map[string]any)
			fn(ppath, url+"#"+pptr, node)
			walk(url, pptr, ppath, depth+1)
		}
		if items, ok := m["items"].(map[string]any); ok {
			fn(path+"/*", url+"#"+ptr+"/items", items)
			walk(url, ptr+"/items", path+"/*", depth+1)
		}
	}
	walk(BaseURI+typ+".schema.json", "", "", 0)
}

// Properties returns the property names of the schema of typ in the order
// the schema file lists them: the canonical key order of a record.
func (v *Validator) Properties(typ string) []string {
	return v.orders[BaseURI+typ+".schema.json#/properties"]
}

// resolveRef splits a $ref (relative to the document at base) into the
// URL of the document it points into and the JSON pointer within it.
func (v *Validator) resolveRef(base, ref string) (url, ptr string) {
	url, ptr, _ = strings.Cut(ref, "#")
	if url == "" {
		url = base
	} else if !strings.Contains(url, "://") {
		url = base[:strings.LastIndexByte(base, '/')+1] + url
	}
	return url, ptr
}

// lookup returns the schema node at an absolute keyword location such as
// "https://…/defs.schema.json#/$defs/edtf/format".
func (v *Validator) lookup(absLoc string) any {
	docURL, frag, _ := strings.Cut(absLoc, "#")
	return lookupPointer(v.docs[docURL], frag)
}

func lookupPointer(doc any, ptr string) any {
	if ptr == "" {
		return doc
	}
	for _, tok := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		tok = unescapeToken(tok)
		switch n := doc.(type) {
		case map[string]any:
			doc = n[tok]
		case []any:
			i, err := parseIndex(tok)
			if err != nil || i >= len(n) {
				return nil
			}
			doc = n[i]
		default:
			return nil
		}
	}
	return doc
}

func isEDTF(v any) bool {
	s, ok := v.(string)
	if !ok {
		return true
	}
	_, err := edtf.Parse(s)
	return err == nil
}

func isURI(v any) bool {
	s, ok := v.(string)
	if !ok {
		return true
	}
	return checkURI(s) == nil
}
