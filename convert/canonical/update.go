package canonical

import (
	"bytes"
	"io"
	"maps"
	"slices"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/annals-project/annals/convert/record"
	annalsyaml "github.com/annals-project/annals/convert/yaml"
	"github.com/annals-project/annals/internal/jsonvalue"
)

// yamlUpdater is the Writer of NewYAMLUpdater.
type yamlUpdater struct {
	w    io.Writer
	old  []byte
	file string
	ds   *record.Dataset
	recs []*record.Record
}

// NewYAMLUpdater returns a Writer of the records as [NewYAMLWriter] writes
// them, for a file that holds old now and that the output replaces: a
// record whose type and id old has keeps old's text wherever its values
// are the same, comments, quoting and folded text included, so that the
// file changes only where the records did. This is what brings a
// spreadsheet's edits back into records kept in git with a small diff.
//
// Within a record that changed, a value that changed is written anew,
// keeping the comments beside it; new fields and records are added in
// canonical form, and the fields and records that are gone are left out.
// The records old has keep their order in it, whatever order they are
// written in; new records follow them, in the order written. Blank lines
// between old's records are kept, and new records are set apart by one
// when most of old's are. The result is in canonical form (see [Format]):
// keys in schema order.
//
// old may hold several documents (---), each a list of records or one
// record: each keeps its records, a document whose records are all gone is
// left out, and new records go at the end of the last list. The comment
// at the top of the file stays there when the first record goes.
//
// The updater holds every record until Close. When old is not such a
// file, uses anchors, or cannot be read, Close writes what NewYAMLWriter
// would.
func NewYAMLUpdater(w io.Writer, old []byte, file string, ds *record.Dataset) record.Writer {
	return &yamlUpdater{w: w, old: old, file: file, ds: ds}
}

func (u *yamlUpdater) Write(rec *record.Record) error {
	u.recs = append(u.recs, rec)
	return nil
}

func (u *yamlUpdater) Close() error {
	if out, ok := u.update(); ok {
		_, err := u.w.Write(out)
		return err
	}
	// A file of comments alone ("# Actors go here.") keeps them above
	// the records.
	if comments, ok := onlyComments(u.old); ok && len(u.recs) > 0 {
		if _, err := u.w.Write(comments); err != nil {
			return err
		}
	}
	yw := NewYAMLWriter(u.w, u.ds)
	for _, rec := range u.recs {
		if err := yw.Write(rec); err != nil {
			return err
		}
	}
	return yw.Close()
}

// onlyComments returns the comment lines of old, each ending in a line
// break, if old holds nothing but comments, blank lines and document
// markers (--- and ...), after a byte order mark (and at least one
// comment).
func onlyComments(old []byte) ([]byte, bool) {
	var out []byte
	for line := range bytes.Lines(bytes.TrimPrefix(old, []byte("\ufeff"))) {
		text := bytes.TrimSpace(line)
		switch {
		case len(text) == 0, string(text) == "---", string(text) == "...":
		case text[0] == '#' && utf8.Valid(text):
			out = append(append(out, text...), '\n')
		default:
			return nil, false
		}
	}
	return out, len(out) > 0
}

