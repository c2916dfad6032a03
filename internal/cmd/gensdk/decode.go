package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"go/types"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"text/template"
	"unicode"
)

// This file writes sdk/decode_activity.gen.go: decoders, one function per
// struct, slice and pointer type, for the answers that carry activities (the
// response types of the operations decoded by decodeActivities). They walk
// the JSON with jsontext's token API and assign the fields directly, instead
// of through JSON v2's reflection, with JSON v2's semantics under the
// options of decodeActivities (sdk/decode.go): exact, case-sensitive member
// names; unknown members skipped; null sets the zero value (nil for pointers
// and slices); the last of duplicate names wins; an empty array gives an
// empty, non-nil slice. The open structs (openStructs: an activity's intent
// and result) are walked too, with the semantics of the unmarshalers that
// decodeActivities' reflect options register for them (decodeOpen in
// sdk/decode.go). Whatever the walk does not handle itself is handed back to
// JSON v2 on the same decoder (json.UnmarshalDecode), which keeps its
// semantics by construction:
//   - any type with an unmarshal method of its own (oapi-codegen's unions);
//   - any kind or struct tag the walk does not know (maps, interfaces,
//     floats, unsigned integers, []byte, embedded fields, tag options other
//     than omitempty and omitzero, types of other packages).

// openStructs are the models that the reflect options of decodeActivities
// (sdk/decode.go, activityOptions) decode with decodeOpen instead of their
// UnmarshalJSON methods: the members the struct knows into its fields, any
// other into AdditionalProperties, as the raw JSON of the input; nil when
// there is none. A null leaves the known fields as they are and sets
// AdditionalProperties to nil, as decodeOpen does.
var openStructs = map[string]bool{"Intent": true, "Result": true}

// extraField is the field of an open struct that holds its other members,
// as oapi-codegen declares it.
const extraField = "AdditionalProperties map[string]json.RawMessage `json:\"-\"`"

// unmarshalMethods are the methods through which JSON v2 lets a type decode
// itself.
var unmarshalMethods = map[string]bool{"UnmarshalJSON": true, "UnmarshalJSONFrom": true, "UnmarshalText": true}

// modelTypes holds the type declarations of the models file and the methods
// declared on each type (on T or *T; ptrMethods: those on *T).
type modelTypes struct {
	specs      map[string]*ast.TypeSpec
	methods    map[string]map[string]bool
	ptrMethods map[string]map[string]bool
}

func parseModelTypes(path string) (*modelTypes, error) {
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
	if err != nil {
		return nil, err
	}
	m := &modelTypes{specs: map[string]*ast.TypeSpec{}, methods: map[string]map[string]bool{}, ptrMethods: map[string]map[string]bool{}}
	for _, decl := range f.Decls {
		switch d := decl.(type) {
		case *ast.GenDecl:
			if d.Tok != token.TYPE {
				continue
			}
			for _, spec := range d.Specs {
				ts := spec.(*ast.TypeSpec)
				m.specs[ts.Name.Name] = ts
			}
		case *ast.FuncDecl:
			if d.Recv == nil || len(d.Recv.List) != 1 {
				continue
			}
			recv := d.Recv.List[0].Type
			star, isPtr := recv.(*ast.StarExpr)
			if isPtr {
				recv = star.X
			}
			if id, ok := recv.(*ast.Ident); ok {
				addMethod(m.methods, id.Name, d.Name.Name)
				if isPtr {
					addMethod(m.ptrMethods, id.Name, d.Name.Name)
				}
			}
		}
	}
	return m, nil
}

// addMethod records the method name of type typ in methods.
func addMethod(methods map[string]map[string]bool, typ, name string) {
	if methods[typ] == nil {
		methods[typ] = map[string]bool{}
	}
	methods[typ][name] = true
}

