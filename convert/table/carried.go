package table

import (
	"bytes"
	"encoding/json"

	"github.com/annals-project/annals/convert/record"
)

// MaxCarriedManifest bounds the manifest an export carries, and the
// datapackage.json read for it: a manifest is some hundred bytes.
const MaxCarriedManifest = 1 << 20

// DecodeCarried decodes a carried manifest, found at pos.
func DecodeCarried(data []byte, pos record.Position) (*record.Record, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil || m == nil {
		return nil, &record.ImportError{Position: pos, Code: record.CodeSyntax, Msg: "the manifest this export carries is not a JSON object; export the dataset again"}
	}
	return record.NewAssembledRecord(pos.File, 0, m, pos, func(string, bool) record.Position { return pos }), nil
}
