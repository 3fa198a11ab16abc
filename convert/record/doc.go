// Package record is what every format of annals shares: the [Record] a
// reader returns, with the [Position] its values came from; the [Reader]
// and [Writer] interfaces; the errors that name a position and a code
// ([SyntaxError], [ImportError], [WriteError]); the limits that bound
// what is read; and the [Format] of an input file.
//
// It is a leaf: it depends on the schema and nothing that reads or writes
// a file format, so that the checks (internal/check) can use records
// without linking a workbook library or a YAML parser.
package record
