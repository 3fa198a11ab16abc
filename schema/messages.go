package schema

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/annals-project/annals/internal/country"
	"github.com/annals-project/annals/internal/edtf"
	"github.com/annals-project/annals/internal/suggest"
)

// Codes of the violations Validate reports. They are stable: scripts and
// dataset manifests refer to them.
const (
	CodeMissingField      = "missing-field"      // a required field is absent
	CodeUnknownField      = "unknown-field"      // a field the schema does not define
	CodeWrongType         = "wrong-type"         // text where a list is expected, and so on
	CodeNotAllowed        = "not-allowed"        // a value outside an enumeration
	CodeBadFormat         = "bad-format"         // a value that does not match its pattern
	CodeBadDate           = "bad-date"           // not an EDTF date
	CodeIntervalReversed  = "interval-reversed"  // an EDTF interval that ends before it starts
	CodeBadURI            = "bad-uri"            // not an absolute RFC 3986 URI
	CodeBadEmail          = "bad-email"          // not an email address
	CodeEmpty             = "empty"              // blank text or an empty list
	CodeTooLong           = "too-long"           // text or a list over its limit
	CodeDuplicateItem     = "duplicate-item"     // the same entry twice in a list of unique items
	CodeOutOfRange        = "out-of-range"       // a number outside its bounds
	CodeMissingDependency = "missing-dependency" // a field that only makes sense with another one
	CodeSchema            = "schema"             // anything else the schema rejects
)

// Violation is one way a value breaks its schema, explained for the
// researcher who has to fix it.
type Violation struct {
	Pointer string // JSON pointer to the offending value in the record
	Key     bool   // the member's key is at fault (an unknown field), not its value
	Keyword string // the JSON Schema keyword that failed, such as "enum"
	Code    string // one of the Code constants
	Message string // what is wrong and how to fix it, without the field name
}

// Field returns the violation's location as a researcher reads it:
// "attestations[0].reported_date" for "/attestations/0/reported_date".
func (v Violation) Field() string { return FieldPath(v.Pointer) }

