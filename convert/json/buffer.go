package json

import (
	"bytes"
	"io"
	"unicode/utf8"

	"github.com/annals-project/annals/convert/record"
)

// defaultBufSize is the initial size of a reader's buffer. The buffer grows
// only while one record does not fit in it.
const defaultBufSize = 64 << 10

// inputBuffer buffers an io.Reader for the JSON readers. It keeps the bytes not
// yet consumed contiguous, so that a whole record can be parsed from one
// slice, and it reads ahead only as far as the current record needs plus one
// buffer.
//
// Slices of buf are valid only until the next call that may read (fill,
// ensure, frameValue, nextLine, skipSpace), because reading may move the
// bytes; code that keeps a place across such a call keeps an offset from
// start instead.
type inputBuffer struct {
	r          io.Reader
	buf        []byte
	start, end int   // buf[start:end] is read but not consumed
	err        error // why r has no more bytes: io.EOF or a read error
	line, col  int   // position of buf[start] (kept by skipSpace and advance only)
}

func newInputBuffer(r io.Reader) inputBuffer {
	return inputBuffer{r: r, line: 1, col: 1}
}

// avail returns the bytes read but not consumed.
func (s *inputBuffer) avail() []byte { return s.buf[s.start:s.end] }

// fill reads more input after buf[end], moving the unconsumed bytes to the
// front or growing the buffer when it is full. It returns false when the
// input has no more bytes (s.err then says why).
func (s *inputBuffer) fill() bool {
	if s.err != nil {
		return false
	}
	if s.buf == nil {
		s.buf = make([]byte, defaultBufSize)
	}
	if s.start == s.end {
		s.start, s.end = 0, 0
	}
	if s.end == len(s.buf) {
		if s.start > 0 {
			s.end = copy(s.buf, s.buf[s.start:s.end])
			s.start = 0
		} else {
			grown := make([]byte, 2*len(s.buf))
			copy(grown, s.buf[:s.end])
			s.buf = grown
		}
	}
	// A reader may return 0, nil; give it a few chances, as bufio does.
	for range 100 {
		n, err := s.r.Read(s.buf[s.end:])
		if n < 0 || n > len(s.buf)-s.end {
			n = 0 // a broken io.Reader; treat it as having read nothing
		}
		s.end += n
		if err != nil {
			s.err = err
			return n > 0
		}
		if n > 0 {
			return true
		}
	}
	s.err = io.ErrNoProgress
	return false
}

// ensure reads until at least n unconsumed bytes are buffered or the input
// ends, and tells whether there are n.
func (s *inputBuffer) ensure(n int) bool {
	for s.end-s.start < n {
		if !s.fill() {
			return false
		}
	}
	return true
}

// readErr returns the error that stopped reading, unless it is io.EOF.
func (s *inputBuffer) readErr() error {
	if s.err == io.EOF {
		return nil
	}
	return s.err
}

// skipBOM drops a UTF-8 byte order mark at the start of the input; it is
// not part of the text, so it does not count as a column.
func (s *inputBuffer) skipBOM() {
	s.ensure(len(record.UTF8BOM))
	if bytes.HasPrefix(s.avail(), record.UTF8BOM) {
		s.start += len(record.UTF8BOM)
	}
}

// skipSpace consumes JSON whitespace, keeping line and col, and returns the
// next byte without consuming it; ok is false at the end of the input.
func (s *inputBuffer) skipSpace() (c byte, ok bool) {
	for {
		for s.start < s.end {
			switch c := s.buf[s.start]; c {
			case ' ', '\t', '\r':
				s.col++
			case '\n':
				s.line++
				s.col = 1
			default:
				return c, true
			}
			s.start++
		}
		if !s.fill() {
			return 0, false
		}
	}
}

// advance consumes n buffered bytes, moving line and col past them.
func (s *inputBuffer) advance(n int) {
	s.line, s.col = record.Advance(s.line, s.col, s.buf[s.start:s.start+n])
	s.start += n
}

// scalarByte marks the bytes that can continue a JSON number or literal (and
// the words that people write by mistake instead, such as NaN or True).
var scalarByte = func() (t [256]bool) {
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = true, true
	}
	t['+'], t['-'], t['.'], t['_'] = true, true, true, true
	return t
}()

