package json

import "github.com/annals-project/annals/convert/record"

// The functions here walk the retained bytes of a record that parsed
// successfully, to find where a value is without building anything. They
// never index out of range, even on input that is not valid JSON: at worst
// they return a wrong offset.

// locateJSON returns the offset in d of the value at the JSON pointer ptr,
// or with key set and ptr ending in an object member, of the member's key.
// A pointer that does not exist stops at the deepest value that does; an
// invalid pointer, at the whole value.
func locateJSON(d []byte, ptr string, key bool) int {
	i := skipWS(d, 0)
	tokens, ok := record.SplitPointer(ptr)
	if !ok {
		return i
	}
	for n, tok := range tokens {
		if i >= len(d) {
			return i
		}
		switch d[i] {
		case '{':
			k, v, found := findMember(d, i, tok)
			if !found {
				return i
			}
			if key && n == len(tokens)-1 {
				return k
			}
			i = v
		case '[':
			idx, ok := record.ArrayIndex(tok)
			if !ok {
				return i
			}
			v, found := findElement(d, i, idx)
			if !found {
				return i
			}
			i = v
		default:
			return i
		}
	}
	return i
}

// findMember finds the member called name in the object at d[obj] and
// returns the offsets of its key and of its value.
func findMember(d []byte, obj int, name string) (keyOff, valOff int, ok bool) {
	var p parser // only to decode keys that have escapes
	i := obj + 1
	for {
		i = skipWS(d, i)
		if i >= len(d) || d[i] != '"' {
			return 0, 0, false
		}
		keyOff = i
		i = skipString(d, i)
		if !keyEquals(&p, d, keyOff, i, name) {
			keyOff = -1
		}
		i = skipWS(d, i)
		if i >= len(d) || d[i] != ':' {
			return 0, 0, false
		}
		i = skipWS(d, i+1)
		if keyOff >= 0 {
			return keyOff, i, true
		}
		i = skipWS(d, skipValue(d, i))
		if i >= len(d) || d[i] != ',' {
			return 0, 0, false
		}
		i++
	}
}

// keyEquals tells whether the string d[start:end] (quotes included) decodes
// to name.
func keyEquals(p *parser, d []byte, start, end int, name string) bool {
	raw := d[start+1 : max(end-1, start+1)]
	if len(raw) == len(name) && string(raw) == name {
		return true
	}
	for _, c := range raw {
		if c == '\\' {
			p.data, p.i = d, start
			b, err := p.strBytes()
			return err == nil && string(b) == name
		}
	}
	return false
}

// findElement returns the offset of element idx of the array at d[arr].
func findElement(d []byte, arr, idx int) (int, bool) {
	i := skipWS(d, arr+1)
	if i >= len(d) || d[i] == ']' {
		return 0, false
	}
	for n := 0; ; n++ {
		if n == idx {
			return i, true
		}
		i = skipWS(d, skipValue(d, i))
		if i >= len(d) || d[i] != ',' {
			return 0, false
		}
		i = skipWS(d, i+1)
	}
}

func skipWS(d []byte, i int) int {
	for i < len(d) && (d[i] == ' ' || d[i] == '\t' || d[i] == '\n' || d[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the offset just after the string at d[i].
func skipString(d []byte, i int) int {
	for i++; i < len(d); i++ {
		switch d[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(d)
}

// skipValue returns the offset just after the value at d[i].
func skipValue(d []byte, i int) int {
	if i >= len(d) {
		return i
	}
	switch d[i] {
	case '"':
		return skipString(d, i)
	case '{', '[':
		depth := 0
		for ; i < len(d); i++ {
			switch d[i] {
			case '"':
				i = skipString(d, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
		}
		return len(d)
	}
	for i < len(d) && scalarByte[d[i]] {
		i++
	}
	return i
}
