package policy

import (
	"fmt"
	"strings"

	"github.com/turnkey-go/turnkey/internal/editdist"
)

// Pos is a position in a policy expression: Offset counts bytes from 0,
// Line and Col count from 1 (Col in characters).
type Pos struct {
	Offset, Line, Col int
}

func (p Pos) String() string { return fmt.Sprintf("%d:%d", p.Line, p.Col) }

// SyntaxError is an expression that does not parse: what was found at Pos
// and what the parser expected there.
type SyntaxError struct {
	Pos      Pos
	Found    string // the token found, quoted, or "end of expression"
	Expected string // what would have been valid
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("syntax error at %s (offset %d): expected %s, found %s", e.Pos, e.Pos.Offset, e.Expected, e.Found)
}

// UnknownNameError is a keyword, a field or a function the language does not
// have. Suggestions lists the close valid names, best first.
type UnknownNameError struct {
	Pos         Pos
	Kind        string // "keyword", "field" or "function"
	Name        string
	Of          string // the struct or value type whose field it is, for fields and functions
	Suggestions []string
	Valid       []string // every valid name, sorted
}

func (e *UnknownNameError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: unknown %s %q", e.Pos, e.Kind, e.Name)
	if e.Of != "" {
		fmt.Fprintf(&b, " of %s", e.Of)
	}
	if len(e.Suggestions) > 0 {
		fmt.Fprintf(&b, "; did you mean %s?", strings.Join(e.Suggestions, " or "))
	}
	if len(e.Valid) > 0 && len(e.Valid) <= 24 {
		fmt.Fprintf(&b, " (valid: %s)", strings.Join(e.Valid, ", "))
	}
	return b.String()
}

// TypeError is a well-formed expression whose operand types do not fit, such
// as a list compared to a string.
type TypeError struct {
	Pos Pos
	Msg string
}

func (e *TypeError) Error() string { return fmt.Sprintf("%s: type error: %s", e.Pos, e.Msg) }

// EvalError is an expression that failed while it was evaluated: a keyword
// or field the activity does not provide, an index out of range. Turnkey's
// engine does not short-circuit, so one failing clause fails the expression.
type EvalError struct {
	Pos Pos
	Msg string
}

func (e *EvalError) Error() string { return fmt.Sprintf("%s: cannot evaluate: %s", e.Pos, e.Msg) }

// FieldError says which field of a policy ("condition" or "consensus") an
// error is in; errors.As reaches the error inside.
type FieldError struct {
	Field string
	Err   error
}

func (e *FieldError) Error() string { return "invalid policy " + e.Field + ": " + e.Err.Error() }
func (e *FieldError) Unwrap() error { return e.Err }

// suggest returns the names in valid close to name (edit distance at most
// 2, or a shared prefix of at least 3), closest first.
func suggest(name string, valid []string) []string {
	type cand struct {
		s string
		d int
	}
	var cs []cand
	for _, v := range valid {
		d := editdist.Levenshtein(strings.ToLower(name), strings.ToLower(v))
		limit := 2
		if len(name) <= 3 {
			limit = 1
		}
		if d <= limit || (len(name) >= 3 && (strings.HasPrefix(v, name) || (strings.HasPrefix(name, v) && len(v) >= 3))) ||
			commonPrefix(name, v) >= max(4, len(name)/2+1) {
			cs = append(cs, cand{v, d})
		}
	}
	for i := 1; i < len(cs); i++ {
		for j := i; j > 0 && (cs[j].d < cs[j-1].d || cs[j].d == cs[j-1].d && cs[j].s < cs[j-1].s); j-- {
			cs[j], cs[j-1] = cs[j-1], cs[j]
		}
	}
	out := make([]string, 0, min(3, len(cs)))
	for _, c := range cs[:min(3, len(cs))] {
		out = append(out, c.s)
	}
	return out
}

func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}