// FieldPath turns a JSON pointer into a dotted path with [i] for array
// indices. The empty pointer (the whole record) gives "".
func FieldPath(ptr string) string {
	if ptr == "" {
		return ""
	}
	var b strings.Builder
	for _, tok := range strings.Split(ptr[1:], "/") {
		tok = unescapeToken(tok)
		if _, err := parseIndex(tok); err == nil {
			b.WriteString("[" + tok + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(tok)
	}
	return b.String()
}

// explain turns the validator's error tree into violations: one per leaf,
// with oneOf/anyOf alternatives reduced to the branch that came closest.
func (v *Validator) explain(ve *jsonschema.ValidationError, value any) []Violation {
	var out []Violation
	for _, leaf := range bestLeaves(ve) {
		out = append(out, v.explainLeaf(leaf, value)...)
	}
	return dedupe(out)
}

// bestLeaves flattens the error tree. For oneOf and anyOf it keeps only the
// branch that failed least: the one whose errors lie deepest in the
// instance (it got furthest), then the one with fewest errors. A bare type
// mismatch at the alternative's own location counts as the worst branch,
// since it means the curator did not mean that alternative at all.
func bestLeaves(ve *jsonschema.ValidationError) []*jsonschema.ValidationError {
	if len(ve.Causes) == 0 {
		return []*jsonschema.ValidationError{ve}
	}
	kw := lastToken(ve.KeywordLocation)
	if kw == "oneOf" || kw == "anyOf" {
		var best []*jsonschema.ValidationError
		bestScore := -1 << 30
		for _, branch := range ve.Causes {
			leaves := bestLeaves(branch)
			score := branchScore(ve.InstanceLocation, leaves)
			if score > bestScore {
				best, bestScore = leaves, score
			}
		}
		return best
	}
	var out []*jsonschema.ValidationError
	for _, c := range ve.Causes {
		out = append(out, bestLeaves(c)...)
	}
	return out
}

func branchScore(at string, leaves []*jsonschema.ValidationError) int {
	depth := 0
	for _, l := range leaves {
		k := lastToken(l.KeywordLocation)
		if (k == "type" || k == "const") && l.InstanceLocation == at {
			return -1 << 20
		}
		if d := strings.Count(l.InstanceLocation, "/"); d > depth {
			depth = d
		}
	}
	return depth*1000 - len(leaves)
}

func (v *Validator) explainLeaf(e *jsonschema.ValidationError, value any) []Violation {
	ptr := e.InstanceLocation
	inst := lookupPointer(value, ptr)
	kwLoc := e.AbsoluteKeywordLocation
	kw := lastToken(kwLoc)
	// dependentRequired errors sit at .../dependentRequired/NAME/INDEX.
	if i := strings.LastIndex(kwLoc, "/dependentRequired/"); i >= 0 {
		kw = "dependentRequired"
	}
	node := v.lookup(kwLoc)
	parent, _ := v.lookup(parentLocation(kwLoc)).(map[string]any)
	// Under propertyNames, the instance is the name of the field at ptr,
	// not its value.
	key := strings.Contains(kwLoc, "/propertyNames/")
	if key {
		inst = unescapeToken(lastToken(ptr))
	}
	one := func(code, msg string) []Violation {
		return []Violation{{Pointer: ptr, Key: key, Keyword: kw, Code: code, Message: msg}}
	}
	switch kw {
	case "required":
		obj, _ := inst.(map[string]any)
		var out []Violation
		for _, name := range stringList(node) {
			if _, ok := obj[name]; ok {
				continue
			}
			msg := "is required but missing; add it"
			if hint := v.propertyHint(parentLocation(kwLoc), name); hint != "" {
				msg += " (" + hint + ")"
			}
			out = append(out, Violation{Pointer: ptr + "/" + escapeToken(name), Keyword: kw, Code: CodeMissingField, Message: msg})
		}
		return out
	case "additionalProperties":
		obj, _ := inst.(map[string]any)
		allowed := v.orders[parentLocation(kwLoc)+"/properties"]
		var out []Violation
		for name := range obj {
			if contains(allowed, name) {
				continue
			}
			msg := fmt.Sprintf("is not a field %s; remove it or correct its spelling", v.ofWhat(parent))
			if s := suggest.Nearest(name, allowed); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			} else {
				msg += " (the fields are: " + strings.Join(allowed, ", ") + ")"
			}
			out = append(out, Violation{Pointer: ptr + "/" + escapeToken(name), Key: true, Keyword: kw, Code: CodeUnknownField, Message: msg})
		}
		sort.Slice(out, func(i, j int) bool { return out[i].Pointer < out[j].Pointer })
		return out
	case "type":
		want := describeTypes(node)
		msg := fmt.Sprintf("is %s, but must be %s", DescribeValue(inst), want)
		if ex := objectExample(parent, inst); ex != "" {
			msg += "; " + ex
		}
		if s, ok := inst.(string); ok && want == "a list" {
			items, _ := v.lookup(v.derefLoc(parentLocation(kwLoc) + "/items")).(map[string]any)
			switch ex := objectExample(items, inst); {
			case ex != "":
				// participants: ida-berg, where each item is a group.
				msg += "; its items are groups of fields: " + strings.Replace(ex, "write it as {", "write it as [{", 1)
				msg = strings.Replace(msg, "}", "}]", 1)
			case strings.Contains(s, " - "):
				// "seen_in: a" with "- b" indented below it: YAML reads the
				// item as more of the text.
				msg += `; write each item on a line of its own below the field, starting with "- ", and nothing after the field's colon (a "- " item on the line below a value is read as more of its text)`
			default:
				msg += "; write it as a list of one: [" + strconv.Quote(s) + "] (in YAML, also on a line of its own below, starting with \"- \")"
			}
		}
		if want == "text" {
			switch inst.(type) {
			case json.Number, bool, nil:
				msg += ": put it in quotes"
			}
		}
		return one(CodeWrongType, msg)
	case "const":
		return one(CodeNotAllowed, fmt.Sprintf("is %s, but must be %s", DescribeValue(inst), DescribeValue(node)))
	case "enum":
		allowed := stringList(node)
		if list, ok := node.([]any); ok && len(allowed) < len(list) { // numbers or true and false
			allowed = allowed[:0]
			for _, v := range list {
				allowed = append(allowed, jsonText(v))
			}
		}
		msg := fmt.Sprintf("%s is not allowed here", DescribeValue(inst))
		if key {
			msg = fmt.Sprintf("%s is not allowed as a name here", DescribeValue(inst))
		}
		if hint, _ := parent["x-hint"].(string); hint != "" && len(allowed) > 20 {
			msg += "; " + hint
		} else {
			msg += "; use one of: " + strings.Join(allowed, ", ")
		}
		if s, ok := inst.(string); ok && v.isCountry(kwLoc) {
			var options []string
			for _, c := range country.LookupAll(s) {
				options = append(options, fmt.Sprintf("%s (%s)", c.Code, c.Name))
			}
			if len(options) > 0 {
				return one(CodeNotAllowed, fmt.Sprintf("%s is not allowed here; countries are written as ISO 3166-1 alpha-3 codes in capitals: did you mean %s?", DescribeValue(inst), orList(options)))
			}
		}
		if s, ok := inst.(string); ok {
			// In a long list of codes, a near miss is more often another
			// code ("UA" is not "UGA") than a typo: suggest only a case slip.
			candidates := allowed
			if len(allowed) > 20 {
				candidates = equalFold(s, allowed)
			}
			if sug := suggest.Nearest(s, candidates); sug != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", sug)
			}
		}
		return one(CodeNotAllowed, msg)
	case "pattern", "minLength":
		if s, ok := inst.(string); ok && isBlank(s) {
			return one(CodeEmpty, "is blank; write some text here")
		}
		msg := fmt.Sprintf("%s is not a valid %s", DescribeValue(inst), lowerFirst(title(parent, "value")))
		if hint, _ := parent["x-hint"].(string); hint != "" {
			msg += "; " + hint
		}
		return one(CodeBadFormat, msg)
	case "format":
		s, _ := inst.(string)
		switch node {
		case "edtf":
			var pe *edtf.Error
			if _, err := edtf.Parse(s); errors.As(err, &pe) && pe.Kind == edtf.KindReversed {
				return one(CodeIntervalReversed, fmt.Sprintf("%q: the %s; swap the two dates", s, pe.Reason))
			} else if pe != nil {
				if sug := dateSuggestion(s); sug != "" {
					return one(CodeBadDate, fmt.Sprintf("%q is not a valid date; %s", s, sug))
				}
				return one(CodeBadDate, fmt.Sprintf("%q is not a valid date (%s); write an EDTF date such as 2022-01-10, 2022-01, 2022-01-10? or 2022-01-09/2022-01-13", s, pe.Reason))
			}
			return one(CodeBadDate, fmt.Sprintf("%q is not a valid EDTF date", s))
		case "uri":
			reason := "it is not an absolute URI"
			if err := checkURI(s); err != nil {
				reason = err.Error()
			}
			return one(CodeBadURI, fmt.Sprintf("%q is not a valid URI: %s", s, reason))
		case "email":
			return one(CodeBadEmail, fmt.Sprintf("%q is not a valid email address", s))
		}
		return one(CodeBadFormat, fmt.Sprintf("%q is not a valid %v", s, node))
	case "maxLength":
		return one(CodeTooLong, fmt.Sprintf("is %d characters long; the limit is %v", len([]rune(fmt.Sprint(inst))), node))
	case "minItems":
		if a, ok := inst.([]any); ok && len(a) == 0 {
			n := fmt.Sprint(node)
			if n == "1" {
				n = "one"
			}
			return one(CodeEmpty, fmt.Sprintf("is an empty list; add at least %s %s", n, strings.ToLower(singular(title(parent, "entry")))))
		}
		return one(CodeEmpty, fmt.Sprintf("has too few entries; add at least %v", node))
	case "maxItems":
		return one(CodeTooLong, fmt.Sprintf("has too many entries; the limit is %v", node))
	case "uniqueItems":
		a, _ := inst.([]any)
		i, j := firstDuplicate(a)
		return []Violation{{Pointer: fmt.Sprintf("%s/%d", ptr, j), Keyword: kw, Code: CodeDuplicateItem,
			Message: fmt.Sprintf("repeats %s, which is already entry [%d] of the list; remove one of them", DescribeValue(a[j]), i)}}
	case "minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum":
		bound := map[string]string{"minimum": "at least", "exclusiveMinimum": "more than", "maximum": "at most", "exclusiveMaximum": "less than"}[kw]
		return one(CodeOutOfRange, fmt.Sprintf("is %v, but must be %s %v", inst, bound, node))
	case "dependentRequired":
		needed, _ := node.(string)
		given := lastToken(parentLocation(kwLoc))
		return []Violation{{Pointer: ptr + "/" + escapeToken(given), Key: true, Keyword: kw, Code: CodeMissingDependency,
			Message: fmt.Sprintf("is given without %q; add %s, or remove %s", needed, needed, given)}}
	}
	return one(CodeSchema, e.Message)
}

