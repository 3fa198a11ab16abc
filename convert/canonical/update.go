package canonical

import (
	"io"
	"maps"
	"slices"

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
// The updater holds every record until Close. When old is not one YAML
// sequence of records (a file NewYAMLWriter or a curator wrote), uses
// anchors, or cannot be read, Close writes what NewYAMLWriter would.
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
	yw := NewYAMLWriter(u.w, u.ds)
	for _, rec := range u.recs {
		if err := yw.Write(rec); err != nil {
			return err
		}
	}
	return yw.Close()
}

// update merges the records into old, and reports whether it could.
func (u *yamlUpdater) update() ([]byte, bool) {
	lim := u.ds.Limits.OrDefault()
	if len(u.old) > lim.YAMLSize {
		return nil, false
	}
	docs, err := decodeYAMLDocuments(u.old)
	if err != nil || len(docs) != 1 || len(docs[0].Content) != 1 || hasAliases(docs[0]) {
		return nil, false
	}
	seq := docs[0].Content[0]
	if seq.Kind != yaml.SequenceNode {
		return nil, false
	}
	conv := annalsyaml.NewConverter(u.file, lim)
	type oldRecord struct {
		node  *yaml.Node
		value any
		index int // its place in old
	}
	byKey := map[string]oldRecord{}
	for i, item := range seq.Content {
		conv.StartRecord()
		v, err := conv.ItemValue(item, 1)
		if err != nil {
			return nil, false
		}
		if k, ok := recordKey(v); ok {
			if _, dup := byKey[k]; !dup {
				byKey[k] = oldRecord{item, v, i}
			}
		}
	}
	// The records old has keep their places in it, whatever order they
	// come in (a colleague may have sorted the sheet); new records follow,
	// in the order written.
	type placed struct {
		node  *yaml.Node
		value any
	}
	kept := make([]*placed, len(seq.Content))
	var added []placed
	for _, rec := range u.recs {
		k, ok := recordKey(rec.Value)
		old, found := byKey[k]
		if ok && found {
			delete(byKey, k) // a second record of the same key is new
			kept[old.index] = &placed{mergeYAML(old.node, old.value, rec.Value), rec.Value}
			continue
		}
		n, err := yamlValue(rec.Value, fieldsFor(u.ds.Validator, rec.Value), nil)
		if err != nil {
			return nil, false
		}
		added = append(added, placed{n, rec.Value})
	}
	var content []*yaml.Node
	var want []any
	for _, p := range kept {
		if p != nil {
			content, want = append(content, p.node), append(want, p.value)
		}
	}
	for _, p := range added {
		content, want = append(content, p.node), append(want, p.value)
	}
	if len(content) == 0 {
		return nil, false
	}
	seq.Content = content
	// The nodes kept from old have their lines there, which is where the
	// line breaks of their folded text are found; a second pass reaches
	// the fixed point of the canonical form. Both check that what they
	// write holds the records.
	opts := Options{Validator: u.ds.Validator}
	out, err := writeYAMLDocuments(docs, u.old, u.file, want, opts)
	if err != nil {
		return nil, false
	}
	if out, err = canonicalYAML(out, u.file, want, opts); err != nil {
		return nil, false
	}
	return out, true
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
