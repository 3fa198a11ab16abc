package diff

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func side(t *testing.T, records ...string) *Side {
	t.Helper()
	s, err := NewSide()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	for _, r := range records {
		var m map[string]any
		if err := json.Unmarshal([]byte(r), &m); err != nil {
			t.Fatal(err)
		}
		s.Add(Key{m["type"].(string), m["id"].(string)}, []byte(r))
	}
	return s
}

func describeAll(r *Result) string {
	var b strings.Builder
	for _, k := range r.Removed {
		b.WriteString("- " + k.String() + "\n")
	}
	for _, k := range r.Added {
		b.WriteString("+ " + k.String() + "\n")
	}
	for _, c := range r.Changed {
		for _, ch := range c.Changes {
			b.WriteString(c.Key.String() + ": " + ch.describe() + "\n")
		}
	}
	return b.String()
}

func TestCompare(t *testing.T) {
	old := side(t,
		`{"type":"actor","id":"ada","name":"Ada Kessler","aliases":[{"name":"A. Kessler"},{"name":"Ada K."}]}`,
		`{"type":"event","id":"talks","date":"2031-04-01","location":{"name":"Portfield"},"participants":[{"actor":"ada","role":"host"},{"actor":"board"}],
		  "attestations":[{"source":"gazette","reported_date":"2031-04-01"},{"source":"herald","quote":"one"},{"source":"herald","quote":"two"}]}`,
		`{"type":"statement","id":"gone","about":["talks"],"attestations":[{"source":"gazette"}]}`,
		`{"type":"statement","id":"tags","about":["a","b"],"lat":1.50,"attestations":[{"source":"gazette"}]}`,
	)
	new := side(t,
		`{"type":"actor","id":"ada","name":"Ada Kessler","aliases":[{"name":"Ada K."},{"name":"A. Kessler"}]}`,
		`{"type":"event","id":"talks","date":"2031-04-02","location":{"name":"Portfield","country":"GBR"},"participants":[{"actor":"board"},{"actor":"ada","role":"guest"}],
		  "attestations":[{"source":"herald","quote":"one"},{"source":"gazette","reported_date":"2031-04-02"},{"source":"herald","quote":"2"}]}`,
		`{"type":"statement","id":"tags","about":["b","c"],"lat":1.5,"attestations":[{"source":"gazette"}]}`,
		`{"type":"statement","id":"new","attestations":[{"source":"gazette"}]}`,
	)
	r, err := Compare(old, new, true)
	if err != nil {
		t.Fatal(err)
	}
	// Items are found by their source, actor and name, wherever they are,
	// and a move is a change of its own (the curator's order is kept);
	// 1.50 is 1.5.
	want := `- statement "gone"
+ statement "new"
actor "ada": aliases (order): ["A. Kessler","Ada K."] → ["Ada K.","A. Kessler"]
event "talks": attestations (order): ["gazette","herald","herald#2"] → ["herald","gazette","herald#2"]
event "talks": attestations[gazette].reported_date: 2031-04-01 → 2031-04-02
event "talks": attestations[herald#2].quote: two → 2
event "talks": date: 2031-04-01 → 2031-04-02
event "talks": location.country: added GBR
event "talks": participants (order): ["ada","board"] → ["board","ada"]
event "talks": participants[ada].role: host → guest
statement "tags": about[a]: removed (was a)
statement "tags": about[c]: added c
`
	if got := describeAll(r); got != want {
		t.Errorf("changes:\n%s\nwant:\n%s", got, want)
	}
	if r.Same != 0 || r.Old != 4 || r.New != 4 || !r.Differs() {
		t.Errorf("same %d, old %d, new %d", r.Same, r.Old, r.New)
	}
	agreement := map[string]string{}
	for _, a := range r.Agreement {
		agreement[a.Field] = strings.TrimSpace(strings.Join([]string{itoa(a.Agree), itoa(a.Total)}, "/"))
	}
	for field, want := range map[string]string{"date": "0/1", "aliases": "0/1", "name": "1/1", "attestations.quote": "1/2", "attestations.reported_date": "0/1", "lat": "1/1"} {
		if agreement[field] != want {
			t.Errorf("agreement on %s = %s, want %s", field, agreement[field], want)
		}
	}
}

// TestAlignNamesThatLookLikeRepeats checks that an item named "a#2" is not
// taken for the second "a".
func TestAlignNamesThatLookLikeRepeats(t *testing.T) {
	old := []any{"a", "a", "a#2"}
	new := []any{"a", "a#2"}
	var got []string
	for _, ch := range Values("about", old, new) {
		got = append(got, ch.describe())
	}
	if want := []string{"about[a#2]: removed (was a)"}; !slices.Equal(got, want) {
		t.Errorf("changes %q, want %q", got, want)
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestCompareSame(t *testing.T) {
	a := side(t, `{"type":"actor","id":"ada","name":"Ada"}`)
	b := side(t, `{"type":"actor","id":"ada","name":"Ada"}`)
	r, err := Compare(a, b, false)
	if err != nil || r.Differs() || r.Summary() != "the same 1 record" {
		t.Errorf("Compare = %v, %v", r.Summary(), err)
	}
}

func TestDuplicates(t *testing.T) {
	s := side(t, `{"type":"actor","id":"ada","name":"Ada"}`, `{"type":"actor","id":"ada","name":"Bea"}`)
	if d := s.Duplicates(); len(d) != 1 || d[0].ID != "ada" || s.Len() != 1 {
		t.Errorf("duplicates %v, len %d", d, s.Len())
	}
}

// TestMarkdownEscapes checks that text from the records cannot end a
// table cell, start markup or HTML in a job summary, and that long text
// is cut between characters.
func TestMarkdownEscapes(t *testing.T) {
	old := side(t, `{"type":"actor","id":"ada","name":"Ada","aliases":[{"name":"Ryo | `+"`"+`abkov"}]}`)
	new := side(t, `{"type":"actor","id":"ada","name":"<img src=x onerror=alert(1)> *bold* [link](http://x)","aliases":[{"name":"Ryo | `+"`"+`abkov","kind":"misspelling"}]}`)
	r, err := Compare(old, new, false)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := r.WriteMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "| actor") && strings.Count(strings.ReplaceAll(line, `\|`, ""), "|") != 5 {
			t.Errorf("a row with other than 4 cells: %s", line)
		}
	}
	for _, bad := range []string{"<img", "*bold*", "[link]"} {
		if strings.Contains(out, bad) {
			t.Errorf("the summary holds %q unescaped:\n%s", bad, out)
		}
	}
	long := cell(strings.Repeat("Рябков ", 40))
	if !utf8.ValidString(long) || !strings.HasSuffix(long, "…") {
		t.Errorf("cut text %q", long)
	}
}
