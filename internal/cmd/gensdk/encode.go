package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// This file writes sdk/encode_request.gen.go: append-style encoders, one
// function per struct, slice, pointer and map type, of the request types of
// the operation table, and bounds checks for the types that can hold a
// bounded field. Each request type gets a body type (type bodyX gen.X)
// whose encode method runs them; the typed methods send their request as
// it, so a program links only the encoders of the methods it calls (a type
// switch in encodeRequest would link them all). They write exactly what
// encodeRequestReflect
// (sdk/encode.go) writes, reflection's encoding/json.Marshal after its
// checkBounds and its [] for nil required arrays:
//   - fields in declaration order, "-" skipped, omitempty by kind;
//   - strings escaped as encoding/json escapes them, HTML characters too
//     (appendString in sdk/encode_body.go);
//   - a nil required array (a slice field without omitempty, not of bytes)
//     as [], any other nil slice, pointer or map as null; map keys sorted;
//   - the minimums of sdk/encode.go checked in checkBounds' order and with
//     its messages and JSON paths.
//
// Whatever the encoders do not write themselves is handed to the reflect
// path, value by value: model types with a MarshalJSON or MarshalText method
// (Intent, Result, Any) go to encoding/json.Marshal (appendMarshal), and
// interfaces and any other type (byte slices, floats, arrays, types of other
// packages, structs with tags the encoders do not know) to
// encodeRequestReflect's walks and encoding/json (appendReflect,
// checkBounds).

// Kinds of encoded types.
const (
	encString  = "string"  // a string or a named string type
	encBool    = "bool"    // a bool or a named bool type
	encInt     = "int"     // a signed integer type
	encUint    = "uint"    // an unsigned integer type
	encPointer = "pointer" // *T
	encSlice   = "slice"   // []T
	encMap     = "map"     // map[K]V with a string kind K
	encStruct  = "struct"  // a struct type of the models
	encMarshal = "marshal" // a model type with its own marshal method, or a pointer to one
	encAny     = "any"     // an interface: its dynamic value goes the reflect way
	encReflect = "reflect" // anything else: the reflect way
)

// marshalMethods are the methods through which encoding/json lets a type
// encode itself.
var marshalMethods = map[string]bool{"MarshalJSON": true, "MarshalText": true}

// encType is one Go type the generated encoders handle.
type encType struct {
	Kind   string
	GoType string // as written in package sdk
	Elem   *encType
	Fields []encField // of a struct, in declaration order, "-" fields too
	Bits   int        // of an integer type; 8 for byte
	// Under is the Go kind of the underlying type, for omitempty, the [] of
	// nil required arrays and the bounds check: "string", "bool", "int",
	// "number" (floats, complex), "pointer", "slice", "byteslice", "map",
	// "interface", "struct" or "other" (unknown: a type of another package).
	Under string

	bounds bool // a bounded field or an interface can be reached by checkBounds
	fails  bool // encoding it can return an error
	enc    bool // it is encoded by a generated function
	chk    bool // it is checked by a generated function
}

// encField is one field of a struct.
type encField struct {
	Name string // Go name
	JSON string // member name
	Type *encType
	Omit bool   // omitempty
	Skip bool   // json:"-": not encoded, but checkBounds walks it
	Min  *int64 // the documented minimum of sdk/encode.go's minimums
}

// encoderGen resolves the types reachable from the request types.
type encoderGen struct {
	m     *modelTypes
	mins  map[string]int64
	types map[string]*encType // by GoType
	err   error
}