// frameValue finds where the JSON value starting at buf[start] ends, reading
// more input as needed, and returns its length e (from start) so that the
// parser sees the value whole in one slice. It only follows brackets and
// strings: whatever is wrong inside is left to the parser, which reports it
// at or before e. A scan that stops on a character that cannot be part of
// the value (after a number, or a raw control character in a string, where
// a missing quote would otherwise make the frame run on) returns the offset
// of that character. tooLarge reports that the value is longer than limit
// bytes; the bytes scanned so far stay buffered.
//
// This runs over every byte of the input, so its loops are tight: a table
// lookup per byte, and a branch only at bytes that matter.
func (s *inputBuffer) frameValue(limit int) (e int, tooLarge bool) {
	switch s.buf[s.start] {
	case '{', '[', '"':
		return s.frameComposite(limit)
	}
	return s.frameScalar(limit)
}

// frameScalar scans a number or literal (or a word written by mistake) up
// to the first byte that cannot continue one.
func (s *inputBuffer) frameScalar(limit int) (int, bool) {
	j := 0
	for {
		b := s.buf[s.start+j : s.end]
		for k, c := range b {
			if !scalarByte[c] {
				return j + k, false
			}
		}
		j += len(b)
		if j > limit {
			return j, true
		}
		if !s.fill() {
			return j, false
		}
	}
}

// frameComposite scans an array, object or string up to its closing
// bracket or quote.
func (s *inputBuffer) frameComposite(limit int) (int, bool) {
	depth, inStr := 0, false
	skip := 0 // 1 when the previous chunk ended with a backslash in a string
	j := 0
	for {
		b := s.buf[s.start+j : s.end]
		k := skip
		skip = 0
		for k < len(b) {
			if inStr {
				for k < len(b) && !stringStop[b[k]] {
					k++
				}
				if k == len(b) {
					break
				}
				switch b[k] {
				case '"':
					inStr = false
					if depth == 0 {
						return j + k + 1, false
					}
				case '\\':
					if k+1 == len(b) {
						skip = 1
					}
					k++ // the escaped byte
				default:
					return j + k, false // a raw control character
				}
				k++
				continue
			}
			for k < len(b) && !structural[b[k]] {
				k++
			}
			if k == len(b) {
				break
			}
			switch b[k] {
			case '"':
				inStr = true
			case '{', '[':
				depth++
			default: // '}', ']'
				depth--
				if depth <= 0 {
					return j + k + 1, false
				}
			}
			k++
		}
		j += len(b)
		if j > limit {
			return j, true
		}
		if !s.fill() {
			return j, false
		}
	}
}

// stringStop marks the bytes that end a run of plain text in a string;
// structural, those that matter outside strings while framing.
var stringStop, structural = func() (stop, st [256]bool) {
	for c := range 0x20 {
		stop[c] = true
	}
	stop['"'], stop['\\'] = true, true
	for _, c := range []byte(`"{}[]`) {
		st[c] = true
	}
	return stop, st
}()

// window returns the buffered bytes from start up to e plus one character of
// look-ahead, reading it if needed, so that the parser can name the
// character that stopped a value.
func (s *inputBuffer) window(e int) []byte {
	s.ensure(e + utf8.UTFMax)
	return s.buf[s.start : s.start+min(e+utf8.UTFMax, s.end-s.start)]
}

// nextLine returns the next line without its '\n' and consumes it; the
// slice is valid until the next read. ok is false at the end of the input,
// and after a read error (a last line cut short by it is not returned).
// A line longer than limit bytes is consumed without being kept, and
// reported by tooLarge.
func (s *inputBuffer) nextLine(limit int) (line []byte, ok, tooLarge bool) {
	j := 0
	for {
		if k := bytes.IndexByte(s.buf[s.start+j:s.end], '\n'); k >= 0 {
			n := j + k
			line = s.buf[s.start : s.start+n]
			s.start += n + 1
			return line, true, n > limit
		}
		j = s.end - s.start
		if j > limit {
			s.discardLine()
			return nil, true, true
		}
		if !s.fill() {
			if j == 0 || s.readErr() != nil {
				return nil, false, false
			}
			line = s.buf[s.start:s.end]
			s.start = s.end
			return line, true, false
		}
	}
}

// discardLine consumes the input up to and including the next '\n' without
// keeping it, so that an over-long line costs no memory.
func (s *inputBuffer) discardLine() {
	for {
		if k := bytes.IndexByte(s.buf[s.start:s.end], '\n'); k >= 0 {
			s.start += k + 1
			return
		}
		s.start = s.end
		if !s.fill() {
			return
		}
	}
}
