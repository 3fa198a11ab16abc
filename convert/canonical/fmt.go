package canonical

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/annals-project/annals/convert/json"
	"github.com/annals-project/annals/convert/record"
	annalsyaml "github.com/annals-project/annals/convert/yaml"
	"github.com/annals-project/annals/internal/jsonvalue"
	"github.com/annals-project/annals/schema"
)

// Options says how [Format] orders the keys of a file.
type Options struct {
	// Validator gives the schema order of each record type's properties.
	// Without one, every key is sorted.
	Validator *schema.Validator
	// Manifest marks the dataset manifest (annals.yaml), which is ordered
	// by the manifest schema instead of by each record's type.
	Manifest bool
}

// fields returns the schema fields that order value, a record (or the
// manifest) in the JSON data model.
func (o Options) fields(value any) []schema.Field {
	m, _ := value.(map[string]any)
	typ, _ := m["type"].(string)
	return o.fieldsOf(typ)
}

func (o Options) fieldsOf(typ string) []schema.Field {
	switch {
	case o.Validator == nil:
		return nil
	case o.Manifest:
		return o.Validator.Fields(schema.Manifest)
	}
	return o.Validator.Fields(typ)
}

// Format returns the content of r, a file in format f, in canonical
// form: the keys of every object in schema order at every depth (keys the
// schema does not know after them, sorted), two-space indentation, one
// final newline, and every number in its canonical spelling (1.50 is
// 1.5, 1E2 is 100, 0x1F in YAML is 31; see [jsonvalue.CanonicalNumber]). It only
// reorders, re-indents and respells numbers: values, unknown keys
// included, are kept exactly, and input that is already canonical comes
// back byte for byte, so that formatting twice changes nothing.
//
//   - JSON: an array of records stays an array, one record stays one
//     object.
//   - JSON Lines: one compact record per line.
//   - YAML: the document structure stays (a sequence stays a sequence,
//     documents stay documents), as do comments (with the key they are
//     written above or beside), anchors and the styles of scalars and of
//     flow collections, except where yaml.v3 cannot write a style back
//     unchanged; folded text (>) keeps the line breaks of the input. Blank
//     lines between values are not kept. A file without any document is
//     left as it is.
//
// Before returning, Format reads its output back with the same reader and
// checks that it holds the same records; for YAML it also checks that no
// comment is lost ([*LostCommentError]). If not, it returns an error naming
// the file rather than output that would change the data: that is a bug,
// or (for comments) a limit of the YAML library.
//
// Input that cannot be read is not formatted: the error then wraps every
// [*record.SyntaxError] found, each on its own line ([errors.As] finds the first).
func Format(r io.Reader, file string, f record.Format, opts Options) ([]byte, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	want, err := readValues(data, file, f)
	if err != nil {
		return nil, err
	}
	var out []byte
	switch f {
	case record.FormatJSON:
		out, err = canonicalJSON(data, want, opts)
	case record.FormatJSONL:
		out, err = canonicalJSONL(want, opts)
	case record.FormatYAML:
		return canonicalYAML(data, file, want, opts)
	default:
		return nil, fmt.Errorf("%s: unsupported input format %v", file, f)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: cannot write the canonical form: %w", file, err)
	}
	if err := checkSameValues(out, file, f, want); err != nil {
		return nil, err
	}
	return out, nil
}

// readers are the readers of the formats that fmt formats.
var readers = map[record.Format]func(io.Reader, string) record.Reader{
	record.FormatJSON: json.NewReader, record.FormatJSONL: json.NewLinesReader, record.FormatYAML: annalsyaml.NewReader,
}

// readValues reads every record of data. Syntax errors are collected, so
// that the caller can report them all.
func readValues(data []byte, file string, f record.Format) ([]any, error) {
	newReader, ok := readers[f]
	if !ok {
		return nil, fmt.Errorf("%s: unsupported input format %v", file, f)
	}
	rd := newReader(bytes.NewReader(data), file)
	var values []any
	var errs []error
	for {
		rec, err := rd.Read()
		if err == io.EOF {
			break
		}
		var se *record.SyntaxError
		switch {
		case errors.As(err, &se):
			errs = append(errs, err)
		case err != nil:
			return nil, err
		default:
			values = append(values, rec.Value)
		}
	}
	return values, errors.Join(errs...)
}

