// Package convert reads research records from the files curators write and
// the exports annals made, and names the packages that write them.
//
// Beneath it, each format is one package:
//
//   - record: what every format shares (Record, Position, the Reader and
//     Writer interfaces, errors with a position and a code, limits);
//   - json and yaml: the readers of record files, with the exact line and
//     column of every value and every mistake;
//   - canonical: field order and number spelling, the canonical JSON,
//     JSON Lines and YAML writers, the YAML updater, and fmt;
//   - table: the tables of the tabular exports (a main table per record
//     type, a link table per list) and the importer core that turns their
//     rows back into records;
//   - xlsx: the Excel workbook, written and imported;
//   - csv: CSV files with a Frictionless datapackage.json, written and
//     imported;
//   - jsonld: one JSON-LD document (schema.org and PROV-O).
//
// This package is the small dispatcher over them: [NewReader] reads JSON,
// JSON Lines or YAML by [record.Format]; [NewImporter] reads an export
// back, a workbook or a CSV folder; [NewWriter] writes any format that is
// one stream, by its name; and [CarriedManifest] finds the manifest an
// export carries, whichever kind of export it is.
package convert