// propertyHint says what to write in property name of the schema object at
// loc: its allowed values when it has a short list of them, otherwise the
// first sentence of its description.
func (v *Validator) propertyHint(loc, name string) string {
	ploc := loc + "/properties/" + escapeToken(name)
	prop, _ := v.lookup(ploc).(map[string]any)
	if values := v.enumOf(ploc); len(values) > 0 && len(values) <= 20 {
		return "one of " + strings.Join(values, ", ")
	}
	d, _ := prop["description"].(string)
	if i := strings.Index(d, ". "); i >= 0 {
		d = d[:i]
	}
	return strings.TrimSuffix(d, ".")
}

// enumOf returns the enum of the schema node at loc, following $ref.
func (v *Validator) enumOf(loc string) []string {
	for range 8 {
		node, _ := v.lookup(loc).(map[string]any)
		if e, ok := node["enum"]; ok {
			return stringList(e)
		}
		ref, ok := node["$ref"].(string)
		if !ok {
			return nil
		}
		url, ptr := v.resolveRef(strings.SplitN(loc, "#", 2)[0], ref)
		loc = url + "#" + ptr
	}
	return nil
}

// ofWhat names the object a schema describes, for "is not a field of an
// event".
func (v *Validator) ofWhat(schema map[string]any) string {
	t := title(schema, "")
	if t == "" {
		return "here"
	}
	t = strings.ToLower(t)
	if strings.IndexByte("aeiou", t[0]) >= 0 {
		return "of an " + t
	}
	return "of a " + t
}

