package policy

import "math/big"

// Expr is a node of a parsed expression.
type Expr interface {
	// Pos is where the node starts in the expression's text.
	Pos() Pos
}

// Ident is a keyword (approvers, activity, wallet, ...) or a variable bound
// by a list function (the user in approvers.any(user, ...)).
type Ident struct {
	At   Pos
	Name string
}

// IntLit is an integer literal.
type IntLit struct {
	At    Pos
	Value *big.Int
}

// StringLit is a single-quoted string literal.
type StringLit struct {
	At    Pos
	Value string
}

// BoolLit is true or false.
type BoolLit struct {
	At    Pos
	Value bool
}

// ListLit is [a, b, ...].
type ListLit struct {
	At    Pos
	Elems []Expr
}

// Unary is !x or -x.
type Unary struct {
	At Pos
	Op string
	X  Expr
}

// Binary is x op y, with op one of || && == != < > <= >= in.
type Binary struct {
	At   Pos // the operator's position
	Op   string
	X, Y Expr
}

// Member is x.name, a field access.
type Member struct {
	At   Pos // the name's position
	X    Expr
	Name string
}

// Index is x[i] (a list element, a character, or a map value by key).
type Index struct {
	At       Pos
	X, Index Expr
}

// Slice is x[lo..hi].
type Slice struct {
	At        Pos
	X, Lo, Hi Expr
}

// Call is x.name(args): all, any, filter (whose first argument names the
// item), contains and count.
type Call struct {
	At   Pos // the name's position
	X    Expr
	Name string
	Args []Expr
}

func (e *Ident) Pos() Pos     { return e.At }
func (e *IntLit) Pos() Pos    { return e.At }
func (e *StringLit) Pos() Pos { return e.At }
func (e *BoolLit) Pos() Pos   { return e.At }
func (e *ListLit) Pos() Pos   { return e.At }
func (e *Unary) Pos() Pos     { return e.At }
func (e *Binary) Pos() Pos    { return e.X.Pos() }
func (e *Member) Pos() Pos    { return e.X.Pos() }
func (e *Index) Pos() Pos     { return e.X.Pos() }
func (e *Slice) Pos() Pos     { return e.X.Pos() }
func (e *Call) Pos() Pos      { return e.X.Pos() }
