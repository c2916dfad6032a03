package policy

import (
	"fmt"
	"math/big"
	"slices"
)

// Values are what evaluation works on: bool, *big.Int, string, []any
// (lists) and map[string]any (structs and maps). Input builds them.

// env is what names mean during evaluation.
type env struct {
	keywords map[string]any // nil value: the keyword is not part of the activity
	vars     []varBinding
}

type varBinding struct {
	name string
	v    any
}

func (en *env) lookup(e *Ident) (any, error) {
	for _, b := range slices.Backward(en.vars) {
		if b.name == e.Name {
			return b.v, nil
		}
	}
	v, ok := en.keywords[e.Name]
	if !ok || v == nil {
		return nil, &EvalError{Pos: e.At, Msg: fmt.Sprintf("%s is not part of this activity (field does not exist)", e.Name)}
	}
	return v, nil
}

// eval evaluates a checked expression. Like Turnkey's engine it evaluates
// both sides of && and ||: an error on either side is the result.
func (en *env) eval(e Expr) (any, error) {
	switch e := e.(type) {
	case *BoolLit:
		return e.Value, nil
	case *IntLit:
		return e.Value, nil
	case *StringLit:
		return e.Value, nil
	case *ListLit:
		out := make([]any, 0, len(e.Elems))
		for _, x := range e.Elems {
			v, err := en.eval(x)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case *Ident:
		return en.lookup(e)
	case *Unary:
		v, err := en.eval(e.X)
		if err != nil {
			return nil, err
		}
		if e.Op == "-" {
			n, ok := v.(*big.Int)
			if !ok {
				return nil, typeMismatch(e.At, "- needs an int, not %s", v)
			}
			return new(big.Int).Neg(n), nil
		}
		b, ok := v.(bool)
		if !ok {
			return nil, typeMismatch(e.At, "! needs a bool, not %s", v)
		}
		return !b, nil
	case *Binary:
		return en.binary(e)
	case *Member:
		return en.member(e)
	case *Index:
		return en.index(e)
	case *Slice:
		return en.slice(e)
	case *Call:
		return en.call(e)
	}
	return nil, &EvalError{Pos: e.Pos(), Msg: fmt.Sprintf("unknown expression %T", e)}
}

func kindOf(v any) string {
	switch v.(type) {
	case bool:
		return "bool"
	case *big.Int:
		return "int"
	case string:
		return "string"
	case []any:
		return "list"
	case map[string]any:
		return "struct"
	case nil:
		return "nothing"
	}
	return fmt.Sprintf("%T", v)
}

func typeMismatch(at Pos, format string, vs ...any) error {
	kinds := make([]any, len(vs))
	for i, v := range vs {
		kinds[i] = kindOf(v)
	}
	return &EvalError{Pos: at, Msg: "type mismatch: " + fmt.Sprintf(format, kinds...)}
}

func (en *env) binary(e *Binary) (any, error) {
	x, errX := en.eval(e.X)
	y, errY := en.eval(e.Y)
	if errX != nil {
		return nil, errX
	}
	if errY != nil {
		return nil, errY
	}
	switch e.Op {
	case "&&", "||":
		a, ok1 := x.(bool)
		b, ok2 := y.(bool)
		if !ok1 || !ok2 {
			return nil, typeMismatch(e.At, e.Op+" needs two bools, not %s and %s", x, y)
		}
		if e.Op == "&&" {
			return a && b, nil
		}
		return a || b, nil
	case "==", "!=":
		eq, ok := equal(x, y)
		if !ok {
			return nil, typeMismatch(e.At, e.Op+" compares a %s and a %s", x, y)
		}
		return eq == (e.Op == "=="), nil
	case "in":
		l, ok := y.([]any)
		if !ok {
			return nil, typeMismatch(e.At, "in needs a list on its right, not %s", y)
		}
		return contains(l, x), nil
	}
	a, ok1 := x.(*big.Int)
	b, ok2 := y.(*big.Int)
	if !ok1 || !ok2 {
		return nil, typeMismatch(e.At, e.Op+" compares two ints, not %s and %s", x, y)
	}
	c := a.Cmp(b)
	switch e.Op {
	case "<":
		return c < 0, nil
	case ">":
		return c > 0, nil
	case "<=":
		return c <= 0, nil
	}
	return c >= 0, nil
}

// equal compares two values; ok is false for values of different kinds.
func equal(x, y any) (eq, ok bool) {
	switch a := x.(type) {
	case bool:
		b, ok := y.(bool)
		return ok && a == b, ok
	case string:
		b, ok := y.(string)
		return ok && a == b, ok
	case *big.Int:
		b, ok := y.(*big.Int)
		return ok && a.Cmp(b) == 0, ok
	case []any:
		b, ok := y.([]any)
		if !ok {
			return false, false
		}
		if len(a) != len(b) {
			return false, true
		}
		for i := range a {
			if eq, ok := equal(a[i], b[i]); !ok || !eq {
				return false, ok
			}
		}
		return true, true
	case map[string]any:
		b, ok := y.(map[string]any)
		if !ok {
			return false, false
		}
		if len(a) != len(b) {
			return false, true
		}
		for k, av := range a {
			bv, has := b[k]
			if !has {
				return false, true
			}
			if eq, ok := equal(av, bv); !ok || !eq {
				return false, true
			}
		}
		return true, true
	}
	return false, false
}

func contains(l []any, v any) bool {
	for _, x := range l {
		if eq, _ := equal(x, v); eq {
			return true
		}
	}
	return false
}

func (en *env) member(e *Member) (any, error) {
	x, err := en.eval(e.X)
	if err != nil {
		return nil, err
	}
	switch x := x.(type) {
	case map[string]any:
		v, ok := x[e.Name]
		if !ok || v == nil {
			return nil, &EvalError{Pos: e.At, Msg: "field does not exist: " + e.Name}
		}
		return v, nil
	case []any:
		if e.Name == "count" {
			return big.NewInt(int64(len(x))), nil
		}
	}
	return nil, typeMismatch(e.At, "."+e.Name+" on a %s", x)
}

func toIndex(at Pos, v any, n int, end bool) (int, error) {
	i, ok := v.(*big.Int)
	if !ok {
		return 0, typeMismatch(at, "an index must be an int, not %s", v)
	}
	limit := n - 1
	if end {
		limit = n
	}
	if i.Sign() < 0 || !i.IsInt64() || i.Int64() > int64(limit) {
		return 0, &EvalError{Pos: at, Msg: fmt.Sprintf("index %s out of range for length %d", i, n)}
	}
	return int(i.Int64()), nil
}

func (en *env) index(e *Index) (any, error) {
	x, errX := en.eval(e.X)
	i, errI := en.eval(e.Index)
	if errX != nil {
		return nil, errX
	}
	if errI != nil {
		return nil, errI
	}
	switch x := x.(type) {
	case []any:
		n, err := toIndex(e.At, i, len(x), false)
		if err != nil {
			return nil, err
		}
		return x[n], nil
	case string:
		r := []rune(x)
		n, err := toIndex(e.At, i, len(r), false)
		if err != nil {
			return nil, err
		}
		return string(r[n]), nil
	case map[string]any:
		k, ok := i.(string)
		if !ok {
			return nil, typeMismatch(e.At, "a map key must be a string, not %s", i)
		}
		v, has := x[k]
		if !has || v == nil {
			return nil, &EvalError{Pos: e.At, Msg: fmt.Sprintf("key does not exist: '%s'", k)}
		}
		return v, nil
	}
	return nil, typeMismatch(e.At, "a %s cannot be indexed", x)
}

func (en *env) slice(e *Slice) (any, error) {
	x, errX := en.eval(e.X)
	lo, errL := en.eval(e.Lo)
	hi, errH := en.eval(e.Hi)
	for _, err := range []error{errX, errL, errH} {
		if err != nil {
			return nil, err
		}
	}
	bounds := func(n int) (int, int, error) {
		a, err := toIndex(e.At, lo, n, true)
		if err != nil {
			return 0, 0, err
		}
		b, err := toIndex(e.At, hi, n, true)
		if err != nil {
			return 0, 0, err
		}
		if a > b {
			return 0, 0, &EvalError{Pos: e.At, Msg: fmt.Sprintf("range %d..%d ends before it starts", a, b)}
		}
		return a, b, nil
	}
	switch x := x.(type) {
	case []any:
		a, b, err := bounds(len(x))
		if err != nil {
			return nil, err
		}
		return x[a:b], nil
	case string:
		r := []rune(x)
		a, b, err := bounds(len(r))
		if err != nil {
			return nil, err
		}
		return string(r[a:b]), nil
	}
	return nil, typeMismatch(e.At, "a %s has no range", x)
}

func (en *env) call(e *Call) (any, error) {
	x, err := en.eval(e.X)
	if err != nil {
		return nil, err
	}
	l, ok := x.([]any)
	if !ok {
		return nil, typeMismatch(e.At, e.Name+"() needs a list, not %s", x)
	}
	switch e.Name {
	case "count":
		return big.NewInt(int64(len(l))), nil
	case "contains":
		v, err := en.eval(e.Args[0])
		if err != nil {
			return nil, err
		}
		return contains(l, v), nil
	}
	name := e.Args[0].(*Ident).Name
	var kept []any
	all, anyTrue := true, false
	for _, item := range l {
		en.vars = append(en.vars, varBinding{name, item})
		v, err := en.eval(e.Args[1])
		en.vars = en.vars[:len(en.vars)-1]
		if err != nil {
			return nil, err
		}
		b, ok := v.(bool)
		if !ok {
			return nil, typeMismatch(e.Args[1].Pos(), "the predicate of "+e.Name+" must be a bool, not %s", v)
		}
		all = all && b
		anyTrue = anyTrue || b
		if b {
			kept = append(kept, item)
		}
	}
	switch e.Name {
	case "all":
		return all, nil
	case "any":
		return anyTrue, nil
	}
	if kept == nil {
		kept = []any{}
	}
	return kept, nil
}