// checkSameValues reads out back and compares its records with want.
func checkSameValues(out []byte, file string, f record.Format, want []any) error {
	const bug = "this is a bug in annals fmt; the file is left as it is"
	got, err := readValues(out, file, f)
	if err != nil {
		return fmt.Errorf("%s: the canonical form does not read back (%v); %s", file, err, bug)
	}
	if len(got) != len(want) {
		return fmt.Errorf("%s: the canonical form holds %d records instead of %d; %s", file, len(got), len(want), bug)
	}
	for i := range want {
		if !jsonvalue.Equal(got[i], want[i]) {
			return fmt.Errorf("%s: record #%d would change in the canonical form; %s", file, i+1, bug)
		}
	}
	return nil
}

// canonicalJSON writes the records as one indented object or an array of
// them, as the input had them.
func canonicalJSON(data []byte, values []any, opts Options) ([]byte, error) {
	var b bytes.Buffer
	if !isJSONArray(data) && len(values) == 1 {
		if err := appendJSON(&b, values[0], opts.fields(values[0]), nil, "  ", 0); err != nil {
			return nil, err
		}
		b.WriteByte('\n')
		return b.Bytes(), nil
	}
	if len(values) == 0 {
		return []byte("[]\n"), nil
	}
	b.WriteByte('[')
	for i, v := range values {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("\n  ")
		if err := appendJSON(&b, v, opts.fields(v), nil, "  ", 1); err != nil {
			return nil, err
		}
	}
	b.WriteString("\n]\n")
	return b.Bytes(), nil
}

// isJSONArray tells whether the top-level value of a JSON file is an array.
func isJSONArray(data []byte) bool {
	data = bytes.TrimPrefix(data, record.UTF8BOM)
	data = bytes.TrimLeft(data, " \t\r\n")
	return len(data) > 0 && data[0] == '['
}

// canonicalJSONL writes one compact record per line.
func canonicalJSONL(values []any, opts Options) ([]byte, error) {
	var b bytes.Buffer
	for _, v := range values {
		if err := appendJSON(&b, v, opts.fields(v), nil, "", 0); err != nil {
			return nil, err
		}
		b.WriteByte('\n')
	}
	return b.Bytes(), nil
}

// canonicalYAML formats a YAML file until formatting changes nothing more:
// yaml.v3 places some comments (after the last value of a document, for
// one) a line further on each round, and the canonical form must be a
// fixed point.
func canonicalYAML(data []byte, file string, want []any, opts Options) ([]byte, error) {
	out := data
	for range 4 {
		next, err := formatYAML(out, file, want, opts)
		if err != nil || bytes.Equal(next, out) {
			return next, err
		}
		out = next
	}
	return out, nil
}