// parseMinimums reads the Go field names and minimums of the minimums map
// literal in file (sdk/encode.go), the bounds encodeRequest checks.
func parseMinimums(file string) (map[string]int64, error) {
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
	if err != nil {
		return nil, err
	}
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.VAR {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			if len(vs.Names) != 1 || vs.Names[0].Name != "minimums" || len(vs.Values) != 1 {
				continue
			}
			lit, ok := vs.Values[0].(*ast.CompositeLit)
			if !ok {
				break
			}
			mins := map[string]int64{}
			for _, elt := range lit.Elts {
				var key *ast.BasicLit
				var val *ast.CompositeLit
				if kv, ok := elt.(*ast.KeyValueExpr); ok {
					key, _ = kv.Key.(*ast.BasicLit)
					val, _ = kv.Value.(*ast.CompositeLit)
				}
				if key == nil || val == nil || len(val.Elts) == 0 {
					return nil, fmt.Errorf("%s: minimums: entries must be \"Name\": {min, hint}", file)
				}
				name, _ := strconv.Unquote(key.Value)
				minLit, ok := val.Elts[0].(*ast.BasicLit)
				if !ok || minLit.Kind != token.INT {
					return nil, fmt.Errorf("%s: minimums[%s]: the minimum must be an integer literal", file, name)
				}
				if mins[name], err = strconv.ParseInt(minLit.Value, 0, 64); err != nil {
					return nil, err
				}
			}
			return mins, nil
		}
	}
	return nil, fmt.Errorf("%s: no minimums map", file)
}

func (g *encoderGen) add(t *encType) *encType {
	if old, ok := g.types[t.GoType]; ok {
		return old
	}
	g.types[t.GoType] = t
	return t
}

func (g *encoderGen) reflectKind(goType, under string) *encType {
	return g.add(&encType{Kind: encReflect, GoType: goType, Under: under})
}

// primitive resolves a predeclared type name (bool, string, integers) as
// the type goType, or returns nil.
func (g *encoderGen) primitive(name, goType string) *encType {
	switch {
	case name == "string":
		return g.add(&encType{Kind: encString, GoType: goType, Under: "string"})
	case name == "bool":
		return g.add(&encType{Kind: encBool, GoType: goType, Under: "bool"})
	case name == "int" || name == "int8" || name == "int16" || name == "int32" || name == "int64":
		return g.add(&encType{Kind: encInt, GoType: goType, Under: "int"})
	case name == "uint" || name == "uint16" || name == "uint32" || name == "uint64" || name == "uintptr":
		return g.add(&encType{Kind: encUint, GoType: goType, Under: "int"})
	case name == "uint8" || name == "byte":
		return g.add(&encType{Kind: encUint, GoType: goType, Under: "int", Bits: 8})
	}
	return nil
}

// named resolves the model type name.
func (g *encoderGen) named(name string) *encType {
	goType := "gen." + name
	if t, ok := g.types[goType]; ok {
		return t
	}
	ts, ok := g.m.specs[name]
	if !ok {
		return g.reflectKind(goType, "other")
	}
	if ts.Assign.IsValid() { // an alias: the type it names
		t := g.expr(ts.Type)
		g.types[goType] = t
		return t
	}
	for meth := range g.m.methods[name] {
		if !marshalMethods[meth] {
			continue
		}
		if _, isStruct := ts.Type.(*ast.StructType); !isStruct || g.m.ptrMethods[name][meth] {
			// encoding/json reports a failing pointer method with the
			// value's type, which json.Marshal of a pointer does not.
			g.err = fmt.Errorf("encoder: %s: %s must be a method of a struct value", name, meth)
		}
		return g.add(&encType{Kind: encMarshal, GoType: goType, Under: "struct"})
	}
	if ts.TypeParams != nil {
		return g.reflectKind(goType, "other")
	}
	switch u := ts.Type.(type) {
	case *ast.Ident:
		if t := g.primitive(u.Name, goType); t != nil {
			return t
		}
	case *ast.StructType:
		t := g.add(&encType{Kind: encStruct, GoType: goType, Under: "struct"})
		if !g.structFields(t, u) {
			*t = encType{Kind: encReflect, GoType: goType, Under: "struct"}
		}
		return t
	}
	return g.reflectKind(goType, g.expr(ts.Type).Under)
}

