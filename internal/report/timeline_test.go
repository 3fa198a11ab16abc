package report

import "testing"

// TestTimelineLongSpan places dates three centuries apart in order, with
// the last at the right end: positions are not computed as a
// time.Duration, which stops at 292 years.
func TestTimelineLongSpan(t *testing.T) {
	var recs []map[string]any
	for i, d := range []string{"1700-01-01", "1850-06-01", "2022-01-10", "2022-12-01"} {
		recs = append(recs, map[string]any{"type": "event", "id": string(rune('a' + i)), "title": "t", "date": d})
	}
	tl := buildTimeline(recs)
	if len(tl.Marks) != 4 {
		t.Fatalf("%d marks", len(tl.Marks))
	}
	for i := 1; i < 4; i++ {
		if tl.Marks[i].X <= tl.Marks[i-1].X {
			t.Errorf("mark %d at x=%d, not right of mark %d at x=%d", i, tl.Marks[i].X, i-1, tl.Marks[i-1].X)
		}
	}
	if last := tl.Marks[3].X; last > tlWidth-tlRight || last < tlWidth-tlRight-5 {
		t.Errorf("the last date at x=%d, not at the right end", last)
	}
}
