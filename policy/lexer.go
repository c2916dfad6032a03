package policy

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

type tokenKind int

const (
	tokEOF tokenKind = iota
	tokIdent
	tokInt
	tokString
	tokPunct // operators and delimiters; the text says which
)

type token struct {
	kind tokenKind
	text string // identifier, punctuation, digits, or the decoded string
	pos  Pos
	end  int // byte offset after the token
}

func (t token) describe() string {
	switch t.kind {
	case tokEOF:
		return "end of expression"
	case tokString:
		return fmt.Sprintf("string %q", t.text)
	default:
		return fmt.Sprintf("%q", t.text)
	}
}

// lexer splits an expression into tokens, keeping positions.
type lexer struct {
	src  string
	off  int
	line int
	col  int
}

func newLexer(src string) *lexer { return &lexer{src: src, line: 1, col: 1} }

func (l *lexer) pos() Pos { return Pos{Offset: l.off, Line: l.line, Col: l.col} }

func (l *lexer) advance() rune {
	r, n := utf8.DecodeRuneInString(l.src[l.off:])
	l.off += n
	if r == '\n' {
		l.line++
		l.col = 1
	} else {
		l.col++
	}
	return r
}

func (l *lexer) peek() rune {
	if l.off >= len(l.src) {
		return -1
	}
	r, _ := utf8.DecodeRuneInString(l.src[l.off:])
	return r
}

// twoChar lists the operators of two characters; one-character ones follow.
var twoChar = []string{"==", "!=", "<=", ">=", "&&", "||", ".."}

const oneChar = "()[]{},.:<>!-"

func (l *lexer) next() (token, error) {
	for l.off < len(l.src) && unicode.IsSpace(l.peek()) {
		l.advance()
	}
	start := l.pos()
	if l.off >= len(l.src) {
		return token{kind: tokEOF, pos: start, end: l.off}, nil
	}
	r := l.peek()
	switch {
	case r == '_' || unicode.IsLetter(r):
		for l.off < len(l.src) && (l.peek() == '_' || unicode.IsLetter(l.peek()) || unicode.IsDigit(l.peek())) {
			l.advance()
		}
		return token{kind: tokIdent, text: l.src[start.Offset:l.off], pos: start, end: l.off}, nil
	case r >= '0' && r <= '9':
		for l.off < len(l.src) && l.peek() >= '0' && l.peek() <= '9' {
			l.advance()
		}
		if p := l.peek(); p == '_' || unicode.IsLetter(p) {
			return token{}, &SyntaxError{Pos: l.pos(), Found: fmt.Sprintf("%q", p), Expected: "a digit or an operator after the number"}
		}
		return token{kind: tokInt, text: l.src[start.Offset:l.off], pos: start, end: l.off}, nil
	case r == '\'':
		return l.str(start)
	case r == '"':
		return token{}, &SyntaxError{Pos: start, Found: `'"'`, Expected: "a string in single quotes ('...'): the policy language has no double-quoted strings"}
	}
	for _, op := range twoChar {
		if strings.HasPrefix(l.src[l.off:], op) {
			l.advance()
			l.advance()
			return token{kind: tokPunct, text: op, pos: start, end: l.off}, nil
		}
	}
	if strings.ContainsRune(oneChar, r) {
		l.advance()
		return token{kind: tokPunct, text: string(r), pos: start, end: l.off}, nil
	}
	found := fmt.Sprintf("%q", r)
	if r == '&' || r == '|' || r == '=' {
		return token{}, &SyntaxError{Pos: start, Found: found, Expected: fmt.Sprintf("%q (the operator is doubled)", string(r)+string(r))}
	}
	return token{}, &SyntaxError{Pos: start, Found: found, Expected: "a name, a number, a 'string' or an operator"}
}

// str reads a single-quoted string; \' and \\ are the escapes.
func (l *lexer) str(start Pos) (token, error) {
	l.advance() // opening quote
	var b strings.Builder
	for {
		if l.off >= len(l.src) {
			return token{}, &SyntaxError{Pos: start, Found: "end of expression", Expected: "a closing ' for the string that starts here"}
		}
		r := l.advance()
		switch r {
		case '\'':
			return token{kind: tokString, text: b.String(), pos: start, end: l.off}, nil
		case '\\':
			if l.off < len(l.src) && (l.peek() == '\'' || l.peek() == '\\') {
				b.WriteRune(l.advance())
				continue
			}
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
}
