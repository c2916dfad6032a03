package policy

import (
	"fmt"
	"slices"
)

// listFuncs are the functions of lists, as Turnkey's language reference
// names them.
var listFuncs = []string{"all", "any", "contains", "count", "filter"}

// Check type-checks e as an expression of field: every keyword, field and
// function must exist, operands must fit their operators, and the
// expression must be a bool. Errors are *UnknownNameError or *TypeError.
func Check(e Expr, field Field) error {
	c := &checker{keywords: Keywords(field), field: field}
	t, err := c.check(e)
	if err != nil {
		return err
	}
	if t.Kind != KindBool && t.Kind != KindDynamic {
		return &TypeError{Pos: e.Pos(), Msg: fmt.Sprintf("a %s must evaluate to a bool, this is %s", field, article(t))}
	}
	return nil
}

type checker struct {
	keywords map[string]*Type
	field    Field
	vars     []binding // list-function items in scope, innermost last
}

type binding struct {
	name string
	t    *Type
}

func (c *checker) check(e Expr) (*Type, error) {
	switch e := e.(type) {
	case *BoolLit:
		return Bool, nil
	case *IntLit:
		return Int, nil
	case *StringLit:
		return String, nil
	case *ListLit:
		return c.list(e)
	case *Ident:
		return c.ident(e)
	case *Unary:
		return c.unary(e)
	case *Binary:
		return c.binary(e)
	case *Member:
		return c.member(e)
	case *Index:
		return c.index(e)
	case *Slice:
		return c.slice(e)
	case *Call:
		return c.call(e)
	}
	return nil, &TypeError{Pos: e.Pos(), Msg: fmt.Sprintf("unknown expression %T", e)}
}

func (c *checker) list(e *ListLit) (*Type, error) {
	elem := Dynamic
	for _, x := range e.Elems {
		t, err := c.check(x)
		if err != nil {
			return nil, err
		}
		u := unify(elem, t)
		if u == nil {
			return nil, &TypeError{Pos: x.Pos(), Msg: fmt.Sprintf("list elements must have one type: %s after %s", t, elem)}
		}
		elem = u
	}
	return ListOf(elem), nil
}

func (c *checker) ident(e *Ident) (*Type, error) {
	for _, v := range slices.Backward(c.vars) {
		if v.name == e.Name {
			return v.t, nil
		}
	}
	if t := c.keywords[e.Name]; t != nil {
		return t, nil
	}
	valid := keywordNames(c.keywords)
	for _, v := range c.vars {
		valid = append(valid, v.name)
	}
	err := &UnknownNameError{Pos: e.At, Kind: "keyword", Name: e.Name, Suggestions: suggest(e.Name, valid), Valid: valid}
	if _, ok := activityType.Fields[e.Name]; ok && c.field == FieldCondition {
		// Older examples wrote action == 'SIGN' for activity.action.
		err.Suggestions = append([]string{"activity." + e.Name}, err.Suggestions...)
	}
	other := FieldCondition
	if c.field == FieldCondition {
		other = FieldConsensus
	}
	if _, ok := Keywords(other)[e.Name]; ok {
		err.Kind = "keyword in a " + string(c.field) + " (" + e.Name + " is a " + string(other) + " keyword)"
	}
	return nil, err
}

func (c *checker) unary(e *Unary) (*Type, error) {
	t, err := c.check(e.X)
	if err != nil {
		return nil, err
	}
	want := Bool
	if e.Op == "-" {
		want = Int
	}
	if t.Kind != want.Kind && t.Kind != KindDynamic {
		return nil, &TypeError{Pos: e.At, Msg: fmt.Sprintf("%s needs %s operand, not %s", e.Op, article(want), article(t))}
	}
	return want, nil
}

func (c *checker) binary(e *Binary) (*Type, error) {
	x, err := c.check(e.X)
	if err != nil {
		return nil, err
	}
	y, err := c.check(e.Y)
	if err != nil {
		return nil, err
	}
	mismatch := func(what string) error {
		return &TypeError{Pos: e.At, Msg: fmt.Sprintf("%s %s: %s", e.Op, what, operands(x, y))}
	}
	switch e.Op {
	case "&&", "||":
		if !isKind(x, KindBool) || !isKind(y, KindBool) {
			return nil, mismatch("needs two bools")
		}
	case "==", "!=":
		if !same(x, y) {
			return nil, mismatch("compares values of one type")
		}
	case "<", ">", "<=", ">=":
		if !isKind(x, KindInt) || !isKind(y, KindInt) {
			return nil, mismatch("compares two ints")
		}
	case "in":
		if !isKind(y, KindList) {
			return nil, mismatch("needs a list on its right")
		}
		if y.Kind == KindList && !same(x, y.Elem) {
			return nil, mismatch("looks for a value of the list's element type")
		}
	}
	return Bool, nil
}

func operands(x, y *Type) string { return fmt.Sprintf("%s and %s", article(x), article(y)) }

func isKind(t *Type, k Kind) bool { return t.Kind == k || t.Kind == KindDynamic }

