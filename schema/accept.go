package schema

import (
	"encoding/json"
	"fmt"
	"maps"
	"math/big"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/annals-project/annals/internal/jsonvalue"
)

// The accept path: most records are valid, and a valid record needs no
// messages, only a yes. An acceptor is a schema compiled into a plain walk
// over the value that answers exactly that, with no allocation, and an
// order of magnitude faster than the general validator. Validate asks it
// first and runs jsonschema only for the records it does not accept, to
// explain what is wrong with them.
//
// It understands the keywords our schemas use and nothing else: a schema
// with any other keyword gets no acceptor, and every record of that type
// goes through jsonschema. Where it is unsure (a Go type that is not a
// JSON value), it says no. So it can only be slower than it should be,
// never more lenient than jsonschema; TestAcceptorAgrees and
// FuzzAcceptorAgrees hold the two to the same verdicts.

// acceptor is the compiled form of one schema object.
type acceptor struct {
	types     typeSet // 0: any type
	ref       *acceptor
	hasConst  bool
	constant  any
	enum      []any
	enumStr   map[string]bool // enum, when every member is a string
	format    func(any) bool
	pattern   func(string) bool
	minLength int // -1: none
	maxLength int
	minimum   *big.Rat
	maximum   *big.Rat
	bounds    intBounds // minimum and maximum as whole numbers, when they are

	// The properties, by name: a member's acceptor is found by a perfect
	// hash of its length and three of its bytes (slots holds index + 1),
	// cheaper than the map, propIndex, used when no such hash is found.
	// requiredMask has bit i set when names[i] is required; requiredOther
	// is the required names that are not among the first 64 properties.
	names         []string
	accs          []*acceptor
	slots         []uint8
	mult          uint32
	shift         uint
	propIndex     map[string]int
	requiredMask  uint64
	requiredOther []string

	required          []string
	closed            bool      // additionalProperties: false
	additional        *acceptor // additionalProperties: a schema
	propertyNames     *acceptor
	dependentRequired map[string][]string

	items       *acceptor
	minItems    int // -1: none
	maxItems    int
	uniqueItems bool
}

type typeSet uint8

const (
	typeNull typeSet = 1 << iota
	typeBoolean
	typeNumber
	typeInteger
	typeString
	typeArray
	typeObject
)

var typeNames = map[string]typeSet{
	"null": typeNull, "boolean": typeBoolean, "number": typeNumber, "integer": typeInteger,
	"string": typeString, "array": typeArray, "object": typeObject,
}

// annotations are keywords that do not constrain a value.
var annotations = map[string]bool{
	"$schema": true, "$id": true, "$defs": true, "$comment": true, "title": true, "description": true,
	"examples": true, "default": true, "deprecated": true, "readOnly": true, "writeOnly": true,
}

// acceptorCompiler builds acceptors from the raw schema documents.
type acceptorCompiler struct {
	v       *Validator
	formats map[string]func(any) bool
	done    map[string]*acceptor // by URL#pointer, so $refs share (and may recurse)
}

// compileAcceptor returns the acceptor of typ's schema, or an error naming
// what it does not understand.
func (v *Validator) compileAcceptor(typ string, formats map[string]func(any) bool) (*acceptor, error) {
	c := &acceptorCompiler{v: v, formats: formats, done: map[string]*acceptor{}}
	return c.compile(BaseURI+typ+".schema.json", "")
}

