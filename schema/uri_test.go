package schema

import (
	"net/url"
	"regexp"
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
		"https://[v1.fe80::a+en1]/",
		"https://[vF.a-._~!$&'()*+,;=:]/",
		"https://a%40b:c@example.com/",
		"https://@example.com/",
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
		"https://[v1.a b]/":             "holds a space",
		"https://[v1.]/":                "no address",
		"https://[vx.a]/":               "future IP version",
		"https://[v.a]/":                "future IP version",
		"https://a@b@example.com/":      "'@' at character 12 is a second one",
		"https://@@example.com/":        "second one",
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

// rfc3986 is the grammar of an absolute URI with fragment (RFC 3986
// section 3 and appendix A), rule by rule, as a regular expression: the
// plain twin checkURI is held to.
var rfc3986 = func() *regexp.Regexp {
	const (
		unreserved = `[A-Za-z0-9\-._~]`
		pct        = `%[0-9A-Fa-f]{2}`
		subDelims  = `[!$&'()*+,;=]`
		pchar      = `(?:` + unreserved + `|` + pct + `|` + subDelims + `|[:@])`
		scheme     = `[A-Za-z][A-Za-z0-9+\-.]*`
		userinfo   = `(?:` + unreserved + `|` + pct + `|` + subDelims + `|:)*`
		decOctet   = `(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9][0-9]|[0-9])`
		ipv4       = decOctet + `\.` + decOctet + `\.` + decOctet + `\.` + decOctet
		h16        = `[0-9A-Fa-f]{1,4}`
		ls32       = `(?:` + h16 + `:` + h16 + `|` + ipv4 + `)`
		ipv6       = `(?:(?:` + h16 + `:){6}` + ls32 +
			`|::(?:` + h16 + `:){5}` + ls32 +
			`|(?:` + h16 + `)?::(?:` + h16 + `:){4}` + ls32 +
			`|(?:(?:` + h16 + `:){0,1}` + h16 + `)?::(?:` + h16 + `:){3}` + ls32 +
			`|(?:(?:` + h16 + `:){0,2}` + h16 + `)?::(?:` + h16 + `:){2}` + ls32 +
			`|(?:(?:` + h16 + `:){0,3}` + h16 + `)?::` + h16 + `:` + ls32 +
			`|(?:(?:` + h16 + `:){0,4}` + h16 + `)?::` + ls32 +
			`|(?:(?:` + h16 + `:){0,5}` + h16 + `)?::` + h16 +
			`|(?:(?:` + h16 + `:){0,6}` + h16 + `)?::)`
		ipvFuture = `[vV][0-9A-Fa-f]+\.(?:` + unreserved + `|` + subDelims + `|:)+`
		ipLiteral = `\[(?:` + ipv6 + `|` + ipvFuture + `)\]`
		regName   = `(?:` + unreserved + `|` + pct + `|` + subDelims + `)*`
		host      = `(?:` + ipLiteral + `|` + ipv4 + `|` + regName + `)`
		authority = `(?:` + userinfo + `@)?` + host + `(?::[0-9]*)?`
		abempty   = `(?:/` + pchar + `*)*`
		absolute  = `/(?:` + pchar + `+(?:/` + pchar + `*)*)?`
		rootless  = pchar + `+(?:/` + pchar + `*)*`
		hierPart  = `(?://` + authority + abempty + `|` + absolute + `|` + rootless + `|)`
		query     = `(?:` + pchar + `|[/?])*`
	)
	return regexp.MustCompile(`^` + scheme + `:` + hierPart + `(?:\?` + query + `)?(?:#` + query + `)?$`)
}()

// hostEncodesASCII reports whether s has a percent-encoded ASCII byte in
// its host, which checkURI refuses (see checkHost) though the grammar
// allows it.
func hostEncodesASCII(s string) bool {
	_, rest, _ := strings.Cut(s, ":")
	rest, ok := strings.CutPrefix(rest, "//")
	if !ok {
		return false
	}
	authority, _, _ := strings.Cut(rest, "/")
	authority, _, _ = strings.Cut(authority, "?")
	authority, _, _ = strings.Cut(authority, "#")
	if _, host, ok := strings.Cut(authority, "@"); ok {
		authority = host
	}
	for i := 0; i+1 < len(authority); i++ {
		if authority[i] == '%' && authority[i+1] < '8' {
			return true
		}
	}
	return false
}

// TestCheckURIGrammar holds checkURI to the grammar on URIs built from
// its parts, valid and broken.
func TestCheckURIGrammar(t *testing.T) {
	parts := [][]string{
		{"https", "x+y-z.1", "1x", "", "h t"},
		{"://", ":", ":/"},
		{"", "user@", "u:p@", "a@b@", "@", "%41@", "u%zz@", "[@"},
		{"example.org", "[::1]", "[v1.a]", "[v1.a b]", "[v.x]", "[vg.1]", "[v1.]", "1.2.3.4", "[1.2.3.4]", "[::ffff:1.2.3.4]",
			"[fe80::1%25eth0]", "ex%C3%A9", "", "exa mple", "[::1", "[2001:db8::7]", "b@c"},
		{"", ":80", ":", ":8a", "::80"},
		{"", "/", "/a/b", "/a b", "/%7e", "/é", "/a@b:c", "//x"},
		{"", "?a/b?c", "?#", "?%"},
		{"", "#f#g", "#/?"},
	}
	n := 0
	var build func(i int, prefix string)
	build = func(i int, prefix string) {
		if i == len(parts) {
			n++
			want := rfc3986.MatchString(prefix) && !hostEncodesASCII(prefix)
			if got := checkURI(prefix) == nil; got != want {
				t.Errorf("checkURI(%q) valid = %v, the grammar says %v (%v)", prefix, got, want, checkURI(prefix))
			}
			return
		}
		for _, p := range parts[i] {
			build(i+1, prefix+p)
		}
	}
	build(0, "")
	if n < 100_000 {
		t.Fatalf("only %d URIs built", n)
	}
}

// FuzzCheckURI: never panics, and agrees with the grammar.
func FuzzCheckURI(f *testing.F) {
	for _, s := range []string{"https://example.org/a b", "http://[::1]:80/", "urn:x", "a:", "%", "https://e/%4", "x://[v1.x]/", "https://a@b@c/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := rfc3986.MatchString(s) && !hostEncodesASCII(s)
		if got := checkURI(s) == nil; got != want {
			t.Errorf("checkURI(%q) valid = %v, the grammar says %v", s, got, want)
		}
		if checkURI(s) == nil && !strings.Contains(strings.ToLower(s), "[v") {
			if _, err := url.Parse(s); err != nil {
				t.Errorf("checkURI accepts %q, url.Parse rejects it: %v", s, err)
			}
		}
	})
}