// Kinds of decoded types.
const (
	kindString   = "string"   // a string or a named string type
	kindBool     = "bool"     // bool
	kindInt      = "int"      // a signed integer type
	kindPointer  = "pointer"  // *T
	kindSlice    = "slice"    // []T
	kindStruct   = "struct"   // a struct type of the models
	kindDelegate = "delegate" // decoded by JSON v2 (json.UnmarshalDecode)
)

// decType is one Go type the generated decoders handle.
type decType struct {
	Kind   string
	GoType string // as written in package sdk: "gen.Vote", "*[]gen.AppProof", "string"
	Bits   int    // of an integer type; 0 for int
	Elem   *decType
	Fields []decField // of a struct, in declaration order
	Open   bool       // of a struct: one of openStructs
	Func   string     // the decoding function of a struct, slice or pointer
}

// decField is one field of a struct and the JSON member name it is decoded from.
type decField struct {
	Name string // Go name
	JSON string // member name
	Type *decType
}

// decoderGen resolves the types reachable from the roots.
type decoderGen struct {
	m     *modelTypes
	types map[string]*decType // by GoType
	order []*decType          // struct, slice and pointer types, for output
	// members are the members of the open structs that the walk decodes:
	// the intents and results of the activity versions the typed methods
	// send. The others (activities of other types, read by get_activity
	// and list_activities) are left to JSON v2, so that the generated code
	// grows with the operations, not with every activity type of the spec.
	members map[string]bool
}

var intBits = map[string]int{"int": 0, "int8": 8, "int16": 16, "int32": 32, "int64": 64}

// named resolves the model type name.
func (g *decoderGen) named(name string) *decType {
	goType := "gen." + name
	if t, ok := g.types[goType]; ok {
		return t
	}
	ts, ok := g.m.specs[name]
	if !ok {
		return g.delegate(goType)
	}
	if ts.Assign.IsValid() { // an alias: the type it names
		t := g.expr(ts.Type)
		g.types[goType] = t
		return t
	}
	hasMethod := false
	for meth := range g.m.methods[name] {
		hasMethod = hasMethod || unmarshalMethods[meth]
	}
	if openStructs[name] {
		return g.open(name, ts)
	}
	if hasMethod || ts.TypeParams != nil {
		return g.delegate(goType)
	}
	switch u := ts.Type.(type) {
	case *ast.Ident:
		switch {
		case u.Name == "string":
			return g.add(&decType{Kind: kindString, GoType: goType})
		case u.Name == "bool":
			return g.add(&decType{Kind: kindBool, GoType: goType})
		default:
			if bits, ok := intBits[u.Name]; ok {
				return g.add(&decType{Kind: kindInt, GoType: goType, Bits: bits})
			}
		}
	case *ast.StructType:
		t := g.add(&decType{Kind: kindStruct, GoType: goType, Func: "dec" + name})
		fields, ok := g.structFields(u)
		if !ok {
			*t = decType{Kind: kindDelegate, GoType: goType}
			return t
		}
		t.Fields = fields
		g.order = append(g.order, t)
		return t
	}
	return g.delegate(goType)
}

// open resolves one of openStructs: a struct whose last field is extraField
// and whose other fields the walk decodes. Anything else is an error of the
// generator, not a type to leave to JSON v2, whose reflect options decode it
// with decodeOpen.
func (g *decoderGen) open(name string, ts *ast.TypeSpec) *decType {
	st, ok := ts.Type.(*ast.StructType)
	if !ok || len(st.Fields.List) == 0 {
		panic(fmt.Sprintf("gensdk: decoder: open struct %s is not a struct", name))
	}
	last := st.Fields.List[len(st.Fields.List)-1]
	if len(last.Names) != 1 || last.Tag == nil ||
		last.Names[0].Name+" "+types.ExprString(last.Type)+" "+last.Tag.Value != extraField {
		panic(fmt.Sprintf("gensdk: decoder: open struct %s does not end with %s", name, extraField))
	}
	t := g.add(&decType{Kind: kindStruct, GoType: "gen." + name, Open: true, Func: "dec" + name})
	fields, ok := g.structFieldsOf(&ast.StructType{Fields: &ast.FieldList{List: st.Fields.List[:len(st.Fields.List)-1]}}, g.members)
	if !ok {
		panic(fmt.Sprintf("gensdk: decoder: open struct %s has fields the walk does not decode", name))
	}
	t.Fields = fields
	g.order = append(g.order, t)
	return t
}

