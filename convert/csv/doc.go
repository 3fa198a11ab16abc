// Package csv writes records as CSV files, one per table of package table,
// with a Frictionless datapackage.json that describes them, and imports
// such a folder back.
//
// Text that a spreadsheet would run as a formula is guarded
// (internal/formula), and datapackage.json marks the guarded fields so that
// [NewImporter] undoes the guard exactly where it was applied.
package csv