// formatYAML reorders the yaml.Node tree of every document and encodes it
// again, so that comments and styles survive.
func formatYAML(data []byte, file string, want []any, opts Options) ([]byte, error) {
	docs, err := decodeYAMLDocuments(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if len(docs) == 0 {
		// Nothing but comments or blank lines: yaml.v3 does not keep
		// comments without a document, so there is nothing to do safely.
		return data, nil
	}
	out, err := writeYAMLDocuments(docs, data, file, want, opts)
	if err != nil {
		return nil, err
	}
	if err := checkComments(file, data, out); err != nil {
		return nil, err
	}
	return out, nil
}

// writeYAMLDocuments writes docs, parsed from src (or, for NewYAMLUpdater,
// partly), in canonical form, and checks that the output holds want.
func writeYAMLDocuments(docs []*yaml.Node, src []byte, file string, want []any, opts Options) ([]byte, error) {
	var folded []foldedText
	srcLines := splitLines(src)
	blanks := blankLines(docs, srcLines)
	for _, doc := range docs {
		orderYAMLDocument(doc, opts)
		fixAnchors(doc)
		fixStyles(doc, false)
		folded = appendFolded(folded, doc, srcLines)
	}
	out, err := encodeYAML(docs)
	if err != nil {
		return nil, fmt.Errorf("%s: cannot write the canonical form: %w", file, err)
	}
	if err := checkSameValues(out, file, record.FormatYAML, want); err != nil {
		return nil, err
	}
	outDocs, err := decodeYAMLDocuments(out)
	if err != nil {
		return nil, fmt.Errorf("%s: the canonical form does not read back (%v); this is a bug in annals fmt", file, err)
	}
	// The cosmetic passes work on text, which the encoder did not check:
	// each is kept only when the result still holds the same records.
	for _, pass := range []func([]byte) []byte{
		func(b []byte) []byte { return refold(b, outDocs, folded) },
		unescapeAstral,
		func(b []byte) []byte { return keepBlankLines(b, blanks) },
	} {
		if polished := pass(out); !bytes.Equal(polished, out) && checkSameValues(polished, file, record.FormatYAML, want) == nil {
			out = polished
		}
	}
	return out, nil
}

// decodeYAMLDocuments parses every document of data; empty documents and
// the comments-only stream give none.
func decodeYAMLDocuments(data []byte) ([]*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var docs []*yaml.Node
	for {
		doc := &yaml.Node{}
		err := annalsyaml.DecodeNode(dec, doc)
		if err == io.EOF {
			return docs, nil
		}
		if err != nil {
			return nil, err
		}
		docs = append(docs, doc)
	}
}

// encodeYAML writes the documents with two-space indentation. Like
// decodeNode, it turns a panic of yaml.v3 into an error.
func encodeYAML(docs []*yaml.Node) (out []byte, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("yaml: the YAML encoder failed (%v)", p)
		}
	}()
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	for _, doc := range docs {
		if err := enc.Encode(doc); err != nil {
			return nil, err
		}
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// orderYAMLDocument orders the records of one document: the items of a
// top-level sequence, or the document's one record.
func orderYAMLDocument(doc *yaml.Node, opts Options) {
	for _, root := range doc.Content {
		records := []*yaml.Node{root}
		if root.Kind == yaml.SequenceNode && root.ShortTag() == "!!seq" {
			records = root.Content
		}
		for _, rec := range records {
			orderYAML(rec, opts.fieldsOf(yamlRecordType(rec)), nil)
		}
	}
}

// yamlRecordType returns the text of the "type" of a record, or "".
func yamlRecordType(n *yaml.Node) string {
	n = annalsyaml.Deref(n)
	if n.Kind != yaml.MappingNode {
		return ""
	}
	i := annalsyaml.FindKey(n, "type")
	if i < 0 {
		return ""
	}
	if v := annalsyaml.Deref(n.Content[i+1]); v.Kind == yaml.ScalarNode && v.ShortTag() == "!!str" {
		return v.Value
	}
	return ""
}

// orderYAML puts the pairs of every mapping in n in canonical order, as
// orderedKeys does for decoded values. A key's comments belong to its node
// and move with it. Aliases are left alone: their anchor is ordered where
// it stands.
func orderYAML(n *yaml.Node, fields []schema.Field, field *schema.Field) {
	switch n.Kind {
	case yaml.MappingNode:
		pairs := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			pairs[annalsyaml.KeyText(n.Content[i])] = i
		}
		keys, fs := orderedKeys(pairs, fields)
		content := make([]*yaml.Node, 0, len(n.Content))
		for j, k := range keys {
			i := pairs[k].(int)
			content = append(content, n.Content[i], n.Content[i+1])
			orderYAML(n.Content[i+1], childFields(fs[j]), fs[j])
		}
		keepTopComment(n.Content, content)
		n.Content = content
	case yaml.SequenceNode:
		var itf *schema.Field
		if field != nil {
			itf = field.Items
		}
		for _, item := range n.Content {
			orderYAML(item, itemFields(field), itf)
		}
	case yaml.ScalarNode:
		canonicalYAMLNumber(n)
	}
}

// keepTopComment keeps the comment above a mapping at its top when its
// first key moves: yaml.v3 gives a comment written above a record of its
// own document to the first key, where it usually describes the record.
func keepTopComment(before, after []*yaml.Node) {
	if len(before) == 0 || before[0] == after[0] || before[0].HeadComment == "" {
		return
	}
	old, first := before[0], after[0]
	if first.HeadComment != "" {
		old.HeadComment += "\n" + first.HeadComment
	}
	first.HeadComment, old.HeadComment = old.HeadComment, ""
}