func (c *acceptorCompiler) compile(url, ptr string) (*acceptor, error) {
	key := url + "#" + ptr
	if a, ok := c.done[key]; ok {
		return a, nil
	}
	m, ok := lookupPointer(c.v.docs[url], ptr).(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: not a schema object", key)
	}
	a := &acceptor{minLength: -1, maxLength: -1, minItems: -1, maxItems: -1}
	c.done[key] = a
	for k, x := range m {
		if annotations[k] || strings.HasPrefix(k, "x-") {
			continue
		}
		var err error
		switch k {
		case "$ref":
			ref, _ := x.(string)
			rurl, rptr := c.v.resolveRef(url, ref)
			a.ref, err = c.compile(rurl, rptr)
		case "type":
			a.types, err = compileTypes(x)
		case "const":
			a.hasConst, a.constant = true, x
		case "enum":
			a.enum, ok = x.([]any)
			if !ok {
				return nil, fmt.Errorf("%s: enum is not a list", key)
			}
			a.enumStr = stringSet(a.enum)
		case "format":
			name, _ := x.(string)
			if a.format = c.formats[name]; a.format == nil {
				err = fmt.Errorf("format %q", name)
			}
		case "pattern":
			s, _ := x.(string)
			a.pattern, err = compilePattern(s)
		case "minLength":
			a.minLength, err = count(x)
		case "maxLength":
			a.maxLength, err = count(x)
		case "minItems":
			a.minItems, err = count(x)
		case "maxItems":
			a.maxItems, err = count(x)
		case "minimum":
			a.minimum, err = rat(x)
		case "maximum":
			a.maximum, err = rat(x)
		case "uniqueItems":
			a.uniqueItems, _ = x.(bool)
		case "required":
			for _, r := range asList(x) {
				s, _ := r.(string)
				a.required = append(a.required, s)
			}
		case "additionalProperties":
			switch b, isBool := x.(bool); {
			case !isBool:
				a.additional, err = c.compile(url, ptr+"/additionalProperties")
			case !b:
				a.closed = true
			}
		case "properties":
			props, _ := x.(map[string]any)
			a.names = slices.Sorted(maps.Keys(props))
			a.accs = make([]*acceptor, len(a.names))
			for i, name := range a.names {
				a.accs[i], err = c.compile(url, ptr+"/properties/"+escapeToken(name))
				if err != nil {
					break
				}
			}
		case "propertyNames":
			a.propertyNames, err = c.compile(url, ptr+"/propertyNames")
		case "items":
			a.items, err = c.compile(url, ptr+"/items")
		case "dependentRequired":
			deps, _ := x.(map[string]any)
			a.dependentRequired = map[string][]string{}
			for name, list := range deps {
				for _, r := range asList(list) {
					s, _ := r.(string)
					a.dependentRequired[name] = append(a.dependentRequired[name], s)
				}
			}
		default:
			err = fmt.Errorf("keyword %q", k)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", key, err)
		}
	}
	a.indexProperties()
	a.bounds = newIntBounds(a.minimum, a.maximum)
	return a, nil
}

// indexProperties sets the perfect hash of the property names (or
// propIndex, when none is found), requiredMask and requiredOther once names
// and required are known.
func (a *acceptor) indexProperties() {
	if !a.hashProperties() {
		a.propIndex = make(map[string]int, len(a.names))
		for i, n := range a.names {
			a.propIndex[n] = i
		}
	}
	for _, r := range a.required {
		if i := a.property(r); i >= 0 && i < 64 {
			a.requiredMask |= 1 << i
		} else {
			a.requiredOther = append(a.requiredOther, r)
		}
	}
}

// hashProperties looks for a multiplier under which propHash sends every
// property name to a slot of its own in a table of up to eight times as
// many slots, and sets mult, shift and slots.
func (a *acceptor) hashProperties() bool {
	if len(a.names) > 255 {
		return false
	}
	bits := 1
	for 1<<bits < 2*len(a.names) {
		bits++
	}
	for ; bits <= 12; bits++ {
		slots := make([]uint8, 1<<bits)
	next:
		for mult := uint32(0x9E3779B1); mult < 0x9E3779B1+2*4096; mult += 2 {
			clear(slots)
			for i, n := range a.names {
				h := propHash(n, mult, uint(32-bits))
				if slots[h] != 0 {
					continue next
				}
				slots[h] = uint8(i + 1)
			}
			a.mult, a.shift, a.slots = mult, uint(32-bits), slots
			return true
		}
	}
	return false
}

