// Package xlsx writes records as an Excel workbook and imports a workbook
// back.
//
// [NewWriter] writes a sheet per table of package table, a Codebook, a
// Conflicts sheet and an About sheet, streaming its rows through spools on
// disk so that memory stays flat however many records there are.
// [NewImporter] reads a workbook that annals wrote and a curator edited,
// tolerating what spreadsheets do (reordered columns, empty rows, date
// cells, formulas) and refusing what is not an export with a
// [record.ImportError] at its cell.
package xlsx