// fixAnchors keeps the document valid after reordering. An alias must come
// after its anchor, so when an alias now comes first, the anchored value
// moves to the alias's place and its old place becomes the alias (the
// value is the same either way). An anchor name defined again before one
// of its aliases gets a fresh name, so that every alias still refers to
// the value it referred to.
func fixAnchors(doc *yaml.Node) {
	a := anchorFixer{moved: map[*yaml.Node]*yaml.Node{}, seen: map[*yaml.Node]bool{}, current: map[string]*yaml.Node{}, used: map[string]bool{}}
	a.collectNames(doc)
	a.walk(doc)
	for _, n := range a.aliases {
		t := a.target(n)
		n.Alias, n.Value = t, t.Anchor
	}
}

type anchorFixer struct {
	moved   map[*yaml.Node]*yaml.Node // anchored node → the node its content moved to
	seen    map[*yaml.Node]bool       // anchored nodes already written
	current map[string]*yaml.Node     // anchor name → the node it names at this point of the output
	used    map[string]bool           // every anchor name in the document
	aliases []*yaml.Node
}

func (a *anchorFixer) collectNames(n *yaml.Node) {
	if n.Anchor != "" {
		a.used[n.Anchor] = true
	}
	for _, c := range n.Content {
		a.collectNames(c)
	}
}

func (a *anchorFixer) target(alias *yaml.Node) *yaml.Node {
	t := alias.Alias
	for a.moved[t] != nil {
		t = a.moved[t]
	}
	return t
}

// walk visits the nodes in the order the encoder writes them.
func (a *anchorFixer) walk(n *yaml.Node) {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		t := a.target(n)
		if a.seen[t] {
			if a.current[t.Anchor] != t {
				a.rename(t)
			}
			a.aliases = append(a.aliases, n)
			return
		}
		swapContent(n, t)
		a.moved[t] = n
		a.aliases = append(a.aliases, t)
	}
	if n.Anchor != "" {
		a.seen[n] = true
		a.current[n.Anchor] = n
	}
	for _, c := range n.Content {
		a.walk(c)
	}
}

// rename gives n an anchor name that no other node has.
func (a *anchorFixer) rename(n *yaml.Node) {
	for i := 2; ; i++ {
		name := fmt.Sprintf("%s-%d", n.Anchor, i)
		if !a.used[name] {
			a.used[name] = true
			n.Anchor = name
			a.current[name] = n
			return
		}
	}
}

// swapContent makes alias hold the content of target, and target an alias
// of it. Comments stay where they are written; the position moves with
// the content, so that folded text finds its lines in the input.
func swapContent(alias, target *yaml.Node) {
	moved := *target
	*target = yaml.Node{Kind: yaml.AliasNode, Alias: alias, Value: target.Anchor,
		HeadComment: target.HeadComment, LineComment: target.LineComment, FootComment: target.FootComment,
		Line: alias.Line, Column: alias.Column}
	moved.HeadComment, moved.LineComment, moved.FootComment = alias.HeadComment, alias.LineComment, alias.FootComment
	*alias = moved
}

// LostCommentError reports a comment of a YAML file that the canonical
// form would lose: yaml.v3 keeps comments in most places, not all (after
// "...", above a document that is a single value).
type LostCommentError struct {
	File    string
	Line    int // 1-based; 0 when the comment could not be told
	Comment string
}

func (e *LostCommentError) Error() string {
	where, what := e.File, "a comment"
	if e.Line > 0 {
		where, what = fmt.Sprintf("%s:%d", e.File, e.Line), fmt.Sprintf("the comment %q", e.Comment)
	}
	return where + ": the YAML library cannot keep " + what + " in canonical form; move it to a line of its own above a key (the file is left as it is)"
}

// commentMark is a '#' that starts a comment, or may: one at the start of
// a line or after a space or tab. Inside quoted or block text it is not a
// comment, but the canonical form keeps it all the same.
type commentMark struct {
	line int
	text string // from the '#' to the end of the line, without trailing spaces
}

func commentMarks(data []byte) []commentMark {
	var marks []commentMark
	for i, line := range splitLines(data) {
		for j := strings.IndexByte(line, '#'); j >= 0; j = nextIndex(line, j+1, '#') {
			if j == 0 || line[j-1] == ' ' || line[j-1] == '\t' {
				marks = append(marks, commentMark{i + 1, strings.TrimRight(line[j:], " \t")})
			}
		}
	}
	return marks
}

