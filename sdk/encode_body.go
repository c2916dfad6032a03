package sdk

import (
	"encoding/json"
	"reflect"
	"strconv"
	"unicode/utf8"
)

// The helpers of the generated request encoders (encode_request.gen.go).

const hexDigits = "0123456789abcdef"

// plainBytes holds the bytes appendString copies as they are: the ASCII
// ones that need no escaping (bytes from 0x80 start a rune to look at).
var plainBytes = func() (plain [256]bool) {
	for c := ' '; c < utf8.RuneSelf; c++ {
		plain[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return plain
}()

// appendString appends s as a JSON string the way encoding/json writes it:
// ", \ and the control characters escaped (\b \f \n \r \t by name, the
// others as \u00XX), also <, > and & (HTML escaping), U+2028 and U+2029 as
// \u2028 and \u2029, and each byte of invalid UTF-8 as \ufffd.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if plainBytes[s[i]] {
			i++
			continue
		}
		if c := s[i]; c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// appendMarshal appends v, a value with its own MarshalJSON or MarshalText
// method, as encoding/json writes it: through the method, its output
// checked and compacted.
func appendMarshal(b []byte, v any) ([]byte, error) {
	out, err := json.Marshal(v)
	return append(b, out...), err
}

// appendReflect appends v, an interface's dynamic value or a pointer to a
// value the generated encoders do not write themselves, the way
// encodeRequestReflect writes it: its nil required arrays as [], then
// encoding/json.
func appendReflect(b []byte, v any) ([]byte, error) {
	if rv := reflect.ValueOf(v); needsArrays(rv) {
		v = withArrays(rv).Interface()
	}
	return appendMarshal(b, v)
}

// fieldPath is the JSON path of a value inside a request, as the generated
// bounds checks pass it down: a member (name) or an element (index) of the
// parent. It lives on the stack and is rendered only for an error.
type fieldPath struct {
	parent *fieldPath
	name   string // "" for an element
	index  int
}

// String renders the path as checkBounds writes it:
// "parameters.rootUsers[0].apiKeys".
func (p *fieldPath) String() string { return string(p.appendTo(nil)) }

// appendTo appends the path to b, which holds nothing else.
func (p *fieldPath) appendTo(b []byte) []byte {
	if p == nil {
		return b
	}
	b = p.parent.appendTo(b)
	if p.name == "" {
		b = append(b, '[')
		b = strconv.AppendInt(b, int64(p.index), 10)
		return append(b, ']')
	}
	if len(b) > 0 { // join's "."
		b = append(b, '.')
	}
	return append(b, p.name...)
}

// belowMinimum is the error of the field at path at, of Go name field,
// whose value n is below its documented minimum.
func belowMinimum(op *Operation, at *fieldPath, field string, n int64) error {
	return &RequestError{Operation: op.Name, Field: at.String(), Problem: minimumProblem(minimums[field], n)}
}