// update merges the records into old, and reports whether it could.
func (u *yamlUpdater) update() ([]byte, bool) {
	lim := u.ds.Limits.OrDefault()
	if len(u.old) > lim.YAMLSize {
		return nil, false
	}
	docs, err := decodeYAMLDocuments(u.old)
	if err != nil || len(docs) == 0 {
		return nil, false
	}
	// Each document is a list of records or one record; every record of
	// old has its slot, in the order of the file.
	type slot struct {
		doc   int
		node  *yaml.Node // the record's node in old
		value any
		now   *yaml.Node // what takes its place; nil when it is gone
		want  any
	}
	var slots []*slot
	conv := annalsyaml.NewConverter(u.file, lim)
	for d, doc := range docs {
		if len(doc.Content) != 1 || hasAliases(doc) {
			return nil, false
		}
		root := doc.Content[0]
		items := []*yaml.Node{root}
		switch root.Kind {
		case yaml.SequenceNode:
			items = root.Content
		case yaml.MappingNode:
		default:
			return nil, false
		}
		for _, item := range items {
			conv.StartRecord()
			var v any
			if root.Kind == yaml.SequenceNode {
				v, err = conv.ItemValue(item, 1)
			} else {
				v, err = conv.Value(item, 0)
			}
			if err != nil {
				return nil, false
			}
			slots = append(slots, &slot{doc: d, node: item, value: v})
		}
	}
	byKey := map[string]*slot{}
	for _, sl := range slots {
		if k, ok := recordKey(sl.value); ok {
			if _, dup := byKey[k]; !dup {
				byKey[k] = sl
			}
		}
	}
	// The records old has keep their places in it, whatever order they
	// come in (a colleague may have sorted the sheet); new records follow,
	// in the order written, at the end of the last list.
	var added []*slot
	for _, rec := range u.recs {
		k, ok := recordKey(rec.Value)
		if sl, found := byKey[k]; ok && found {
			delete(byKey, k) // a second record of the same key is new
			sl.now, sl.want = mergeYAML(sl.node, sl.value, rec.Value), rec.Value
			continue
		}
		n, err := yamlValue(rec.Value, fieldsFor(u.ds.Validator, rec.Value), nil)
		if err != nil {
			return nil, false
		}
		added = append(added, &slot{now: n, want: rec.Value})
	}
	if len(u.recs) == 0 {
		return nil, false
	}
	// The comment at the top of the file is yaml.v3's head comment of the
	// first record when no blank line parts them: it stays at the top when
	// that record goes.
	if len(slots) > 0 && slots[0].now == nil {
		first := slots[0]
		for _, sl := range slots[1:] {
			if sl.now != nil && sl.doc == first.doc {
				moveHeadComment(first.node, sl.now)
				break
			}
		}
	}
	// The last list that keeps a record, or else the last list.
	lastList, lastKept := -1, -1
	for d, doc := range docs {
		if doc.Content[0].Kind == yaml.SequenceNode {
			lastList = d
			for _, sl := range slots {
				if sl.doc == d && sl.now != nil {
					lastKept = d
				}
			}
		}
	}
	if lastKept >= 0 {
		lastList = lastKept
	}
	var out []*yaml.Node
	var want []any
	for d, doc := range docs {
		root := doc.Content[0]
		var content []*yaml.Node
		for _, sl := range slots {
			if sl.doc == d && sl.now != nil {
				content, want = append(content, sl.now), append(want, sl.want)
			}
		}
		if d == lastList {
			for _, sl := range added {
				content, want = append(content, sl.now), append(want, sl.want)
			}
			added = nil
		}
		switch {
		case root.Kind == yaml.SequenceNode && len(content) > 0:
			if len(root.Content) == 0 {
				root.Style &^= yaml.FlowStyle // an empty [] gets its records as a list of blocks
			}
			root.Content = content
		case root.Kind == yaml.MappingNode && len(content) == 1:
			doc.Content[0] = content[0]
		default:
			continue // every record of this document is gone
		}
		out = append(out, doc)
	}
	if len(added) > 0 { // no list to add them to: a list of their own
		seq := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		for _, sl := range added {
			seq.Content, want = append(seq.Content, sl.now), append(want, sl.want)
		}
		out = append(out, &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{seq}})
	}
	if len(out) == 0 {
		return nil, false
	}
	// The nodes kept from old have their lines there, which is where the
	// line breaks of their folded text are found; a second pass reaches
	// the fixed point of the canonical form. Both check that what they
	// write holds the records.
	opts := Options{Validator: u.ds.Validator}
	b, err := writeYAMLDocuments(out, u.old, u.file, want, opts)
	if err != nil {
		return nil, false
	}
	if b, err = canonicalYAML(b, u.file, want, opts); err != nil {
		return nil, false
	}
	return b, true
}

