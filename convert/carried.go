package convert

import (
	"github.com/annals-project/annals/convert/csv"
	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/convert/xlsx"
)

// CarriedManifest returns the manifest an export carries, as a record
// located where it is written (the About sheet's cell, or
// datapackage.json), or nil when it carries none: an export of a dataset
// without a manifest, or one made by an annals before exports carried it.
// path is a workbook, a CSV export's folder, or its datapackage.json.
// The extension schemas the export carries come with it, by record type.
func CarriedManifest(path string) (*record.Record, map[string][]byte, error) {
	if isWorkbook(path) {
		return xlsx.CarriedManifest(path)
	}
	return csv.CarriedManifest(path)
}
