package xlsx

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"

	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/convert/table"
)

// An export carries the manifest of the dataset it was made from, so that
// a workbook or CSV export validated away from the dataset's folder is
// still governed by its archive folder and checks: the workbook in its
// About sheet, as JSON in the value of the row manifestField, and the CSV
// export in datapackage.json, as annals:manifest.
const manifestField = "Manifest (JSON)"

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

// CarriedManifest reads the manifest row of a workbook's About sheet.
func CarriedManifest(path string) (*record.Record, error) {
	var opts table.ImportOptions
	wb, err := openWorkbook(path, opts)
	if err != nil {
		return nil, err
	}
	defer wb.close()
	for _, sh := range wb.sheets {
		if !strings.EqualFold(strings.TrimSpace(sh.name), AboutSheet) {
			continue
		}
		tf := wb.tableFile(sh)
		rows, err := tf.Open()
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		for {
			row, err := rows.Next()
			if err == io.EOF {
				return nil, nil
			}
			if err != nil {
				return nil, err
			}
			if len(row.Cells) >= 2 && row.Cells[0].Col == 1 && row.Cells[0].Text == manifestField && row.Cells[1].Col == 2 {
				return table.DecodeCarried([]byte(row.Cells[1].Text), tf.Pos(row.Num, 2))
			}
		}
	}
	return nil, nil
}