// underOf is the Under of a type expression the encoders leave to the
// reflect path.
func underOf(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.StarExpr:
		return "pointer"
	case *ast.MapType:
		return "map"
	case *ast.InterfaceType:
		return "interface"
	case *ast.StructType:
		return "struct"
	case *ast.ArrayType:
		if x.Len != nil {
			return "other"
		}
		if id, ok := x.Elt.(*ast.Ident); ok && (id.Name == "byte" || id.Name == "uint8") {
			return "byteslice"
		}
		return "slice"
	}
	return "other" // a number, or a type of another package
}

// structFields sets the fields of t, or returns false if the struct has a
// field or tag that encoding/json treats in a way the encoders do not write.
func (g *encoderGen) structFields(t *encType, st *ast.StructType) bool {
	seen := map[string]bool{}
	for _, fld := range st.Fields.List {
		if len(fld.Names) == 0 {
			return false // embedded: encoding/json inlines it
		}
		tag := ""
		if fld.Tag != nil {
			tag, _ = strconv.Unquote(fld.Tag.Value)
		}
		jsonTag := reflect.StructTag(tag).Get("json")
		for _, n := range fld.Names {
			if !n.IsExported() {
				continue
			}
			f := encField{Name: n.Name, Type: g.expr(fld.Type), Skip: jsonTag == "-"}
			name, opts, _ := strings.Cut(jsonTag, ",")
			if f.JSON = name; name == "" || f.Skip {
				f.JSON = n.Name // jsonName's path segment
			}
			for opt := range strings.SplitSeq(opts, ",") {
				if f.Skip || opt == "" {
					continue
				}
				if opt != "omitempty" {
					return false // string, omitzero
				}
				f.Omit = true
			}
			if min, ok := g.mins[n.Name]; ok && f.Type.Under == "int" && f.Type.Kind != encUint {
				f.Min = &min
			}
			if !f.Skip && (!plainName(f.JSON) || seen[f.JSON]) {
				return false // encoding/json drops duplicates, renames odd tags
			}
			seen[f.JSON] = true
			t.Fields = append(t.Fields, f)
		}
	}
	return true
}

// plainName reports whether a member name is one encoding/json takes from a
// tag as it is and the generated code can write without escaping.
func plainName(name string) bool {
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r == '.' || r == '@') {
			return false
		}
	}
	return name != ""
}

// expr resolves a type expression of the models.
func (g *encoderGen) expr(e ast.Expr) *encType {
	switch x := e.(type) {
	case *ast.Ident:
		if t := g.primitive(x.Name, x.Name); t != nil {
			return t
		}
		if x.Name == "any" {
			return g.add(&encType{Kind: encAny, GoType: "any", Under: "interface"})
		}
		if _, ok := g.m.specs[x.Name]; ok {
			return g.named(x.Name)
		}
		return g.reflectKind(x.Name, "number") // float64 and the other predeclared types
	case *ast.InterfaceType:
		if len(x.Methods.List) == 0 {
			return g.add(&encType{Kind: encAny, GoType: "any", Under: "interface"})
		}
	case *ast.StarExpr:
		elem := g.expr(x.X)
		goType := "*" + elem.GoType
		switch elem.Kind {
		case encMarshal: // encoding/json calls the method on the pointer
			return g.add(&encType{Kind: encMarshal, GoType: goType, Under: "pointer"})
		case encReflect, encAny:
			return g.reflectKind(goType, "pointer")
		}
		return g.add(&encType{Kind: encPointer, GoType: goType, Elem: elem, Under: "pointer"})
	case *ast.ArrayType:
		elem := g.expr(x.Elt)
		goType := "[]" + elem.GoType
		if x.Len != nil {
			return g.reflectKind("["+fmt.Sprint(x.Len)+"]"+elem.GoType, "other")
		}
		if elem.Bits == 8 {
			return g.reflectKind(goType, "byteslice") // base64
		}
		if elem.Kind == encReflect {
			return g.reflectKind(goType, "slice")
		}
		return g.add(&encType{Kind: encSlice, GoType: goType, Elem: elem, Under: "slice"})
	case *ast.MapType:
		key, elem := g.expr(x.Key), g.expr(x.Value)
		goType := "map[" + key.GoType + "]" + elem.GoType
		if key.Kind != encString || elem.Kind == encReflect {
			return g.reflectKind(goType, "map")
		}
		return g.add(&encType{Kind: encMap, GoType: goType, Elem: elem, Under: "map"})
	case *ast.SelectorExpr:
		if pkg, ok := x.X.(*ast.Ident); ok {
			return g.reflectKind(pkg.Name+"."+x.Sel.Name, "other")
		}
	}
	return g.reflectKind(fmt.Sprintf("%T", e), underOf(e))
}