// structFields returns the fields of a struct as JSON v2 sees them, or false
// if the struct has anything the walk leaves to JSON v2.
func (g *decoderGen) structFields(st *ast.StructType) ([]decField, bool) {
	return g.structFieldsOf(st, nil)
}

// structFieldsOf is structFields, with the types of the members not in
// walk (if walk is not nil) left to JSON v2.
func (g *decoderGen) structFieldsOf(st *ast.StructType, walk map[string]bool) ([]decField, bool) {
	var fields []decField
	seen := map[string]bool{}
	for _, fld := range st.Fields.List {
		if len(fld.Names) == 0 {
			return nil, false // embedded: JSON v2 inlines it
		}
		tag := ""
		if fld.Tag != nil {
			tag, _ = strconv.Unquote(fld.Tag.Value)
		}
		jsonTag, _ := reflect.StructTag(tag).Lookup("json")
		for _, n := range fld.Names {
			if !n.IsExported() || jsonTag == "-" {
				continue
			}
			name, opts, _ := strings.Cut(jsonTag, ",")
			if name == "" {
				name = n.Name
			}
			if strings.HasPrefix(name, "'") || !validName(name) || seen[name] {
				return nil, false
			}
			for opt := range strings.SplitSeq(opts, ",") {
				if opt != "" && opt != "omitempty" && opt != "omitzero" {
					return nil, false
				}
			}
			seen[name] = true
			var t *decType
			if walk == nil || walk[name] {
				t = g.expr(fld.Type)
			} else {
				// Not registered under its type: another member of the
				// same type may still be walked.
				t = &decType{Kind: kindDelegate, GoType: exprString(fld.Type)}
			}
			fields = append(fields, decField{Name: n.Name, JSON: name, Type: t})
		}
	}
	return fields, true
}

// validName reports whether the generated code can compare name, as Go
// string literal, with the unquoted member names: no U+FFFD, which stands in
// for invalid UTF-8, and nothing to escape.
func validName(name string) bool {
	for _, r := range name {
		if r == unicode.ReplacementChar || r < ' ' || r == '"' || r == '\\' {
			return false
		}
	}
	return name != ""
}

// expr resolves a type expression of the models.
func (g *decoderGen) expr(e ast.Expr) *decType {
	switch x := e.(type) {
	case *ast.Ident:
		switch x.Name {
		case "string":
			return g.add(&decType{Kind: kindString, GoType: "string"})
		case "bool":
			return g.add(&decType{Kind: kindBool, GoType: "bool"})
		}
		if bits, ok := intBits[x.Name]; ok {
			return g.add(&decType{Kind: kindInt, GoType: x.Name, Bits: bits})
		}
		if _, ok := g.m.specs[x.Name]; ok {
			return g.named(x.Name)
		}
		return g.delegate(x.Name) // any other predeclared type
	case *ast.StarExpr:
		elem := g.expr(x.X)
		goType := "*" + elem.GoType
		if t, ok := g.types[goType]; ok {
			return t
		}
		t := g.add(&decType{Kind: kindPointer, GoType: goType, Elem: elem, Func: "dec" + mangle(goType)})
		g.order = append(g.order, t)
		return t
	case *ast.ArrayType:
		elem := g.expr(x.Elt)
		goType := "[]" + elem.GoType
		if x.Len != nil {
			return g.delegate(exprString(e))
		}
		if t, ok := g.types[goType]; ok {
			return t
		}
		if elem.GoType == "byte" || elem.GoType == "uint8" || elem.Kind == kindDelegate && !strings.HasPrefix(elem.GoType, "gen.") {
			return g.delegate(goType) // []byte is base64; leave odd elements to JSON v2 too
		}
		t := g.add(&decType{Kind: kindSlice, GoType: goType, Elem: elem, Func: "dec" + mangle(goType)})
		g.order = append(g.order, t)
		return t
	}
	return g.delegate(exprString(e))
}

