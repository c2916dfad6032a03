package policy

import (
	"errors"
	"testing"
	"unicode/utf8"
)

// FuzzParse: Parse and Check never panic, and every syntax error points
// inside the expression (or just after its end).
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"approvers.any(user, user.id == 'x')",
		"activity.resource in ['AUTH', 'OTP'] && activity.action != 'DELETE'",
		"eth.tx.data[0..10] == '0xa9059cbb' || eth.tx.value < 1000",
		"solana.tx.transfers.count == 1 && solana.tx.transfers[0].to == 'r'",
		"!(wallet.id == 'w') && -1 < 2",
		"eth.tx.contract_call_args['wad'] >= 1",
		"((((", "'unterminated", "a..b", "[1,,2]", "x.y(", "\"dq\"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		e, err := Parse(src)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse(%q): error %T is not a *SyntaxError: %v", src, err, err)
			}
			if se.Pos.Offset < 0 || se.Pos.Offset > len(src) || se.Pos.Line < 1 || se.Pos.Col < 1 {
				t.Fatalf("Parse(%q): position %+v outside the expression", src, se.Pos)
			}
			if se.Pos.Line == 1 && utf8.ValidString(src[:se.Pos.Offset]) && se.Pos.Col != utf8.RuneCountInString(src[:se.Pos.Offset])+1 {
				t.Fatalf("Parse(%q): column %d does not match offset %d", src, se.Pos.Col, se.Pos.Offset)
			}
			return
		}
		for _, field := range []Field{FieldCondition, FieldConsensus} {
			if err := Check(e, field); err == nil {
				// Evaluate what checks, against an empty activity: errors are
				// fine, panics are not.
				kw, _ := (&Input{}).values(field)
				_, _ = evalBool(e, kw)
			}
		}
	})
}