// edge is a type another type's encoder or bounds check reaches.
type edge struct {
	t       *encType
	encoded bool // written by the encoder ("-" fields are not)
	walked  bool // walked by checkBounds (maps are not)
}

// children are the types t's encoder or bounds check reaches.
func (t *encType) children() []edge {
	switch t.Kind {
	case encStruct:
		var out []edge
		for _, f := range t.Fields {
			out = append(out, edge{f.Type, !f.Skip, true})
		}
		return out
	case encPointer, encSlice:
		return []edge{{t.Elem, true, true}}
	case encMap:
		return []edge{{t.Elem, true, false}}
	}
	return nil
}

// walkable are the Under kinds of the values that checkBounds may find a
// bounded field in.
var walkable = map[string]bool{"pointer": true, "slice": true, "interface": true, "struct": true, "other": true}

// settle computes bounds and fails of every type to their fixed point,
// then which types the roots' encoders and checks reach.
func (g *encoderGen) settle(roots []*encType) {
	for changed := true; changed; {
		changed = false
		for _, t := range g.types {
			bounds := t.Kind == encAny || t.Kind == encReflect && walkable[t.Under]
			fails := t.Kind == encMarshal || t.Kind == encAny || t.Kind == encReflect
			for _, c := range t.children() {
				bounds = bounds || c.walked && c.t.bounds
				fails = fails || c.encoded && c.t.fails
			}
			for _, f := range t.Fields {
				bounds = bounds || f.Min != nil
			}
			if bounds != t.bounds || fails != t.fails {
				t.bounds, t.fails, changed = bounds, fails, true
			}
		}
	}
	var mark func(t *encType, enc, chk bool)
	mark = func(t *encType, enc, chk bool) {
		enc, chk = enc && !t.enc, chk && t.bounds && !t.chk
		t.enc, t.chk = t.enc || enc, t.chk || chk
		for _, c := range t.children() {
			mark(c.t, enc && c.encoded, chk && c.walked)
		}
	}
	for _, r := range roots {
		mark(r, true, true)
	}
}

// writeEncoders renders the encoders of the root types (model names).
func writeEncoders(m *modelTypes, minimumsFile string, roots []string) ([]byte, error) {
	mins, err := parseMinimums(minimumsFile)
	if err != nil {
		return nil, err
	}
	g := &encoderGen{m: m, mins: mins, types: map[string]*encType{}}
	var rootTypes []*encType
	sort.Strings(roots)
	for _, r := range roots {
		t := g.named(r)
		if t.Kind != encStruct {
			return nil, fmt.Errorf("encoder: request type %s is not a struct the encoders write", r)
		}
		rootTypes = append(rootTypes, t)
	}
	if g.err != nil {
		return nil, g.err
	}
	g.settle(rootTypes)
	var buf bytes.Buffer
	g.render(&buf, roots, rootTypes)
	src, err := format.Source(buf.Bytes())
	if err != nil {
		return nil, fmt.Errorf("format: %w\n%s", err, buf.Bytes())
	}
	return src, nil
}

// memberLiteral is the Go literal of a member name and colon as
// encoding/json writes them, after sep.
func memberLiteral(sep, name string) string {
	q, _ := json.Marshal(name) // with encoding/json's HTML escaping
	return strconv.Quote(sep + string(q) + ":")
}