func title(schema map[string]any, fallback string) string {
	if t, ok := schema["title"].(string); ok && t != "" {
		return t
	}
	return fallback
}

// lowerFirst lower-cases a title's first word for use inside a sentence,
// unless it is a name (Wikidata) or an abbreviation (URI, ORCID).
func lowerFirst(t string) string {
	word, _, _ := strings.Cut(t, " ")
	if word == "Wikidata" || (len(word) > 1 && strings.ToUpper(word) == word) {
		return t
	}
	return strings.ToLower(t[:1]) + t[1:]
}

func equalFold(s string, list []string) []string {
	var out []string
	for _, x := range list {
		if strings.EqualFold(s, x) {
			out = append(out, x)
		}
	}
	return out
}

func singular(s string) string {
	if strings.HasSuffix(s, "s") {
		return s[:len(s)-1]
	}
	return s
}

func describeTypes(node any) string {
	var names []string
	switch t := node.(type) {
	case string:
		names = []string{typeName(t)}
	case []any:
		for _, x := range t {
			s, _ := x.(string)
			names = append(names, typeName(s))
		}
	}
	return strings.Join(names, " or ")
}

func typeName(t string) string {
	switch t {
	case "string":
		return "text"
	case "number":
		return "a number"
	case "integer":
		return "a whole number"
	case "boolean":
		return "true or false"
	case "array":
		return "a list"
	case "object":
		return "a group of fields"
	case "null":
		return "empty (null)"
	}
	return t
}

