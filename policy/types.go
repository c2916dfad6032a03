package policy

import (
	"slices"
	"strings"
)

// Kind is the kind of a Type.
type Kind int

// The kinds of the language's types. KindDynamic is a value whose type only
// evaluation knows (a contract call argument, an EIP-712 message field).
const (
	KindBool Kind = iota
	KindInt
	KindString
	KindList
	KindStruct
	KindMap
	KindDynamic
)

// Type is a type of the policy language.
type Type struct {
	Kind   Kind
	Elem   *Type            // lists and maps (the value type)
	Name   string           // structs
	Fields map[string]*Type // structs
}

// The primitive types.
var (
	Bool    = &Type{Kind: KindBool}
	Int     = &Type{Kind: KindInt}
	String  = &Type{Kind: KindString}
	Dynamic = &Type{Kind: KindDynamic}
)

// ListOf is list<elem>.
func ListOf(elem *Type) *Type { return &Type{Kind: KindList, Elem: elem} }

// MapOf is map<string, elem>.
func MapOf(elem *Type) *Type { return &Type{Kind: KindMap, Elem: elem} }

func structOf(name string, fields map[string]*Type) *Type {
	return &Type{Kind: KindStruct, Name: name, Fields: fields}
}

func (t *Type) String() string {
	switch t.Kind {
	case KindBool:
		return "bool"
	case KindInt:
		return "int"
	case KindString:
		return "string"
	case KindList:
		return "list<" + t.Elem.String() + ">"
	case KindMap:
		return "map<string, " + t.Elem.String() + ">"
	case KindStruct:
		return t.Name
	}
	return "dynamic"
}

// FieldNames lists a struct's fields, sorted.
func (t *Type) FieldNames() []string {
	names := make([]string, 0, len(t.Fields))
	for n := range t.Fields {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// same reports whether values of a and b may be compared with == and !=.
func same(a, b *Type) bool {
	if a.Kind == KindDynamic || b.Kind == KindDynamic {
		return true
	}
	if a.Kind != b.Kind {
		return false
	}
	switch a.Kind {
	case KindList, KindMap:
		return same(a.Elem, b.Elem)
	case KindStruct:
		return a.Name == b.Name
	}
	return true
}

// unify is the common type of list elements a and b, or nil.
func unify(a, b *Type) *Type {
	switch {
	case a.Kind == KindDynamic:
		return b
	case b.Kind == KindDynamic:
		return a
	case same(a, b):
		return a
	}
	return nil
}

func article(t *Type) string {
	s := t.String()
	if strings.ContainsRune("aeiou", rune(s[0])) {
		return "an " + s
	}
	return "a " + s
}
