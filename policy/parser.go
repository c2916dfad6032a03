package policy

import (
	"math/big"
	"strings"
)

// maxDepth bounds nesting, so that no input can exhaust the stack.
const maxDepth = 100

// MaxLen is the longest expression Parse accepts, in bytes.
const MaxLen = 64 << 10

// Parse parses one expression of Turnkey's policy language (a condition or
// a consensus). It checks only the syntax: Check, or Compile, checks names
// and types. Errors are *SyntaxError.
func Parse(src string) (Expr, error) {
	if len(src) > MaxLen {
		return nil, &SyntaxError{Pos: Pos{Offset: MaxLen, Line: 1, Col: 1}, Found: "a longer expression", Expected: "at most 65536 bytes"}
	}
	p := &parser{lex: newLexer(src)}
	if err := p.advance(); err != nil {
		return nil, err
	}
	if p.tok.kind == tokEOF {
		return nil, p.expected("an expression")
	}
	e, err := p.expr()
	if err != nil {
		return nil, err
	}
	if p.tok.kind != tokEOF {
		return nil, p.expected("an operator (&&, ||, ==, in, ...) or the end of the expression")
	}
	return e, nil
}

type parser struct {
	lex   *lexer
	tok   token
	depth int
}

func (p *parser) advance() error {
	t, err := p.lex.next()
	if err != nil {
		return err
	}
	p.tok = t
	return nil
}

func (p *parser) expected(what string) error {
	return &SyntaxError{Pos: p.tok.pos, Found: p.tok.describe(), Expected: what}
}

func (p *parser) is(punct string) bool { return p.tok.kind == tokPunct && p.tok.text == punct }

func (p *parser) expect(punct, what string) error {
	if !p.is(punct) {
		return p.expected(what)
	}
	return p.advance()
}

func (p *parser) enter() error {
	p.depth++
	if p.depth > maxDepth {
		return &SyntaxError{Pos: p.tok.pos, Found: "deeper nesting", Expected: "at most 100 nested levels"}
	}
	return nil
}

func (p *parser) expr() (Expr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	return p.binary(0)
}

// levels lists the binary operators from the loosest to the tightest.
var levels = [][]string{{"||"}, {"&&"}, {"==", "!=", "<", ">", "<=", ">=", "in"}}

func (p *parser) binaryOp(level int) (string, bool) {
	for _, op := range levels[level] {
		if op == "in" {
			if p.tok.kind == tokIdent && p.tok.text == "in" {
				return op, true
			}
		} else if p.is(op) {
			return op, true
		}
	}
	return "", false
}

func (p *parser) binary(level int) (Expr, error) {
	if level == len(levels) {
		return p.unary()
	}
	x, err := p.binary(level + 1)
	if err != nil {
		return nil, err
	}
	for {
		op, ok := p.binaryOp(level)
		if !ok {
			return x, nil
		}
		at := p.tok.pos
		if err := p.advance(); err != nil {
			return nil, err
		}
		if p.tok.kind == tokEOF {
			return nil, p.expected("an operand after " + op)
		}
		y, err := p.binary(level + 1)
		if err != nil {
			return nil, err
		}
		x = &Binary{At: at, Op: op, X: x, Y: y}
	}
}

func (p *parser) unary() (Expr, error) {
	if p.is("!") || p.is("-") {
		if err := p.enter(); err != nil {
			return nil, err
		}
		defer func() { p.depth-- }()
		at, op := p.tok.pos, p.tok.text
		if err := p.advance(); err != nil {
			return nil, err
		}
		x, err := p.unary()
		if err != nil {
			return nil, err
		}
		return &Unary{At: at, Op: op, X: x}, nil
	}
	x, err := p.primary()
	if err != nil {
		return nil, err
	}
	return p.postfix(x)
}