func (c *checker) member(e *Member) (*Type, error) {
	x, err := c.check(e.X)
	if err != nil {
		return nil, err
	}
	switch x.Kind {
	case KindDynamic:
		return Dynamic, nil
	case KindStruct:
		if t := x.Fields[e.Name]; t != nil {
			return t, nil
		}
		names := x.FieldNames()
		return nil, &UnknownNameError{Pos: e.At, Kind: "field", Name: e.Name, Of: x.Name, Suggestions: suggest(e.Name, names), Valid: names}
	case KindList:
		if e.Name == "count" { // the documented examples write both .count and .count()
			return Int, nil
		}
		return nil, &UnknownNameError{Pos: e.At, Kind: "field", Name: e.Name, Of: x.String(),
			Suggestions: suggest(e.Name, listFuncs), Valid: []string{"count"}}
	case KindMap:
		return nil, &TypeError{Pos: e.At, Msg: fmt.Sprintf("%s is a map: read its values with ['%s']", x, e.Name)}
	}
	return nil, &TypeError{Pos: e.At, Msg: fmt.Sprintf("%s has no fields (.%s)", article(x), e.Name)}
}

func (c *checker) index(e *Index) (*Type, error) {
	x, err := c.check(e.X)
	if err != nil {
		return nil, err
	}
	i, err := c.check(e.Index)
	if err != nil {
		return nil, err
	}
	switch x.Kind {
	case KindDynamic:
		return Dynamic, nil
	case KindList, KindString:
		if !isKind(i, KindInt) {
			return nil, &TypeError{Pos: e.At, Msg: fmt.Sprintf("the index of %s must be an int, not %s", article(x), article(i))}
		}
		if x.Kind == KindString {
			return String, nil
		}
		return x.Elem, nil
	case KindMap:
		if !isKind(i, KindString) {
			return nil, &TypeError{Pos: e.At, Msg: fmt.Sprintf("the key of %s must be a string, not %s", article(x), article(i))}
		}
		return x.Elem, nil
	}
	return nil, &TypeError{Pos: e.At, Msg: fmt.Sprintf("%s cannot be indexed", article(x))}
}

func (c *checker) slice(e *Slice) (*Type, error) {
	x, err := c.check(e.X)
	if err != nil {
		return nil, err
	}
	for _, b := range []Expr{e.Lo, e.Hi} {
		t, err := c.check(b)
		if err != nil {
			return nil, err
		}
		if !isKind(t, KindInt) {
			return nil, &TypeError{Pos: b.Pos(), Msg: fmt.Sprintf("a range bound must be an int, not %s", article(t))}
		}
	}
	if x.Kind != KindList && x.Kind != KindString && x.Kind != KindDynamic {
		return nil, &TypeError{Pos: e.At, Msg: fmt.Sprintf("only lists and strings have ranges [start..end], not %s", article(x))}
	}
	return x, nil
}

func (c *checker) call(e *Call) (*Type, error) {
	x, err := c.check(e.X)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(listFuncs, e.Name) {
		return nil, &UnknownNameError{Pos: e.At, Kind: "function", Name: e.Name, Of: x.String(), Suggestions: suggest(e.Name, listFuncs), Valid: listFuncs}
	}
	if x.Kind != KindList && x.Kind != KindDynamic {
		return nil, &TypeError{Pos: e.At, Msg: fmt.Sprintf("%s() is a function of lists, not of %s", e.Name, article(x))}
	}
	elem := Dynamic
	if x.Kind == KindList {
		elem = x.Elem
	}
	arity := func(n int, form string) error {
		if len(e.Args) != n {
			return &TypeError{Pos: e.At, Msg: fmt.Sprintf("%s takes %d argument(s): x.%s, got %d", e.Name, n, form, len(e.Args))}
		}
		return nil
	}
	switch e.Name {
	case "count":
		return Int, arity(0, "count()")
	case "contains":
		if err := arity(1, "contains(value)"); err != nil {
			return nil, err
		}
		t, err := c.check(e.Args[0])
		if err != nil {
			return nil, err
		}
		if !same(t, elem) {
			return nil, &TypeError{Pos: e.Args[0].Pos(), Msg: fmt.Sprintf("contains looks for %s in %s", article(elem), x)}
		}
		return Bool, nil
	}
	if err := arity(2, e.Name+"(item, predicate)"); err != nil {
		return nil, err
	}
	v, ok := e.Args[0].(*Ident)
	if !ok {
		return nil, &TypeError{Pos: e.Args[0].Pos(), Msg: fmt.Sprintf("the first argument of %s names the item, like %s(x, x == 1)", e.Name, e.Name)}
	}
	c.vars = append(c.vars, binding{v.Name, elem})
	t, err := c.check(e.Args[1])
	c.vars = c.vars[:len(c.vars)-1]
	if err != nil {
		return nil, err
	}
	if !isKind(t, KindBool) {
		return nil, &TypeError{Pos: e.Args[1].Pos(), Msg: fmt.Sprintf("the predicate of %s must be a bool, this is %s", e.Name, article(t))}
	}
	if e.Name == "filter" {
		return x, nil
	}
	return Bool, nil
}
