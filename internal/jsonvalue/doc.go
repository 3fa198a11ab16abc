// Package jsonvalue is what annals means by a JSON value beyond its Go
// shape (map[string]any, []any, string, json.Number, bool, nil): when two
// values are equal ([Equal], numbers by value, as JSON Schema's const and
// enum compare them), how a number is spelled in canonical form
// ([CanonicalNumber]), and how text is written as a JSON string
// ([AppendString]), for every writer of JSON text. It is a leaf, so that
// the schema and every format can share it.
package jsonvalue