// nextIndex returns the index of the next c in s from i, or -1.
func nextIndex(s string, i int, c byte) int {
	if k := strings.IndexByte(s[i:], c); k >= 0 {
		return i + k
	}
	return -1
}

// checkComments checks that out has every comment of in. yaml.v3 drops
// some comments as it parses, so the check is on the text: out must have
// as many marks, and the text of each.
func checkComments(file string, in, out []byte) error {
	want := commentMarks(in)
	if len(commentMarks(out)) >= len(want) {
		return nil
	}
	seen := map[string]int{}
	for _, m := range want {
		seen[m.text]++
		if strings.Count(string(out), m.text) < seen[m.text] {
			return &LostCommentError{File: file, Line: m.line, Comment: m.text}
		}
	}
	return &LostCommentError{File: file}
}

// fixStyles changes the style of the scalars that the encoder would
// write as something else. yaml.v3 writes an empty null (the value of
// {key}) as an empty quoted string, which is text: it becomes null.
// It adds a line break to folded text that ends in several (>+), and
// loses one in folded text that starts with a space: literal style (|) is
// tried instead, then double quotes.
func fixStyles(n *yaml.Node, flow bool) {
	const block = yaml.LiteralStyle | yaml.FoldedStyle
	switch {
	case n.Kind == yaml.ScalarNode && n.Value == "" && n.ShortTag() == "!!null" && flow:
		n.Value = "null"
	case n.Kind == yaml.ScalarNode && n.Style&block != 0:
		for _, style := range []yaml.Style{yaml.LiteralStyle, yaml.DoubleQuotedStyle} {
			if roundTrips(n) {
				break
			}
			n.Style = n.Style&^block | style
		}
	}
	flow = flow || n.Style&yaml.FlowStyle != 0
	for _, c := range n.Content {
		fixStyles(c, flow)
	}
}

// roundTrips tells whether the scalar n, written alone in its style, reads
// back as the same text.
func roundTrips(n *yaml.Node) bool {
	scalar := &yaml.Node{Kind: yaml.ScalarNode, Tag: n.Tag, Style: n.Style, Value: n.Value}
	out, err := encodeYAML([]*yaml.Node{{Kind: yaml.DocumentNode, Content: []*yaml.Node{scalar}}})
	if err != nil {
		return false
	}
	var back yaml.Node
	return yaml.Unmarshal(out, &back) == nil && len(back.Content) == 1 && back.Content[0].Value == n.Value
}

// astralEscape matches the escapes \UXXXXXXXX of double-quoted text and
// the backslashes before them.
var astralEscape = regexp.MustCompile(`(\\+)U([0-9A-Fa-f]{8})`)

// unescapeAstral writes the characters beyond U+FFFF (emoji, rarer CJK
// characters) that the encoder escapes in double-quoted text as \UXXXXXXXX
// as themselves. An even number of backslashes is an escaped backslash
// followed by text, left alone.
func unescapeAstral(out []byte) []byte {
	return astralEscape.ReplaceAllFunc(out, func(m []byte) []byte {
		k := bytes.IndexByte(m, 'U')
		slashes, hex := m[:k], m[k+1:]
		r, err := strconv.ParseUint(string(hex), 16, 32)
		if len(slashes)%2 == 0 || err != nil || r <= 0xffff || !utf8.ValidRune(rune(r)) || !unicode.IsPrint(rune(r)) {
			return m
		}
		return utf8.AppendRune(slices.Clone(slashes[:len(slashes)-1]), rune(r))
	})
}

// foldedText is a folded scalar of the input and its lines of text there,
// without their indentation ("" for blank lines); lines is nil when the
// input's lines could not be told.
type foldedText struct {
	value string
	lines []string
}

// appendFolded adds the folded scalars of n, in the order the encoder
// writes them, with their lines in src.
func appendFolded(out []foldedText, n *yaml.Node, src []string) []foldedText {
	if n.Kind == yaml.AliasNode {
		return out
	}
	if n.Kind == yaml.ScalarNode && n.Style&yaml.FoldedStyle != 0 {
		ft := foldedText{value: n.Value}
		if b, ok := findBlock(src, n.Line, n.Column); ok {
			ft.lines = b.lines
		}
		out = append(out, ft)
	}
	for _, c := range n.Content {
		out = appendFolded(out, c, src)
	}
	return out
}

