package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// decodeOrdered decodes a schema document like encoding/json with UseNumber
// and records the key order of every object in orders, keyed by
// url#pointer, because the order of "properties" in the schema files is the
// canonical field order of records.
func decodeOrdered(data []byte, url string, orders map[string][]string) (any, error) {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	v, err := decodeValue(d, url+"#", orders, 0)
	if err != nil {
		return nil, err
	}
	if _, err := d.Token(); err == nil {
		return nil, fmt.Errorf("data after the top-level value")
	}
	return v, nil
}

// maxSchemaDepth bounds the nesting of a schema document: annals' own go
// six levels deep, and a study's extension has no reason to go further
// (the pointers kept for every level would otherwise cost memory that
// grows with the square of the depth).
const maxSchemaDepth = 32

func decodeValue(d *json.Decoder, ptr string, orders map[string][]string, depth int) (any, error) {
	if depth > maxSchemaDepth {
		return nil, fmt.Errorf("nested more than %d levels deep, at %s", maxSchemaDepth, ptr)
	}
	tok, err := d.Token()
	if err != nil {
		return nil, err
	}
	switch tok {
	case json.Delim('{'):
		m := map[string]any{}
		var keys []string
		for d.More() {
			kt, err := d.Token()
			if err != nil {
				return nil, err
			}
			k := kt.(string)
			if _, dup := m[k]; dup {
				return nil, fmt.Errorf("duplicate key %q at %s", k, ptr)
			}
			val, err := decodeValue(d, ptr+"/"+escapeToken(k), orders, depth+1)
			if err != nil {
				return nil, err
			}
			m[k] = val
			keys = append(keys, k)
		}
		orders[strings.TrimSuffix(ptr, "/")] = keys
		_, err := d.Token()
		return m, err
	case json.Delim('['):
		var a []any
		for i := 0; d.More(); i++ {
			val, err := decodeValue(d, fmt.Sprintf("%s/%d", ptr, i), orders, depth+1)
			if err != nil {
				return nil, err
			}
			a = append(a, val)
		}
		_, err := d.Token()
		return a, err
	default:
		return tok, nil
	}
}
