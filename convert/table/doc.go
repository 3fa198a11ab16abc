// Package table is the layout the tabular exports share, derived from the
// schema by [Tables]: a main table per record type and a link table per
// list, so that no cell packs several values. [Flatten] and [EachRow] turn
// a record into its rows for the writers.
//
// Going back, [NewImporter] is the core of the workbook and CSV importers:
// a format hands it the rows of each table ([InputTable], [RowReader]), and
// it matches headers to columns, attaches link-table rows to their records
// and keeps, for every value, the cell it came from.
package table
