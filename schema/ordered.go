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
	v, err := decodeValue(d, url+"#", orders)
	if err != nil {
		return nil, err
	}
	if _, err := d.Token(); err == nil {
		return nil, fmt.Errorf("data after the top-level value")
	}
	return v, nil
}

func decodeValue(d *json.Decoder, ptr string, orders map[string][]string) (any, error) {
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
			val, err := decodeValue(d, ptr+"/"+escapeToken(k), orders)
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
			val, err := decodeValue(d, fmt.Sprintf("%s/%d", ptr, i), orders)
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
