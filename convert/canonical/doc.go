// Package canonical is annals' canonical form of records: fields in the
// schema's order, numbers in their shortest spelling (RFC 8785's, every
// digit kept), text as written.
//
// [NewJSONWriter], [NewJSONLWriter] and [NewYAMLWriter] write valid records
// in that form one at a time; [NewYAMLUpdater] rewrites an existing YAML
// file in place of a new one, keeping its comments; [Format] rewrites a
// whole record file for annals fmt, and reads its output back to prove
// that no value changed.
package canonical
