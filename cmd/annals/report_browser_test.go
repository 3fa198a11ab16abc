package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/annals-project/annals/internal/scaffold"
)

// browser returns a headless Chromium (or Chrome) to test the report in.
// Without one the test is skipped, unless ANNALS_REQUIRE_BROWSER is set
// (as .ci/run sets it, after installing Debian's chromium).
func browser(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("ANNALS_REQUIRE_BROWSER") != "" {
		t.Fatal("no chromium to test the report in, and ANNALS_REQUIRE_BROWSER is set")
	}
	t.Skip("no chromium: install Debian's chromium package to run the browser test")
	return ""
}

// runBrowser runs the browser headless on a file with more arguments, and
// returns its standard output.
func runBrowser(t *testing.T, bin, page string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir(), "--window-size=1200,1600"}
	cmd := exec.CommandContext(ctx, bin, append(append(base, args...), "file://"+page)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", bin, err, stderr.String())
	}
	return out
}

// TestReportInBrowser writes the report of a dataset of four events (a
// day, a month, an interval open at its end) and a statement, one event's
// sources disagreeing on its date,
// and loads it in headless Chromium: the timeline has a mark for each
// dated event, and the disagreeing date is highlighted in that event's
// table of sources. It also takes a screenshot (kept in
// ANNALS_SCREENSHOT_DIR when set).
func TestReportInBrowser(t *testing.T) {
	bin := browser(t)
	dir := t.TempDir()
	data := filepath.Join(dir, "ferry")
	if err := scaffold.Create(data, scaffold.Options{Title: "Ferry coverage", Curator: "Ida Berg"}); err != nil {
		t.Fatal(err)
	}
	more := `- type: event
  id: ferry-budget-2022-04-02
  title: Nordvik council sets the ferry budget
  category: consult
  status: occurred
  date: "2022-04-02"
  attestations:
    - source: nordvik-herald-2022-03-15
      reported_date: "2022-04-09"
      reported_date_text: a week on Saturday
- type: event
  id: ferry-first-winter-run-2022-11
  title: The ferry runs its first winter timetable
  category: consult
  status: scheduled
  date: "2022-11"
  attestations:
    - source: nordvik-herald-2022-03-15
- type: event
  id: ferry-operator-talks
  title: Talks with the ferry operator begin, with no end set
  category: consult
  status: occurred
  date: "2022-05/.."
  attestations:
    - source: nordvik-herald-2022-03-15
`
	if err := os.WriteFile(filepath.Join(data, "records", "more-events.yaml"), []byte(more), 0o644); err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(dir, "report.html")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"report", data, "-o", page, "--no-progress"}, nil, &stdout, &stderr); code != exitOK {
		t.Fatalf("annals report: exit %d\n%s", code, stderr.String())
	}

	dom := string(runBrowser(t, bin, page, "--dump-dom"))
	if !strings.Contains(dom, "</html>") {
		t.Fatalf("no page from the browser:\n%.2000s", dom)
	}
	if n := strings.Count(dom, `class="mark event-mark"`); n != 4 {
		t.Errorf("%d event marks on the timeline, want 4", n)
	}
	if !strings.Contains(dom, `data-events="4"`) {
		t.Error("the timeline does not say it shows 4 events")
	}
	if n := strings.Count(dom, `class="mark statement-mark"`); n != 1 {
		t.Errorf("%d statement marks on the timeline, want 1", n)
	}
	budget := regexp.MustCompile(`(?s)<article id="rec-event-ferry-budget-2022-04-02".*?</article>`).FindString(dom)
	if !regexp.MustCompile(`<td class="conflict">2022-04-09`).MatchString(budget) {
		t.Errorf("the budget vote's disagreeing date is not highlighted:\n%s", budget)
	}
	vote := regexp.MustCompile(`(?s)<article id="rec-event-nordvik-ferry-vote-2022-03-14".*?</article>`).FindString(dom)
	if !strings.Contains(vote, `<td class="conflict">Ida Bergh`) || strings.Contains(vote, `<td class="conflict">2022-03-14`) {
		t.Errorf("the vote's table: the misspelt name should be highlighted, its agreeing date not:\n%s", vote)
	}

	shots := os.Getenv("ANNALS_SCREENSHOT_DIR")
	if shots == "" {
		shots = t.TempDir()
	}
	shot := filepath.Join(shots, "report.png")
	runBrowser(t, bin, page, "--screenshot="+shot)
	png, err := os.ReadFile(shot)
	if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) || len(png) < 10000 {
		t.Errorf("screenshot: %v, %d bytes", err, len(png))
	}
}