func (p *parser) postfix(x Expr) (Expr, error) {
	for {
		switch {
		case p.is("."):
			if err := p.advance(); err != nil {
				return nil, err
			}
			if p.tok.kind != tokIdent {
				return nil, p.expected("a field or function name after '.'")
			}
			at, name := p.tok.pos, p.tok.text
			if err := p.advance(); err != nil {
				return nil, err
			}
			if !p.is("(") {
				x = &Member{At: at, X: x, Name: name}
				continue
			}
			args, err := p.args()
			if err != nil {
				return nil, err
			}
			x = &Call{At: at, X: x, Name: name, Args: args}
		case p.is("["):
			at := p.tok.pos
			if err := p.advance(); err != nil {
				return nil, err
			}
			if p.is("]") {
				return nil, p.expected("an index, a key or a range start..end")
			}
			i, err := p.expr()
			if err != nil {
				return nil, err
			}
			if p.is("..") {
				if err := p.advance(); err != nil {
					return nil, err
				}
				hi, err := p.expr()
				if err != nil {
					return nil, err
				}
				if err := p.expect("]", "']' to close the range"); err != nil {
					return nil, err
				}
				x = &Slice{At: at, X: x, Lo: i, Hi: hi}
				continue
			}
			if err := p.expect("]", "']' or '..'"); err != nil {
				return nil, err
			}
			x = &Index{At: at, X: x, Index: i}
		default:
			return x, nil
		}
	}
}

// args parses (a, b, ...) after a function name.
func (p *parser) args() ([]Expr, error) {
	if err := p.advance(); err != nil { // (
		return nil, err
	}
	var args []Expr
	for !p.is(")") {
		if p.tok.kind == tokEOF {
			return nil, p.expected("an argument or ')'")
		}
		a, err := p.expr()
		if err != nil {
			return nil, err
		}
		args = append(args, a)
		if p.is(",") {
			if err := p.advance(); err != nil {
				return nil, err
			}
			continue
		}
		if !p.is(")") {
			return nil, p.expected("',' or ')' in the argument list")
		}
	}
	return args, p.advance()
}

func (p *parser) primary() (Expr, error) {
	t := p.tok
	switch t.kind {
	case tokInt:
		v, ok := new(big.Int).SetString(t.text, 10)
		if !ok || v.BitLen() > 256 {
			return nil, &SyntaxError{Pos: t.pos, Found: t.describe(), Expected: "an integer of at most 256 bits"}
		}
		return &IntLit{At: t.pos, Value: v}, p.advance()
	case tokString:
		return &StringLit{At: t.pos, Value: t.text}, p.advance()
	case tokIdent:
		switch t.text {
		case "true", "false":
			return &BoolLit{At: t.pos, Value: t.text == "true"}, p.advance()
		case "in":
			return nil, p.expected("an operand before 'in'")
		}
		return &Ident{At: t.pos, Name: t.text}, p.advance()
	case tokPunct:
		switch t.text {
		case "(":
			if err := p.advance(); err != nil {
				return nil, err
			}
			if p.is(")") {
				return nil, p.expected("an expression inside the parentheses")
			}
			e, err := p.expr()
			if err != nil {
				return nil, err
			}
			return e, p.expect(")", "')' to close the '(' at "+t.pos.String())
		case "[":
			return p.list(t.pos)
		}
	}
	what := "an operand: a keyword, a number, a 'string', true, false, a [list] or (expression)"
	if t.kind == tokPunct && strings.Contains("&&||==!=<=>=", t.text) {
		what = "an operand before " + t.text
	}
	return nil, p.expected(what)
}

func (p *parser) list(at Pos) (Expr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	if err := p.advance(); err != nil {
		return nil, err
	}
	l := &ListLit{At: at}
	for !p.is("]") {
		if p.tok.kind == tokEOF {
			return nil, p.expected("a list element or ']'")
		}
		e, err := p.expr()
		if err != nil {
			return nil, err
		}
		l.Elems = append(l.Elems, e)
		if p.is(",") {
			if err := p.advance(); err != nil {
				return nil, err
			}
			continue
		}
		if !p.is("]") {
			return nil, p.expected("',' or ']' in the list")
		}
	}
	return l, p.advance()
}
