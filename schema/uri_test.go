package schema

import (
	"net/url"
	"strings"
	"testing"
)

func TestCheckURI(t *testing.T) {
	valid := []string{
		"https://example.org/a%20b",
		"https://example.org/news/2021/12/23/talks.html?lang=en&x=1#top",
		"http://user:pass@example.org:8080/path",
		"http://[::1]:80/",
		"http://[2001:db8::7]/c=GB?objectClass?one",
		"http://192.168.0.1/",
		"urn:isbn:0451450523",
		"mailto:curator@example.org",
		"tag:example.org,2022:talks",
		"file:///home/curator/notes.txt",
		"https://example.org/%E2%80%94dash",
		"https://example.org/a(b)!$&'*+,;=:@~_.-",
		"HTTPS://EXAMPLE.ORG/",
		"https://example.org:/",
		"https://b%C3%BCcher.example/",
	}
	invalid := map[string]string{
		"https://example.org/a b":       "space at character 22",
		"example.org/page":              "no scheme",
		"//example.org/page":            "no scheme",
		":example.org/page":             "instead of a scheme",
		"1http://example.org":           "scheme",
		"ht tp://example.org":           "scheme",
		"https://example.org/%zz":       "two hexadecimal digits",
		"https://example.org/100%":      "two hexadecimal digits",
		"https://example.org/café":      `'é' at character 24 must be percent-encoded (as %C3%A9)`,
		"https://example.org/a\nb":      "control character U+000A",
		"https://exa mple.org/":         "space at character 12",
		"https://example.org:80a/":      "port",
		"https://[::1/":                 "never closes",
		"https://[zz]/":                 "IPv6",
		"https://example.org/<script>":  "'<'",
		"https://example.org/a|b":       "'|'",
		"https://example.org/#frag#two": "'#'",
		"https://example.org/\"q\"":     `'"'`,
		"https://example.org/a\\b":      `'\\'`,
		"https://example.org/{x}":       "'{'",
		"https://exa^mple.org/":         "'^'",
		"https://exa%00mple.org/":       "percent-encodes an ASCII character",
	}
	for _, s := range valid {
		if err := checkURI(s); err != nil {
			t.Errorf("checkURI(%q) = %v, want valid", s, err)
		}
	}
	for s, want := range invalid {
		err := checkURI(s)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("checkURI(%q) = %v, want an error containing %q", s, err, want)
		}
	}
}

// FuzzCheckURI: never panics, and whatever it accepts, Go's lenient
// url.Parse accepts too (RFC 3986 is the stricter of the two), except the
// IPvFuture hosts ("[v1.x]") that RFC 3986 allows and Go does not know.
func FuzzCheckURI(f *testing.F) {
	for _, s := range []string{"https://example.org/a b", "http://[::1]:80/", "urn:x", "a:", "%", "https://e/%4", "x://[v1.x]/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if checkURI(s) == nil && !strings.Contains(strings.ToLower(s), "[v") {
			if _, err := url.Parse(s); err != nil {
				t.Errorf("checkURI accepts %q, url.Parse rejects it: %v", s, err)
			}
		}
	})
}
