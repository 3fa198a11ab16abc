package schema

import (
	"encoding/json"
	"fmt"
	"io/fs"
)

// BundleID is the $id of the schema Bundle returns.
const BundleID = BaseURI + "annals.schema.json"

// Bundle returns every embedded schema as one JSON Schema 2020-12
// document, for tools that take a single file: the schemas are in $defs,
// each with its own $id, so their references resolve as they do apart, and
// the bundle itself accepts any one record (an actor, source, event or
// statement). Keys keep the order of the files.
func Bundle() ([]byte, error) {
	defs := map[string]json.RawMessage{}
	names := append(Types(), "defs")
	for _, name := range names {
		b, err := fs.ReadFile(files, name+".schema.json")
		if err != nil {
			return nil, err
		}
		defs[name] = b
	}
	var oneOf []map[string]string
	for _, t := range RecordTypes {
		oneOf = append(oneOf, map[string]string{"$ref": t + ".schema.json"})
	}
	// A struct keeps the bundle's own keys in this order; encoding/json
	// sorts the keys of $defs.
	b, err := json.MarshalIndent(struct {
		Schema      string                     `json:"$schema"`
		ID          string                     `json:"$id"`
		Title       string                     `json:"title"`
		Description string                     `json:"description"`
		Version     string                     `json:"x-version"`
		OneOf       []map[string]string        `json:"oneOf"`
		Defs        map[string]json.RawMessage `json:"$defs"`
	}{
		Schema: "https://json-schema.org/draft/2020-12/schema", ID: BundleID,
		Title:       "annals record",
		Description: fmt.Sprintf("Any one annals record: an actor, source, event or statement (record schema %s). The manifest's schema is in $defs.", Version),
		Version:     Version, OneOf: oneOf, Defs: defs,
	}, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}