// moveHeadComment gives to the record to the head comment of the record from,
// which is gone: the comment above the first record of a file is most
// often about the file.
func moveHeadComment(from, to *yaml.Node) {
	for _, n := range []*yaml.Node{from, firstKey(from)} {
		if n == nil || n.HeadComment == "" {
			continue
		}
		target := to
		if k := firstKey(to); k != nil && n != from {
			target = k
		}
		if target.HeadComment == "" {
			target.HeadComment = n.HeadComment
		} else {
			target.HeadComment = n.HeadComment + "\n" + target.HeadComment
		}
	}
}

func firstKey(n *yaml.Node) *yaml.Node {
	if n != nil && n.Kind == yaml.MappingNode && len(n.Content) > 0 {
		return n.Content[0]
	}
	return nil
}

// recordKey identifies a record by its type and id.
func recordKey(v any) (string, bool) {
	m, _ := v.(map[string]any)
	typ, ok1 := m["type"].(string)
	id, ok2 := m["id"].(string)
	return typ + "\x00" + id, ok1 && ok2
}

// mergeYAML returns the node of value now, reusing old, the node of value
// was, wherever they are the same. Mappings are merged key by key and
// sequences item by item; a value written anew keeps old's comments.
func mergeYAML(old *yaml.Node, was, now any) *yaml.Node {
	if jsonvalue.Equal(was, now) {
		return old
	}
	switch {
	case old.Kind == yaml.MappingNode:
		wm, ok1 := was.(map[string]any)
		nm, ok2 := now.(map[string]any)
		if !ok1 || !ok2 {
			break
		}
		content := make([]*yaml.Node, 0, 2*len(nm))
		seen := map[string]bool{}
		for i := 0; i+1 < len(old.Content); i += 2 {
			k := annalsyaml.KeyText(old.Content[i])
			v, ok := nm[k]
			if !ok || seen[k] {
				continue // a field deleted
			}
			seen[k] = true
			content = append(content, old.Content[i], mergeYAML(old.Content[i+1], wm[k], v))
		}
		for _, k := range slices.Sorted(maps.Keys(nm)) {
			if !seen[k] {
				content = append(content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k}, newYAMLNode(nm[k], nil))
			}
		}
		old.Content = content
		return old
	case old.Kind == yaml.SequenceNode:
		wl, ok1 := was.([]any)
		nl, ok2 := now.([]any)
		if !ok1 || !ok2 {
			break
		}
		content := make([]*yaml.Node, 0, len(nl))
		for i, v := range nl {
			if i < len(wl) && i < len(old.Content) {
				content = append(content, mergeYAML(old.Content[i], wl[i], v))
			} else {
				content = append(content, newYAMLNode(v, nil))
			}
		}
		old.Content = content
		return old
	}
	return newYAMLNode(now, old)
}

// newYAMLNode writes v as a node, with the comments of old when it takes
// its place, and its block style (folded, literal) for text.
func newYAMLNode(v any, old *yaml.Node) *yaml.Node {
	n, err := yamlValue(v, nil, nil)
	if err != nil {
		// yamlValue fails only on values outside the JSON data model,
		// which no reader produces; the final check would catch it.
		n = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}
	}
	if old == nil {
		return n
	}
	n.HeadComment, n.LineComment, n.FootComment = old.HeadComment, old.LineComment, old.FootComment
	if _, text := v.(string); text && old.Kind == yaml.ScalarNode && old.Style&(yaml.FoldedStyle|yaml.LiteralStyle) != 0 {
		n.Style = old.Style & (yaml.FoldedStyle | yaml.LiteralStyle)
	}
	return n
}

// hasAliases reports whether n holds an alias or an anchor.
func hasAliases(n *yaml.Node) bool {
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		return true
	}
	for _, c := range n.Content {
		if hasAliases(c) {
			return true
		}
	}
	return false
}