// propHash hashes a property name by its length and three of its bytes:
// enough to tell a schema's property names apart, and cheap.
func propHash(name string, mult uint32, shift uint) uint32 {
	x := uint32(len(name))
	if n := len(name); n > 0 {
		x |= uint32(name[0])<<8 | uint32(name[n/2])<<16 | uint32(name[n-1])<<24
	}
	return (x * mult) >> shift
}

// property returns the index in names of the property name, or -1.
func (a *acceptor) property(name string) int {
	if a.slots != nil {
		if s := a.slots[propHash(name, a.mult, a.shift)]; s != 0 && a.names[s-1] == name {
			return int(s - 1)
		}
		return -1
	}
	if i, ok := a.propIndex[name]; ok {
		return i
	}
	return -1
}

func compileTypes(x any) (typeSet, error) {
	var set typeSet
	names := asList(x)
	if s, ok := x.(string); ok {
		names = []any{s}
	}
	for _, n := range names {
		s, _ := n.(string)
		t, ok := typeNames[s]
		if !ok {
			return 0, fmt.Errorf("type %q", s)
		}
		set |= t
	}
	return set, nil
}

func asList(x any) []any { l, _ := x.([]any); return l }

func stringSet(enum []any) map[string]bool {
	set := make(map[string]bool, len(enum))
	for _, e := range enum {
		s, ok := e.(string)
		if !ok {
			return nil
		}
		set[s] = true
	}
	return set
}

func count(x any) (int, error) {
	n, ok := x.(json.Number)
	if !ok {
		return 0, fmt.Errorf("%v is not a count", x)
	}
	i, err := n.Int64()
	if err != nil || i < 0 {
		return 0, fmt.Errorf("%v is not a count", x)
	}
	return int(i), nil
}

func rat(x any) (*big.Rat, error) {
	n, ok := x.(json.Number)
	if !ok {
		return nil, fmt.Errorf("%v is not a number", x)
	}
	r, ok := new(big.Rat).SetString(string(n))
	if !ok {
		return nil, fmt.Errorf("%v is not a number", x)
	}
	return r, nil
}

// slugPattern is the pattern of ids and references, matched by hand: it is
// on every record, several times.
const slugPattern = "^[a-z0-9]+(-[a-z0-9]+)*$"

// compilePattern returns a matcher that agrees with Go's regexp (which
// jsonschema uses) on pattern: hand-written for the patterns every record
// has, regexp for the others.
func compilePattern(pattern string) (func(string) bool, error) {
	switch pattern {
	case slugPattern:
		return isSlug, nil
	case textPattern:
		return func(s string) bool { return !isBlank(s) }, nil
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, err
	}
	return re.MatchString, nil
}

func isSlug(s string) bool {
	if s == "" || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch b := s[i]; {
		case b >= 'a' && b <= 'z', b >= '0' && b <= '9':
		case b == '-' && s[i-1] != '-':
		default:
			return false
		}
	}
	return true
}

// textPattern is the pattern of text that is not blank: a character that
// is not a space in ECMAScript's sense (JSON Schema's regular expressions
// are ECMAScript's; Go's \s and \S know only ASCII), written as the
// characters themselves, which both dialects read alike.
const textPattern = "[^\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]"

// isBlank reports whether s holds nothing but spaces and line breaks of
// any kind: no character matches textPattern. Invalid UTF-8 is not blank
// (Go's regexp reads it as U+FFFD).
func isBlank(s string) bool {
	for _, r := range s {
		if !isECMASpace(r) {
			return false
		}
	}
	return true
}

// isECMASpace reports whether r is in ECMAScript's \s: the characters
// textPattern excludes.
func isECMASpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', ' ', 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF:
		return true
	}
	return r >= 0x2000 && r <= 0x200A
}

// accepts reports whether v is valid against the acceptor's schema.
func (a *acceptor) accepts(v any) bool {
	if a.types != 0 && !a.hasType(v) {
		return false
	}
	if a.ref != nil && !a.ref.accepts(v) {
		return false
	}
	if a.hasConst && !jsonvalue.Equal(v, a.constant) {
		return false
	}
	if a.enum != nil && !a.inEnum(v) {
		return false
	}
	if a.format != nil && !a.format(v) {
		return false
	}
	switch v := v.(type) {
	case string:
		return a.acceptsString(v)
	case json.Number:
		return a.acceptsNumber(v)
	case map[string]any:
		return a.acceptsObject(v)
	case []any:
		return a.acceptsArray(v)
	case nil, bool:
		return true
	}
	return false // not a JSON value: let jsonschema say so
}

