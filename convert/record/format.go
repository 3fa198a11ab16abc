package record

import (
	"fmt"
	"path/filepath"
	"strings"
)

// Format is the syntax of an input file.
type Format int

// The supported formats. The zero Format is none of them, so a forgotten
// assignment is caught rather than read as JSON.
const (
	FormatJSON  Format = iota + 1 // one record, or an array of records
	FormatJSONL                   // JSON Lines: one record per line
	FormatYAML                    // a sequence of records, or one record per document
)

// String returns "json", "jsonl" or "yaml".
func (f Format) String() string {
	switch f {
	case FormatJSON:
		return "json"
	case FormatJSONL:
		return "jsonl"
	case FormatYAML:
		return "yaml"
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

// UnknownFormatError reports a path whose extension names no supported
// format.
type UnknownFormatError struct {
	Path string
}

func (e *UnknownFormatError) Error() string {
	return fmt.Sprintf("cannot tell the format of %q from its extension: supported extensions are %s",
		e.Path, ".json, .jsonl, .ndjson, .yaml and .yml")
}

// FormatOf returns the format of a file from its extension, ignoring case.
func FormatOf(path string) (Format, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".json":
		return FormatJSON, nil
	case ".jsonl", ".ndjson":
		return FormatJSONL, nil
	case ".yaml", ".yml":
		return FormatYAML, nil
	}
	return 0, &UnknownFormatError{Path: path}
}

// ParseFormat returns the format with the given name, ignoring case, as a
// user would give it for standard input: "json", "jsonl", "ndjson", "yaml"
// or "yml".
func ParseFormat(name string) (Format, error) {
	switch strings.ToLower(name) {
	case "json":
		return FormatJSON, nil
	case "jsonl", "ndjson":
		return FormatJSONL, nil
	case "yaml", "yml":
		return FormatYAML, nil
	}
	return 0, fmt.Errorf("unknown input format %q: supported formats are json, jsonl, ndjson, yaml and yml", name)
}