// refold mends what the encoder does to folded scalars (>): it writes each
// paragraph on one line, where the input broke it into several, and adds a
// blank line after the text. out's documents are outDocs; folded lists the
// input's folded scalars in the order the encoder wrote them.
func refold(out []byte, outDocs []*yaml.Node, folded []foldedText) []byte {
	var nodes []*yaml.Node
	for _, doc := range outDocs {
		nodes = appendFoldedNodes(nodes, doc)
	}
	type edit struct {
		from, to int // the lines replaced, 0-based, to exclusive
		lines    []string
	}
	var edits []edit
	lines := splitLines(out)
	for _, n := range nodes {
		b, ok := findBlock(lines, n.Line, n.Column)
		if !ok {
			continue
		}
		text := b.lines
		// Pair each folded scalar of the output with the next one of the
		// input that has its text.
		if i := slices.IndexFunc(folded, func(f foldedText) bool { return f.value == n.Value }); i >= 0 {
			if wrapped, ok := rewrap(b.lines, folded[i].lines); ok {
				text = wrapped
			}
			folded = folded[i+1:]
		}
		to := b.end
		if !b.keep {
			to = b.next
		}
		edits = append(edits, edit{b.start, to, indentLines(text, b.indent)})
	}
	// From the last block up, so that the line numbers of the others stay.
	for _, e := range slices.Backward(edits) {
		lines = slices.Replace(lines, e.from, e.to, e.lines...)
	}
	return []byte(strings.Join(lines, "\n"))
}

func appendFoldedNodes(out []*yaml.Node, n *yaml.Node) []*yaml.Node {
	if n.Kind == yaml.AliasNode {
		return out
	}
	if n.Kind == yaml.ScalarNode && n.Style&yaml.FoldedStyle != 0 {
		out = append(out, n)
	}
	for _, c := range n.Content {
		out = appendFoldedNodes(out, c)
	}
	return out
}

// rewrap returns the lines of a block of folded text as the encoder wrote
// them (a paragraph on one line) broken as the input's lines were. A line
// is only broken at a single space between two lines of plain text, which
// YAML folds back into that space; ok is false when the input's lines do
// not match.
func rewrap(block, input []string) (out []string, ok bool) {
	j := 0
	for _, line := range block {
		if j < len(input) && input[j] == line {
			out = append(out, line)
			j++
			continue
		}
		if !foldable(line) {
			return nil, false
		}
		joined, k := "", j
		for k < len(input) && len(joined) < len(line) && foldable(input[k]) {
			if k > j {
				joined += " "
			}
			joined += input[k]
			k++
		}
		if joined != line {
			return nil, false
		}
		out = append(out, input[j:k]...)
		j = k
	}
	return out, true
}

// foldable tells whether a line of folded text can be joined to the next
// with a space: it holds text, without spaces at either end.
func foldable(line string) bool {
	return line != "" && strings.TrimSpace(line[:1]) != "" && strings.TrimSpace(line[len(line)-1:]) != ""
}

// blockScalar is where the text of a block scalar is in a list of lines.
type blockScalar struct {
	start, end int      // 0-based: the first line of text, and the line after the last one that is not blank
	next       int      // the line after the blank lines that follow, or the last line
	indent     string   // the indentation of the text
	keep       bool     // chomping indicator +: the blank lines after the text belong to it
	lines      []string // lines[start:end] without their indentation, "" for blank lines
}