func (a *acceptor) hasType(v any) bool {
	switch v := v.(type) {
	case nil:
		return a.types&typeNull != 0
	case bool:
		return a.types&typeBoolean != 0
	case string:
		return a.types&typeString != 0
	case []any:
		return a.types&typeArray != 0
	case map[string]any:
		return a.types&typeObject != 0
	case json.Number:
		if a.types&typeNumber != 0 {
			return true
		}
		if a.types&typeInteger != 0 {
			if _, ok := smallInt(v); ok {
				return true
			}
			r, ok := new(big.Rat).SetString(string(v))
			return ok && r.IsInt()
		}
	}
	return false
}

func (a *acceptor) inEnum(v any) bool {
	if a.enumStr != nil {
		s, ok := v.(string)
		return ok && a.enumStr[s]
	}
	for _, e := range a.enum {
		if jsonvalue.Equal(v, e) {
			return true
		}
	}
	return false
}

func (a *acceptor) acceptsString(s string) bool {
	// A string of n bytes has between n/4 and n characters: most
	// strings are far enough inside the bounds that they need no counting.
	if n := len(s); a.minLength > 0 && (n+3)/4 < a.minLength || a.maxLength >= 0 && n > a.maxLength {
		if !isASCII(s) {
			n = utf8.RuneCountInString(s)
		}
		if a.minLength >= 0 && n < a.minLength || a.maxLength >= 0 && n > a.maxLength {
			return false
		}
	}
	return a.pattern == nil || a.pattern(s)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func (a *acceptor) acceptsNumber(n json.Number) bool {
	if a.minimum == nil && a.maximum == nil {
		return true
	}
	if a.bounds.exact {
		if i, ok := smallInt(n); ok {
			return a.bounds.holds(i)
		}
	}
	r, ok := new(big.Rat).SetString(string(n))
	if !ok {
		return false
	}
	return (a.minimum == nil || r.Cmp(a.minimum) >= 0) && (a.maximum == nil || r.Cmp(a.maximum) <= 0)
}

func (a *acceptor) acceptsObject(m map[string]any) bool {
	var seen uint64 // bit i: names[i] is a member
	for name, x := range m {
		if a.propertyNames != nil && !a.propertyNames.accepts(name) {
			return false
		}
		i := a.property(name)
		switch {
		case i >= 0:
			if i < 64 {
				seen |= 1 << i
			}
			if !a.accs[i].accepts(x) {
				return false
			}
		case a.closed:
			return false
		case a.additional != nil:
			if !a.additional.accepts(x) {
				return false
			}
		}
	}
	if seen&a.requiredMask != a.requiredMask {
		return false
	}
	for _, name := range a.requiredOther {
		if _, ok := m[name]; !ok {
			return false
		}
	}
	for name, deps := range a.dependentRequired {
		if _, ok := m[name]; !ok {
			continue
		}
		for _, d := range deps {
			if _, ok := m[d]; !ok {
				return false
			}
		}
	}
	return true
}

func (a *acceptor) acceptsArray(l []any) bool {
	if a.minItems >= 0 && len(l) < a.minItems || a.maxItems >= 0 && len(l) > a.maxItems {
		return false
	}
	if a.items != nil {
		for _, x := range l {
			if !a.items.accepts(x) {
				return false
			}
		}
	}
	if a.uniqueItems {
		for i := 1; i < len(l); i++ {
			for j := 0; j < i; j++ {
				if jsonvalue.Equal(l[i], l[j]) {
					return false
				}
			}
		}
	}
	return true
}

// standardFormats are the formats jsonschema itself asserts, for the
// acceptor to use the same functions.
var standardFormats = jsonschema.Formats
