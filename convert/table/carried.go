package table

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"syscall"

	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/internal/english"
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
		return nil, &record.ImportError{Pos: pos, Code: record.CodeSyntax, Msg: "the manifest this export carries is not a JSON object; export the dataset again"}
	}
	return record.NewAssembledRecord(pos.File, 0, m, pos, func(string, bool) record.Position { return pos }), nil
}

// ReadSmall reads a small file: opened without waiting (a named pipe would
// wait for a writer), refused unless a regular file of at most limit
// bytes.
func ReadSmall(name string, limit int64) ([]byte, error) {
	f, err := os.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", name)
	}
	if info.Size() > limit {
		return nil, fmt.Errorf("%s is larger than %s, more than annals reads of it", name, english.MiB(int(limit)))
	}
	return io.ReadAll(io.LimitReader(f, limit+1))
}
