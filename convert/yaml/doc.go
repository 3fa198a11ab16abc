// Package yaml reads records from YAML files with go.yaml.in/yaml/v3,
// converting its nodes into the JSON data model so that a record means the
// same written in YAML as in JSON ([NewReader] lists the differences from
// plain YAML this takes). It turns the library's errors into
// [record.SyntaxError]s at the character at fault, and bounds what aliases
// may expand to.
//
// The canonical YAML writer and fmt (package canonical) use its
// [Converter] and node helpers to read the documents they rewrite.
package yaml