// DescribeValue names a value for a message: quoted text, or its kind.
func DescribeValue(v any) string {
	switch x := v.(type) {
	case string:
		r := []rune(x)
		if len(r) > 60 {
			return strconv.Quote(string(r[:57]) + "...")
		}
		return strconv.Quote(x)
	case json.Number:
		return "the number " + x.String()
	case bool:
		return fmt.Sprintf("%t (true or false)", x)
	case nil:
		return "empty (null)"
	case []any:
		return "a list"
	case map[string]any:
		return "a group of fields"
	}
	return fmt.Sprint(v)
}

func firstDuplicate(a []any) (int, int) {
	seen := map[string]int{}
	for j, x := range a {
		k, _ := json.Marshal(x)
		if i, ok := seen[string(k)]; ok {
			return i, j
		}
		seen[string(k)] = j
	}
	return 0, 0
}

// dedupe drops violations that repeat another's place and message: blank
// text fails both minLength and pattern, and the researcher needs to hear
// it once.
func dedupe(vs []Violation) []Violation {
	type key struct{ ptr, code, msg string }
	seen := map[key]bool{}
	out := vs[:0]
	for _, v := range vs {
		k := key{v.Pointer, v.Code, v.Message}
		if !seen[k] {
			seen[k] = true
			out = append(out, v)
		}
	}
	return out
}

