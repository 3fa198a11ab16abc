package schema

import (
	"fmt"
	"net/netip"
	"strings"
	"unicode/utf8"
)

// checkURI reports why s is not an absolute URI under RFC 3986 section 3, or
// nil when it is one. Go's url.Parse is deliberately lenient (it accepts
// spaces and raw non-ASCII), so the grammar is checked here by hand.
func checkURI(s string) error {
	colon := strings.IndexByte(s, ':')
	if colon < 0 {
		return fmt.Errorf("it has no scheme: an absolute URI starts with one, such as https://")
	}
	if err := checkScheme(s[:colon]); err != nil {
		return err
	}
	rest := s[colon+1:]
	if i := strings.IndexByte(rest, '#'); i >= 0 {
		if err := checkChars(s, colon+1+i+1, rest[i+1:], "/?"); err != nil {
			return err
		}
		rest = rest[:i]
	}
	if i := strings.IndexByte(rest, '?'); i >= 0 {
		if err := checkChars(s, colon+1+i+1, rest[i+1:], "/?"); err != nil {
			return err
		}
		rest = rest[:i]
	}
	start := colon + 1
	if strings.HasPrefix(rest, "//") {
		authority := rest[2:]
		if i := strings.IndexByte(authority, '/'); i >= 0 {
			authority = authority[:i]
		}
		if err := checkAuthority(s, start+2, authority); err != nil {
			return err
		}
		start += 2 + len(authority)
		rest = rest[2+len(authority):]
	}
	return checkChars(s, start, rest, "/")
}

func checkScheme(scheme string) error {
	if scheme == "" {
		return fmt.Errorf("it starts with ':' instead of a scheme such as https")
	}
	for i := 0; i < len(scheme); i++ {
		c := scheme[i]
		switch {
		case isAlpha(c):
		case i > 0 && (isDigit(c) || c == '+' || c == '-' || c == '.'):
		default:
			return fmt.Errorf("its scheme %q may only hold letters, digits, '+', '-' and '.', starting with a letter", scheme)
		}
	}
	return nil
}

// checkAuthority checks userinfo@host:port. off is the byte offset of
// authority in the whole URI, for messages.
func checkAuthority(s string, off int, authority string) error {
	hostport := authority
	if i := strings.IndexByte(authority, '@'); i >= 0 {
		if err := checkChars(s, off, authority[:i], ":"); err != nil {
			return err
		}
		hostport = authority[i+1:]
		off += i + 1
		if j := strings.IndexByte(hostport, '@'); j >= 0 {
			return fmt.Errorf("the '@' at character %d is a second one: one '@' ends the user name, and a user name or host cannot hold another (percent-encode it as %%40)", charIndex(s, off+j))
		}
	}
	host := hostport
	if strings.HasPrefix(hostport, "[") {
		end := strings.IndexByte(hostport, ']')
		if end < 0 {
			return fmt.Errorf("its host %q opens '[' for an IP address but never closes it", hostport)
		}
		if err := checkIPLiteral(hostport[1:end]); err != nil {
			return err
		}
		host = hostport[:end+1]
	} else {
		if i := strings.IndexByte(hostport, ':'); i >= 0 {
			host = hostport[:i]
		}
		if err := checkHost(s, off, host); err != nil {
			return err
		}
	}
	port := strings.TrimPrefix(hostport[len(host):], ":")
	if len(hostport) > len(host) && hostport[len(host)] != ':' {
		return fmt.Errorf("after the host %q it expects ':' and a port number", host)
	}
	for i := 0; i < len(port); i++ {
		if !isDigit(port[i]) {
			return fmt.Errorf("its port %q is not a number", port)
		}
	}
	return nil
}

// checkHost checks a registered name or IPv4 address. Percent-encoding in
// a host exists to carry UTF-8 (RFC 3986 section 3.2.2); an encoded ASCII
// byte ("%00", "%2F") is always a mistake, and browsers reject it too.
func checkHost(s string, off int, host string) error {
	if err := checkChars(s, off, host, ""); err != nil {
		return err
	}
	for i := 0; i+2 < len(host); i++ {
		if host[i] == '%' && host[i+1] < '8' {
			return fmt.Errorf("its host %q percent-encodes an ASCII character; write the character itself", host)
		}
	}
	return nil
}

func checkIPLiteral(ip string) error {
	if ip != "" && (ip[0] == 'v' || ip[0] == 'V') {
		return checkIPvFuture(ip)
	}
	// RFC 3986 has no zone identifiers ("%eth0"); netip would accept them.
	if a, err := netip.ParseAddr(ip); err != nil || !a.Is6() || strings.Contains(ip, "%") {
		return fmt.Errorf("its host [%s] is not an IPv6 address", ip)
	}
	return nil
}

// checkIPvFuture checks an address of a future IP version, written
// "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" ) (RFC 3986 section
// 3.2.2).
func checkIPvFuture(ip string) error {
	version, addr, ok := strings.Cut(ip[1:], ".")
	if !ok || version == "" || strings.IndexFunc(version, func(r rune) bool { return r > 0x7f || !isHex(byte(r)) }) >= 0 {
		return fmt.Errorf("its host [%s] is neither an IPv6 address nor a future IP version (v, hexadecimal digits, '.', the address)", ip)
	}
	if addr == "" {
		return fmt.Errorf("its host [%s] names a future IP version but no address after the '.'", ip)
	}
	for i := 0; i < len(addr); i++ {
		if c := addr[i]; !isAlpha(c) && !isDigit(c) && strings.IndexByte("-._~!$&'()*+,;=:", c) < 0 {
			r, _ := utf8.DecodeRuneInString(addr[i:])
			return fmt.Errorf("its host [%s] holds a %s, which an IP address cannot hold; correct the address, or write the host's name", ip, describeRune(r))
		}
	}
	return nil
}

// checkChars checks that part (found at byte offset off of s) holds only
// unreserved characters, percent-encodings, sub-delims, ':' and '@' (pchar),
// plus the characters in extra.
func checkChars(s string, off int, part, extra string) error {
	for i := 0; i < len(part); i++ {
		c := part[i]
		switch {
		case isAlpha(c) || isDigit(c) || strings.IndexByte("-._~!$&'()*+,;=:@", c) >= 0:
		case strings.IndexByte(extra, c) >= 0:
		case c == '%':
			if i+2 >= len(part) || !isHex(part[i+1]) || !isHex(part[i+2]) {
				return fmt.Errorf("the '%%' at character %d is not followed by two hexadecimal digits (write a literal %% as %%25)", charIndex(s, off+i))
			}
			i += 2
		default:
			r, _ := utf8.DecodeRuneInString(part[i:])
			return fmt.Errorf("the %s at character %d must be percent-encoded (as %s)", describeRune(r), charIndex(s, off+i), percentEncode(r))
		}
	}
	return nil
}

func describeRune(r rune) string {
	switch {
	case r == ' ':
		return "space"
	case r == utf8.RuneError:
		return "invalid character"
	case r < 0x20 || r == 0x7f:
		return fmt.Sprintf("control character U+%04X", r)
	default:
		return fmt.Sprintf("%q", r)
	}
}

func percentEncode(r rune) string {
	var buf [utf8.UTFMax]byte
	n := utf8.EncodeRune(buf[:], r)
	var b strings.Builder
	for _, c := range buf[:n] {
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// charIndex turns a byte offset into a 1-based character count.
func charIndex(s string, off int) int {
	return utf8.RuneCountInString(s[:off]) + 1
}

func isAlpha(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isHex(c byte) bool   { return isDigit(c) || (c|0x20 >= 'a' && c|0x20 <= 'f') }
