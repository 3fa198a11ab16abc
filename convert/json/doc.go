// Package json reads records from .json and JSON Lines files, with the
// exact line and column of every value and of every mistake.
//
// It has a strict RFC 8259 parser of its own, because encoding/json accepts
// duplicate keys silently and reports only byte offsets. A .json array is
// read element by element ([NewReader]), and a JSON Lines file line by line
// ([NewLinesReader], or [LineSplitter] and [LineDecoder] when the lines are
// decoded by several workers), so the memory a reader needs is that of one
// record plus a buffer, however large the file. Positions inside a record
// are computed only when asked for ([record.Record.Locate]), so that valid
// records pay nothing for them.
package json