// findBlock finds the text of the block scalar whose indicator is at line,
// col (1-based). A block with an explicit indentation indicator (>2), or
// at the top level with no indentation at all, is not looked into.
func findBlock(lines []string, line, col int) (b blockScalar, ok bool) {
	if line < 1 || line > len(lines) {
		return b, false
	}
	header := []rune(lines[line-1])
	if col < 1 || col > len(header) {
		return b, false
	}
	// The node starts at its anchor or tag, if it has them.
	rest := string(header[col-1:])
	for strings.HasPrefix(rest, "&") || strings.HasPrefix(rest, "!") {
		_, rest, _ = strings.Cut(rest, " ")
		rest = strings.TrimLeft(rest, " ")
	}
	if rest == "" || !strings.ContainsRune(">|", rune(rest[0])) {
		return b, false
	}
	indicators := rest[1:]
	indicators = indicators[:len(indicators)-len(strings.TrimLeft(indicators, "+-0123456789"))]
	if strings.ContainsAny(indicators, "0123456789") {
		return b, false
	}
	b.start, b.end, b.keep = line, line, strings.Contains(indicators, "+")
	for i := line; i < len(lines); i++ {
		l := lines[i]
		if strings.TrimSpace(l) == "" {
			b.lines = append(b.lines, "")
			continue
		}
		if b.indent == "" {
			b.indent = leadingSpaces(l)
		}
		if b.indent == "" || !strings.HasPrefix(l, b.indent) {
			break
		}
		b.lines = append(b.lines, l[len(b.indent):])
		b.end = i + 1
	}
	if b.indent == "" {
		return b, false
	}
	b.lines = b.lines[:b.end-b.start]
	b.next = b.end
	for b.next < len(lines)-1 && strings.TrimSpace(lines[b.next]) == "" {
		b.next++
	}
	return b, true
}

// indentLines puts indent before every line that is not blank.
func indentLines(lines []string, indent string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		if l != "" {
			out[i] = indent + l
		}
	}
	return out
}

func leadingSpaces(s string) string {
	return s[:len(s)-len(strings.TrimLeft(s, " "))]
}

// splitLines splits text into lines without their line breaks ("\n" or
// "\r\n").
func splitLines(data []byte) []string {
	lines := strings.Split(string(data), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	return lines
}

// topRecords returns the records of a document that is a list of them.
func topRecords(doc *yaml.Node) []*yaml.Node {
	if len(doc.Content) == 1 && doc.Content[0].Kind == yaml.SequenceNode {
		return doc.Content[0].Content
	}
	return nil
}

// blankLines says, for each document of docs and each of its records,
// whether src has a blank line before the record (above its comments):
// the blank lines that set records apart are the only ones the canonical
// form keeps, one however many there were. A record that has no line in
// src (a new one, from NewYAMLUpdater) is set apart when most records
// after the first of its document are.
func blankLines(docs []*yaml.Node, src []string) [][]bool {
	out := make([][]bool, len(docs))
	for d, doc := range docs {
		recs := topRecords(doc)
		blank := make([]bool, len(recs))
		known, apart := 0, 0
		for i, rec := range recs {
			if i == 0 || rec.Line == 0 || rec.Line > len(src) {
				continue
			}
			known++
			j := rec.Line - 2 // the line above the record's "- "
			for j >= 0 && strings.HasPrefix(strings.TrimSpace(src[j]), "#") {
				j--
			}
			if j >= 0 && strings.TrimSpace(src[j]) == "" {
				blank[i] = true
				apart++
			}
		}
		for i, rec := range recs {
			if i > 0 && rec.Line == 0 {
				blank[i] = known > 0 && 2*apart >= known
			}
		}
		out[d] = blank
	}
	return out
}

// keepBlankLines puts a blank line before each record of out (above its
// comments) that blanks says had one, and that does not have one yet.
func keepBlankLines(out []byte, blanks [][]bool) []byte {
	docs, err := decodeYAMLDocuments(out)
	if err != nil || len(docs) != len(blanks) {
		return out
	}
	lines := splitLines(out)
	var at []int // lines to put a blank line before, 0-based, ascending
	for d, doc := range docs {
		recs := topRecords(doc)
		if len(recs) != len(blanks[d]) {
			continue
		}
		for i, rec := range recs {
			if !blanks[d][i] || rec.Line < 2 || rec.Line > len(lines) {
				continue
			}
			j := rec.Line - 1
			for j > 0 && strings.HasPrefix(lines[j-1], "#") {
				j--
			}
			if j > 0 && strings.TrimSpace(lines[j-1]) != "" {
				at = append(at, j)
			}
		}
	}
	for _, j := range slices.Backward(at) {
		lines = slices.Insert(lines, j, "")
	}
	return []byte(strings.Join(lines, "\n"))
}