func (g *decoderGen) add(t *decType) *decType {
	if old, ok := g.types[t.GoType]; ok {
		return old
	}
	g.types[t.GoType] = t
	return t
}

func (g *decoderGen) delegate(goType string) *decType {
	return g.add(&decType{Kind: kindDelegate, GoType: goType})
}

// exprString writes a type expression the walk does not resolve, for the
// generated code; its named types are the models'.
func exprString(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.Ident:
		if x.IsExported() {
			return "gen." + x.Name
		}
		return x.Name
	case *ast.StarExpr:
		return "*" + exprString(x.X)
	case *ast.ArrayType:
		if x.Len == nil {
			return "[]" + exprString(x.Elt)
		}
		if lit, ok := x.Len.(*ast.BasicLit); ok {
			return "[" + lit.Value + "]" + exprString(x.Elt)
		}
	case *ast.MapType:
		return "map[" + exprString(x.Key) + "]" + exprString(x.Value)
	case *ast.InterfaceType:
		if len(x.Methods.List) == 0 {
			return "any"
		}
	}
	panic(fmt.Sprintf("gensdk: decoder: unsupported type expression %T in the models", e))
}

// mangler splits a Go type into the words of its mangled name.
var mangler = strings.NewReplacer("*", " Ptr ", "[]", " Slice ", "map[", " Map ", "]", " ", "gen.", " ")