func stringList(node any) []string {
	a, _ := node.([]any)
	out := make([]string, 0, len(a))
	for _, x := range a {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func lastToken(loc string) string {
	return unescapeToken(loc[strings.LastIndexByte(loc, '/')+1:])
}

func parentLocation(loc string) string {
	if i := strings.LastIndexByte(loc, '/'); i >= 0 {
		return loc[:i]
	}
	return loc
}

func escapeToken(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

func unescapeToken(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
}

func parseIndex(tok string) (int, error) {
	if tok == "" || (len(tok) > 1 && tok[0] == '0') {
		return 0, strconv.ErrSyntax
	}
	for i := 0; i < len(tok); i++ {
		if tok[i] < '0' || tok[i] > '9' {
			return 0, strconv.ErrSyntax
		}
	}
	return strconv.Atoi(tok)
}

// jsonText is a value as JSON writes it: an enumeration's value in a message.
func jsonText(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// dateSuggestion says which EDTF date an everyday spelling such as
// "27/12/2021" or "Dec 27 2021" means, or both where day and month could
// be either; "" when s is no such spelling.
func dateSuggestion(s string) string {
	sug := edtf.Suggest(s)
	switch len(sug) {
	case 0:
		return ""
	case 1:
		return fmt.Sprintf("did you mean %s? Dates are written year-month-day", sug[0])
	}
	return fmt.Sprintf("did you mean %s (%s) or %s (%s)? Day and month could be either way round; dates are written year-month-day",
		sug[0], dayMonth(sug[0]), sug[1], dayMonth(sug[1]))
}

// dayMonth writes the day and month of an EDTF day such as 2021-12-05 as
// "5 December".
func dayMonth(d string) string {
	t, err := time.Parse("2006-01-02", d)
	if err != nil {
		return d
	}
	return t.Format("2 January")
}

// isCountry reports whether the enum at kwLoc is the list of country codes.
func (v *Validator) isCountry(kwLoc string) bool {
	return strings.HasSuffix(parentLocation(kwLoc), "defs.schema.json#/$defs/country")
}

// objectExample shows how to write a group of fields that was given as
// text, from the first of the schema's examples. The text becomes the value
// of the first required field where the example has text there, so
// "location: Brussels" gets "write it as {name: Brussels}, adding country,
// coordinates or precision as needed". It is "" when inst is a group of
// fields or a list, or the schema is not a group of fields or has no
// example.
func objectExample(schema map[string]any, inst any) string {
	if t, _ := schema["type"].(string); t != "object" {
		return ""
	}
	switch inst.(type) {
	case map[string]any, []any:
		return ""
	}
	examples, _ := schema["examples"].([]any)
	if len(examples) == 0 {
		return ""
	}
	example, _ := examples[0].(map[string]any)
	required := stringList(schema["required"])
	var fields []string // the example's fields: required ones first, in order
	fields = append(fields, required...)
	var optional []string
	for name := range example {
		if !contains(required, name) {
			optional = append(optional, name)
		}
	}
	sort.Strings(optional)
	text, isText := inst.(string)
	_, textFirst := example[firstOf(required)].(string)
	substitute := isText && strings.TrimSpace(text) != "" && textFirst
	if !substitute {
		fields = append(fields, optional...)
	}
	var parts []string
	for i, name := range fields {
		value := example[name]
		if i == 0 && substitute {
			value = text
		}
		if value != nil {
			parts = append(parts, name+": "+flowValue(value))
		}
	}
	msg := "write it as {" + strings.Join(parts, ", ") + "}"
	if substitute && len(required) > 1 {
		var notes []string
		for _, name := range required[1:] {
			if v, ok := example[name]; ok {
				notes = append(notes, fmt.Sprintf("%s is the schema's example %s", flowValue(v), name))
			}
		}
		if len(notes) > 0 {
			msg += " (" + strings.Join(notes, "; ") + ": write the one that fits)"
		}
	}
	if substitute {
		var others []string
		props, _ := schema["properties"].(map[string]any)
		for name := range props {
			if !contains(required, name) {
				others = append(others, name)
			}
		}
		sort.Strings(others)
		switch {
		case len(others) > 4:
			msg += ", adding the other fields as needed"
		case len(others) > 0:
			msg += ", adding " + orList(others) + " as needed"
		}
	}
	return msg + ", or with each field on a line of its own, indented below"
}

func firstOf(list []string) string {
	if len(list) == 0 {
		return ""
	}
	return list[0]
}

// flowValue writes a value of an example as YAML inside {…}: plain where
// that reads back as the same text, quoted otherwise.
func flowValue(v any) string {
	s, ok := v.(string)
	if !ok {
		b, _ := json.Marshal(v)
		return string(b)
	}
	plain := s != "" && !strings.ContainsAny(s, ":#{}[],&*!|>'\"%@`") && s == strings.TrimSpace(s)
	if plain {
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			plain = false
		}
		switch strings.ToLower(s) {
		case "true", "false", "yes", "no", "on", "off", "null", "~", "-":
			plain = false
		}
	}
	if plain {
		return s
	}
	return strconv.Quote(s)
}

// orList joins words as "a, b or c".
func orList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}

// derefLoc follows the $ref of the schema node at loc, if it has one, to
// the node that holds its keywords.
func (v *Validator) derefLoc(loc string) string {
	for range 8 {
		node, _ := v.lookup(loc).(map[string]any)
		ref, ok := node["$ref"].(string)
		if !ok {
			return loc
		}
		url, ptr := v.resolveRef(strings.SplitN(loc, "#", 2)[0], ref)
		loc = url + "#" + ptr
	}
	return loc
}
