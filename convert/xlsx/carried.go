package xlsx

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"

	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/convert/table"
	"github.com/annals-project/annals/schema"
)

// An export carries the manifest of the dataset it was made from, so that
// a workbook or CSV export validated away from the dataset's folder is
// still governed by its archive folder and checks: the workbook in its
// About sheet, as JSON in the value of the row manifestField, and the CSV
// export in datapackage.json, as annals:manifest.
const manifestField = "Manifest (JSON)"

// extensionsField is the About sheet's row of the extension schemas the
// manifest names (see schema.Validator.CarriedExtensions): the workbook
// carries them, as the files they are in are not part of it.
const extensionsField = "Extensions (JSON)"

// carriedManifestJSON returns the manifest as compact JSON, keys sorted,
// for an export to carry; "" when there is none or it does not fit a
// workbook cell (32,767 characters, far more than any manifest).
func carriedManifestJSON(m map[string]any) string {
	if m == nil {
		return ""
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(m); err != nil || b.Len() > MaxCellChars {
		return ""
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// CarriedManifest reads the manifest row of a workbook's About sheet, and
// the extension schemas the workbook carries.
func CarriedManifest(path string) (*record.Record, map[string][]byte, error) {
	var opts table.ImportOptions
	wb, err := openWorkbook(path, opts)
	if err != nil {
		return nil, nil, err
	}
	defer wb.close()
	for _, sh := range wb.sheets {
		if !strings.EqualFold(strings.TrimSpace(sh.name), AboutSheet) {
			continue
		}
		tf := wb.tableFile(sh)
		rows, err := tf.Open()
		if err != nil {
			return nil, nil, err
		}
		defer rows.Close()
		var manifest *record.Record
		var exts map[string][]byte
		for {
			row, err := rows.Next()
			if err == io.EOF {
				return manifest, exts, nil
			}
			if err != nil {
				return nil, nil, err
			}
			if len(row.Cells) < 2 || row.Cells[0].Col != 1 || row.Cells[1].Col != 2 {
				continue
			}
			switch row.Cells[0].Text {
			case manifestField:
				if manifest, err = table.DecodeCarried([]byte(row.Cells[1].Text), tf.Pos(row.Num, 2)); err != nil {
					return nil, nil, err
				}
			case extensionsField:
				if exts, err = schema.DecodeCarriedExtensions([]byte(row.Cells[1].Text)); err != nil {
					return nil, nil, &record.ImportError{Position: tf.Pos(row.Num, 2), Code: record.CodeSyntax, Msg: err.Error()}
				}
			}
		}
	}
	return nil, nil, nil
}