// mangle turns a Go type into part of a function name: "*[]gen.AppProof"
// gives "PtrSliceAppProof", "*string" "PtrString", "*map[string]any"
// "PtrMapStringAny".
func mangle(goType string) string {
	var b strings.Builder
	for _, w := range strings.Fields(mangler.Replace(goType)) {
		b.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	return b.String()
}

// writeDecoders renders the decoders of the root types (model names); of
// the open structs, the walk decodes members (nil: all) and leaves the
// others to JSON v2.
func writeDecoders(m *modelTypes, roots []string, members map[string]bool) ([]byte, error) {
	g := &decoderGen{m: m, types: map[string]*decType{}, members: members}
	sort.Strings(roots)
	var rootTypes []*decType
	for _, r := range roots {
		t := g.named(r)
		if t.Kind != kindStruct {
			return nil, fmt.Errorf("decoder: answer type %s is not a struct the walk decodes", r)
		}
		rootTypes = append(rootTypes, t)
	}
	sort.Slice(g.order, func(i, j int) bool { return g.order[i].Func < g.order[j].Func })
	var buf bytes.Buffer
	if err := decodeTmpl.Execute(&buf, struct {
		Roots, Types []*decType
	}{rootTypes, g.order}); err != nil {
		return nil, err
	}
	src, err := format.Source(buf.Bytes())
	if err != nil {
		return nil, fmt.Errorf("format: %w\n%s", err, buf.Bytes())
	}
	return src, nil
}

// decodeTmpl renders sdk/decode_activity.gen.go. The helpers it calls
// (decodeString, decodeBool, decodeInt, openComposite, memberName,
// decodeExtraMember) are in sdk/decode.go.
var decodeTmpl = template.Must(template.New("decode").Funcs(template.FuncMap{
	"ref": func(t *decType, ref string) valueRef { return valueRef{t, ref} },
}).Parse(`// Code generated by internal/cmd/gensdk from gen/models.gen.go. DO NOT EDIT.

package sdk

import (
	json "github.com/go-json-experiment/json"

	"github.com/turnkey-go/turnkey/gen"
)

{{define "value"}}
{{- if eq .Type.Kind "string"}}decodeString(d, {{.Ref}})
{{- else if eq .Type.Kind "bool"}}decodeBool(d, {{.Ref}})
{{- else if eq .Type.Kind "int"}}decodeInt(d, {{.Ref}}, {{.Type.Bits}})
{{- else if eq .Type.Kind "delegate"}}json.UnmarshalDecode(&d.Decoder, {{.Ref}})
{{- else}}{{.Type.Func}}(d, {{.Ref}})
{{- end}}{{end}}

// generatedDecoder reports whether decodeGenerated decodes into out: a
// non-nil pointer to an answer type that carries activities.
func generatedDecoder(out any) bool {
	switch v := out.(type) {
{{- range .Roots}}
	case *{{.GoType}}:
		return v != nil
{{- end}}
	}
	return false
}

// decodeGenerated decodes the next JSON value of d into out, for which
// generatedDecoder is true.
func decodeGenerated(d *activityDecoder, out any) error {
	switch v := out.(type) {
{{- range .Roots}}
	case *{{.GoType}}:
		return {{.Func}}(d, v)
{{- end}}
	}
	panic("sdk: decodeGenerated: no decoder for this type")
}
{{range .Types}}
{{- if and (eq .Kind "struct") .Open}}
// {{.Func}} decodes a JSON object into *v: the members it knows into their
// fields, any other into v.AdditionalProperties (nil if there is none). A null
// only sets v.AdditionalProperties to nil, as decodeOpen does.
func {{.Func}}(d *activityDecoder, v *{{.GoType}}) error {
	v.AdditionalProperties = nil
	if isObject, err := openComposite(d, '{', "{{.GoType}}"); !isObject {
		return err
	}
{{- else if eq .Kind "struct"}}
// {{.Func}} decodes a JSON object, or null, into *v.
func {{.Func}}(d *activityDecoder, v *{{.GoType}}) error {
	if isObject, err := openComposite(d, '{', "{{.GoType}}"); !isObject {
		if err == nil {
			*v = {{.GoType}}{}
		}
		return err
	}
{{- end}}
{{- if eq .Kind "struct"}}
	for d.PeekKind() != '}' {
		name, err := memberName(d)
		if err != nil {
			return err
		}
		switch string(name) {
{{- range .Fields}}
		case "{{.JSON}}":
			err = {{template "value" (ref .Type (print "&v." .Name))}}
{{- end}}
		default:
{{- if .Open}}
			err = decodeExtraMember(d, name, &v.AdditionalProperties)
{{- else}}
			err = d.SkipValue()
{{- end}}
		}
		if err != nil {
			return err
		}
	}
	_, err := d.ReadToken()
	return err
}
{{else if eq .Kind "slice"}}
// {{.Func}} decodes a JSON array, or null, into *v.
func {{.Func}}(d *activityDecoder, v *{{.GoType}}) error {
	if isArray, err := openComposite(d, '[', "{{.GoType}}"); !isArray {
		if err == nil {
			*v = nil
		}
		return err
	}
	s := (*v)[:0]
	for d.PeekKind() != ']' {
		var zero {{.Elem.GoType}}
		s = append(s, zero)
		if err := {{template "value" (ref .Elem "&s[len(s)-1]")}}; err != nil {
			*v = s
			return err
		}
	}
	if s == nil {
		s = {{.GoType}}{}
	}
	*v = s
	_, err := d.ReadToken()
	return err
}
{{else if eq .Kind "pointer"}}
// {{.Func}} decodes a JSON value into **v, allocating it if needed; null sets
// *v to nil.
func {{.Func}}(d *activityDecoder, v *{{.GoType}}) error {
	if d.PeekKind() == 'n' {
		*v = nil
		_, err := d.ReadToken()
		return err
	}
	if *v == nil {
		*v = new({{.Elem.GoType}})
	}
	return {{template "value" (ref .Elem "*v")}}
}
{{end}}
{{- end}}`))

// valueRef is a value to decode in the "value" template: its type, and the
// Go expression of a pointer to it.
type valueRef struct {
	Type *decType
	Ref  string
}
