package report

import (
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"testing"
)

// TestContentSecurityPolicy: the page loads nothing and runs nothing, and
// its style sheet is allowed by the hash of the bytes it holds.
func TestContentSecurityPolicy(t *testing.T) {
	csp := contentSecurityPolicy(pageHTML)
	for _, want := range []string{"default-src 'none'", "base-uri 'none'", "form-action 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("the policy lacks %s: %s", want, csp)
		}
	}
	style := pageHTML[strings.Index(pageHTML, "<style>")+len("<style>") : strings.Index(pageHTML, "</style>")]
	sum := sha256.Sum256([]byte(style))
	if !strings.Contains(csp, "style-src 'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'") {
		t.Errorf("the policy does not allow the page's style sheet: %s", csp)
	}
	if strings.Contains(style, "{{") {
		t.Error("the style sheet holds template actions: its rendered bytes would not be the ones hashed")
	}
	for _, banned := range []string{"<script", " style=", "<link", "<img", "<iframe"} {
		if strings.Contains(pageHTML, banned) {
			t.Errorf("the page holds %q, which the policy blocks or which would load something", banned)
		}
	}
}
