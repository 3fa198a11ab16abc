package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/annals-project/annals/internal/edtf"
)

// EditorSchema returns one JSON Schema draft-07 document for the YAML
// editors that use yaml-language-server (VS Code's YAML extension, Neovim,
// Helix, Zed and others), which know draft-07 and not 2020-12. With typ
// "" it describes a record file: a list of records, or one record per
// document, each an actor, source, event or statement as its type says;
// with typ Manifest, a dataset's annals.yaml. The editor then completes
// field names and allowed values, shows each field's description on
// hover, and marks what the schema refuses as the curator types.
//
// The schemas are v's, with the study's own fields merged in: every
// definition is in "definitions", named after its file ("event",
// "defs.place"); references are rewritten to point there; a $ref with
// other keywords beside it is put in an allOf, since draft-07 ignores
// them; dependentRequired becomes dependencies; and EDTF dates get
// edtf.Pattern, which editors can check. The editor's verdict is looser
// than annals validate's (days of the month, references between
// records, quotes): it never refuses a record that annals accepts.
func (v *Validator) EditorSchema(typ string) ([]byte, error) {
	if typ != "" && typ != Manifest {
		return nil, fmt.Errorf("the editor schema is for record files or the manifest, not %q", typ)
	}
	defs := map[string]any{}
	var manifest map[string]any
	for _, name := range append(Types(), "defs") {
		b, err := v.SchemaFile(name + ".schema.json")
		if err != nil {
			return nil, err
		}
		d := json.NewDecoder(bytes.NewReader(b))
		d.UseNumber()
		var doc map[string]any
		if err := d.Decode(&doc); err != nil {
			return nil, fmt.Errorf("%s.schema.json: %w", name, err)
		}
		local, _ := doc["$defs"].(map[string]any)
		for def, node := range local {
			c, err := toDraft7(node, name)
			if err != nil {
				return nil, err
			}
			defs[name+"."+def] = c
		}
		if name == "defs" {
			continue
		}
		for _, k := range []string{"$defs", "$schema", "$id"} {
			delete(doc, k)
		}
		c, err := toDraft7(doc, name)
		if err != nil {
			return nil, err
		}
		defs[name] = c
		if name == Manifest {
			manifest = c.(map[string]any)
		}
	}
	// Each schema keeps the definitions it uses: the manifest's own and
	// the shared ones, or all but the manifest's.
	for name := range defs {
		fromManifest := name == Manifest || strings.HasPrefix(name, Manifest+".")
		if fromManifest == (typ == Manifest) || strings.HasPrefix(name, "defs.") {
			continue
		}
		delete(defs, name)
	}
	var root map[string]any
	if typ == Manifest {
		delete(defs, Manifest)
		root = manifest
		root["title"] = "annals dataset manifest (annals.yaml)"
	} else {
		defs["record"] = recordDispatch()
		root = map[string]any{
			"title":       "annals record file",
			"description": "A list of records, or one record per YAML document: each an actor, source, event or statement, as its type field says.",
			"type":        []string{"array", "object", "null"},
			"items":       map[string]any{"$ref": "#/definitions/record"},
			"if":          map[string]any{"type": "object"},
			"then":        map[string]any{"$ref": "#/definitions/record"},
		}
	}
	root["$schema"] = "http://json-schema.org/draft-07/schema#"
	root["$comment"] = fmt.Sprintf("Record schema %s, for YAML editors, written by annals schema --editor: write it again after changing the manifest's extensions. annals validate is the judge: it also checks dates, references and quotes.", Version)
	root["definitions"] = defs
	b, err := json.MarshalIndent(root, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// edtfHint is what an editor says of a date that does not match
// edtf.Pattern.
const edtfHint = "Not a date annals reads: write year-month-day, as in 2021-12-27, 2021-12, 2021, 2021-12-27? (uncertain) or 2022-01-09/2022-01-13; annals validate says which date 27/12/2021 or Dec 27 2021 would be."

// recordDispatch is the schema of any one record: its type field says
// which record schema applies, so the editor completes that type's fields.
func recordDispatch() map[string]any {
	var cases []any
	for _, t := range RecordTypes {
		cases = append(cases, map[string]any{
			"if":   map[string]any{"properties": map[string]any{"type": map[string]any{"const": t}}, "required": []string{"type"}},
			"then": map[string]any{"$ref": "#/definitions/" + t},
		})
	}
	return map[string]any{
		"title":       "Record",
		"description": "One record: its type says whether it is an actor, source, event or statement.",
		"type":        "object",
		"required":    []string{"type"},
		"properties": map[string]any{"type": map[string]any{
			"title":       "Record type",
			"description": "actor (a person, organization, state or international organization), source (a news article), event (something that happened or was planned) or statement (something an actor said).",
			"enum":        RecordTypes,
		}},
		"allOf": cases,
	}
}

// toDraft7 rewrites one node of the schema file file (without
// ".schema.json") for draft-07, recursively.
func toDraft7(node any, file string) (any, error) {
	switch n := node.(type) {
	case []any:
		out := make([]any, len(n))
		for i, x := range n {
			c, err := toDraft7(x, file)
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	case map[string]any:
		out := make(map[string]any, len(n))
		for k, x := range n {
			switch k {
			case "$ref":
				s, _ := x.(string)
				ref, err := draft7Ref(s, file)
				if err != nil {
					return nil, err
				}
				out[k] = ref
				continue
			case "dependentRequired":
				k = "dependencies"
			case "$defs", "$id", "$schema":
				return nil, fmt.Errorf("%s.schema.json: %s inside a definition is not supported by the editor schema", file, k)
			case "properties", "patternProperties":
				// Field names, not keywords: rewrite each field's schema.
				props, _ := x.(map[string]any)
				conv := make(map[string]any, len(props))
				for name, p := range props {
					c, err := toDraft7(p, file)
					if err != nil {
						return nil, err
					}
					conv[name] = c
				}
				out[k] = conv
				continue
			case "examples", "enum", "const", "default":
				out[k] = x // values, not schemas
				continue
			}
			c, err := toDraft7(x, file)
			if err != nil {
				return nil, err
			}
			out[k] = c
		}
		if f, _ := out["format"].(string); f == "edtf" {
			if _, ok := out["pattern"]; !ok {
				out["pattern"] = edtf.Pattern
				out["patternErrorMessage"] = edtfHint
			}
		}
		// yaml-language-server says what x-hint says where the value does
		// not match, instead of printing the pattern or a list of 250 codes.
		if hint, _ := out["x-hint"].(string); hint != "" {
			msg := strings.ToUpper(hint[:1]) + hint[1:] + "."
			if _, ok := out["pattern"]; ok {
				out["patternErrorMessage"] = msg
			} else if _, ok := out["enum"]; ok {
				out["errorMessage"] = msg
			}
		}
		// Draft-07 ignores the keywords beside a $ref: move the reference
		// into an allOf so that they apply too.
		if ref, ok := out["$ref"]; ok && len(out) > 1 {
			delete(out, "$ref")
			all, _ := out["allOf"].([]any)
			out["allOf"] = append([]any{map[string]any{"$ref": ref}}, all...)
		}
		return out, nil
	}
	return node, nil
}

// draft7Ref rewrites a reference of the schema file file, such as
// "defs.schema.json#/$defs/text", "#/$defs/participant" or
// "event.schema.json", to the editor schema's definitions.
func draft7Ref(ref, file string) (string, error) {
	target, frag, _ := strings.Cut(ref, "#")
	if target != "" {
		if strings.Contains(target, "/") || !strings.HasSuffix(target, ".schema.json") {
			return "", fmt.Errorf("%s.schema.json: the reference %q is not to an embedded schema", file, ref)
		}
		file = strings.TrimSuffix(target, ".schema.json")
	}
	switch {
	case frag == "":
		return "#/definitions/" + file, nil
	case strings.HasPrefix(frag, "/$defs/") && !strings.Contains(frag[len("/$defs/"):], "/"):
		return "#/definitions/" + file + "." + frag[len("/$defs/"):], nil
	}
	return "", fmt.Errorf("%s.schema.json: the reference %q is not to a definition", file, ref)
}
