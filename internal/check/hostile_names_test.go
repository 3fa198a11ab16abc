package check

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/annals-project/annals/internal/store"
)

// The cases of hand-packed memory that once crashed, missed a finding or
// ran for minutes: each must now give its findings, in time and memory
// that grow with the input.

// actorLine is an actor record as a line of JSON Lines.
func actorLine(id, name string, aliases ...string) string {
	rec := map[string]any{"type": "actor", "id": id, "name": name, "kind": "person"}
	if len(aliases) > 0 {
		list := make([]any, len(aliases))
		for i, a := range aliases {
			list[i] = map[string]any{"name": a, "kind": "misspelling"}
		}
		rec["aliases"] = list
	}
	b, err := json.Marshal(rec)
	if err != nil {
		panic(err)
	}
	return string(b) + "\n"
}

// randomWord is n consonants: words made of them are rarely one letter
// apart.
func randomWord(r *rand.Rand, n int) string {
	const letters = "bcdfghklmnprstvz"
	b := make([]byte, n)
	for i := range b {
		b[i] = letters[r.IntN(len(letters))]
	}
	return string(b)
}

func duplicateActorFindings(rep *Report) []Finding {
	var out []Finding
	for _, f := range rep.Findings {
		if f.Code == CodeDuplicateActor {
			out = append(out, f)
		}
	}
	return out
}

// TestManyAliases: one actor whose names take more than an arena's chunk
// (25,000 aliases, 1.3 MB), and a name of more than 1 MiB, once panicked.
func TestManyAliases(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	aliases := make([]string, 25_000)
	for i := range aliases {
		aliases[i] = "Al " + randomWord(r, 50)
	}
	in := actorLine("many", "Anna Petrova", aliases...) +
		actorLine("long", "Anna "+strings.Repeat("x", store.DefaultChunk+10)) +
		actorLine("after", "Bob Smith", "Al "+aliases[24_999][3:]) // the last alias again
	rep := runCheck(t, map[string]string{"a.jsonl": in}, []string{"a.jsonl"})
	dups := duplicateActorFindings(rep)
	if rep.Errors != 0 || len(dups) != 1 || dups[0].RecordID != "after" || !strings.Contains(dups[0].Message, `"many"`) {
		t.Errorf("errors %d, duplicate-actor findings %v; want one, at \"after\", naming \"many\"", rep.Errors, dups)
	}
}

// TestAliasesThenManyActors: an actor with 20,000 aliases, 60,000 other
// actors, then one named like its last alias. Its warning was once lost.
func TestAliasesThenManyActors(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var b strings.Builder
	aliases := make([]string, 20_000)
	for i := range aliases {
		aliases[i] = randomWord(r, 20) // 1.2 MB in all, written, folded and reduced: more than a chunk
	}
	aliases[len(aliases)-1] = "Zed Quorrin"
	b.WriteString(actorLine("big", "Anna Petrova", aliases...))
	for i := range 60_000 {
		b.WriteString(actorLine(fmt.Sprint("other-", i), randomWord(r, 12)+" "+randomWord(r, 12)))
	}
	b.WriteString(actorLine("dup", "Zed Quorrin"))
	rep := runCheck(t, map[string]string{"a.jsonl": b.String()}, []string{"a.jsonl"})
	found := false
	for _, f := range duplicateActorFindings(rep) {
		found = found || f.RecordID == "dup" && strings.Contains(f.Message, `"big"`)
	}
	if !found {
		t.Errorf("no duplicate-actor warning at \"dup\" naming \"big\"; findings: %v", duplicateActorFindings(rep))
	}
}

// TestSharedAlias: 8,000 actors sharing an alias are one finding, not 32
// million (each pair), naming the first three others by id.
func TestSharedAlias(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	var b strings.Builder
	for i := range 8000 {
		b.WriteString(actorLine(fmt.Sprintf("s%04d", i), randomWord(r, 12)+" "+randomWord(r, 12), "The Spokesman"))
	}
	rep := runCheck(t, map[string]string{"a.jsonl": b.String()}, []string{"a.jsonl"})
	dups := duplicateActorFindings(rep)
	if len(dups) != 1 {
		t.Fatalf("%d duplicate-actor findings, want 1", len(dups))
	}
	f := dups[0]
	if f.RecordID != "s7999" || !strings.Contains(f.Message, "7999 other actors") ||
		!strings.Contains(f.Message, `"s0000"`) || !strings.Contains(f.Message, `"s0002"`) || !strings.Contains(f.Message, "and 7996 more") {
		t.Errorf("got %s", f)
	}
}

// TestLongNames: two names of 420 KB one letter apart are compared in
// time linear in their length (it once took minutes), and shown
// shortened.
func TestLongNames(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	name := randomWord(r, 420_000)
	other := name[:1000] + "a" + name[1001:]
	in := actorLine("one", name) + actorLine("two", other)
	rep := runCheck(t, map[string]string{"a.jsonl": in}, []string{"a.jsonl"})
	dups := duplicateActorFindings(rep)
	if len(dups) != 1 || dups[0].RecordID != "two" {
		t.Fatalf("duplicate-actor findings: %d, want 1 at \"two\"", len(dups))
	}
	if n := len(dups[0].Message); n > 1000 {
		t.Errorf("the message is %d bytes long", n)
	}
	// Digits in pairs, which the skeleton keeps as they are: each pair's
	// two variants are one string, compared once (it took 11 minutes for
	// 420 KB, the key read anew from its start for each pair).
	pairs := strings.Repeat("1122", 105_000)
	in = actorLine("three", pairs) + actorLine("four", pairs[:1000]+pairs[1001:])
	rep = runCheck(t, map[string]string{"a.jsonl": in}, []string{"a.jsonl"})
	if dups := duplicateActorFindings(rep); len(dups) != 1 || dups[0].RecordID != "four" {
		t.Fatalf("duplicate-actor findings of names in pairs of digits: %d, want 1 at \"four\"", len(dups))
	}
}
