package main

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
)

// This file renders the types encode.go resolves as the Go source of
// sdk/encode_request.gen.go. The helpers the output calls (appendString,
// appendMarshal, appendReflect, belowMinimum, fieldPath) are in
// sdk/encode_body.go; encodeFailed and checkBounds in sdk/encode.go.

func (t *encType) encFunc() string { return "enc" + mangle(t.GoType) }
func (t *encType) chkFunc() string { return "chk" + mangle(t.GoType) }

// results is the result list of t's encoder.
func (t *encType) results() string {
	if t.fails {
		return "([]byte, error)"
	}
	return "[]byte"
}

// ret is what t's encoder returns after it wrote its value.
func (t *encType) ret(b string) string {
	if t.fails {
		return b + ", nil"
	}
	return b
}

// addr is the Go expression of a pointer to the addressable expression x.
func addr(x string) string {
	if p, ok := strings.CutPrefix(x, "*"); ok {
		return p
	}
	return "&" + x
}

// conv converts x to the predeclared type to if t is another type.
func conv(t *encType, to, x string) string {
	if t.GoType == to {
		return x
	}
	return to + "(" + x + ")"
}

// encodeValue writes the statements that append x, an addressable value of
// type t, to b.
func encodeValue(w *bytes.Buffer, t *encType, x string) {
	var call string
	switch t.Kind {
	case encString:
		call = "appendString(b, " + conv(t, "string", x) + ")"
	case encBool:
		call = "strconv.AppendBool(b, " + conv(t, "bool", x) + ")"
	case encInt:
		call = "strconv.AppendInt(b, " + conv(t, "int64", x) + ", 10)"
	case encUint:
		call = "strconv.AppendUint(b, " + conv(t, "uint64", x) + ", 10)"
	case encStruct:
		call = t.encFunc() + "(b, " + addr(x) + ")"
	case encPointer, encSlice, encMap:
		call = t.encFunc() + "(b, " + x + ")"
	case encMarshal:
		call = "appendMarshal(b, " + x + ")"
	case encAny:
		call = "appendReflect(b, " + x + ")"
	default:
		call = "appendReflect(b, " + addr(x) + ")"
	}
	if !t.fails {
		fmt.Fprintf(w, "b = %s\n", call)
		return
	}
	fmt.Fprintf(w, "if b, err = %s; err != nil {\nreturn b, err\n}\n", call)
}

// checkValue writes the statements that check the bounds in x, an
// addressable value of type t at the JSON path path, as checkBounds does.
func checkValue(w *bytes.Buffer, t *encType, x, path string) {
	var call string
	switch t.Kind {
	case encStruct:
		call = t.chkFunc() + "(op, " + addr(x) + ", " + path + ")"
	case encPointer, encSlice:
		call = t.chkFunc() + "(op, " + x + ", " + path + ")"
	case encAny:
		call = "checkBounds(op, reflect.ValueOf(" + x + "), (" + path + ").String())"
	default:
		call = "checkBounds(op, reflect.ValueOf(" + addr(x) + "), (" + path + ").String())"
	}
	fmt.Fprintf(w, "if err := %s; err != nil {\nreturn err\n}\n", call)
}

// nonEmpty is the condition under which encoding/json writes a field of
// type t, value x, tagged omitempty; "" if always.
func (g *encoderGen) nonEmpty(t *encType, x string) string {
	switch t.Under {
	case "string":
		return x + ` != ""`
	case "bool":
		return x
	case "int", "number":
		return x + " != 0"
	case "pointer", "interface":
		return x + " != nil"
	case "slice", "byteslice", "map":
		return "len(" + x + ") != 0"
	case "struct":
		return ""
	}
	g.err = fmt.Errorf("encoder: an omitempty field of type %s, whose kind the models do not show", t.GoType)
	return ""
}

// renderStruct writes the encoder of a struct type.
func (g *encoderGen) renderStruct(w *bytes.Buffer, t *encType) {
	var body bytes.Buffer
	always, needStart := false, false
	n := 0
	for _, f := range t.Fields {
		if f.Skip {
			continue
		}
		x := "v." + f.Name
		cond := ""
		if f.Omit {
			cond = g.nonEmpty(f.Type, x)
		}
		if cond != "" {
			fmt.Fprintf(&body, "if %s {\n", cond)
		}
		sep := ","
		switch {
		case n == 0:
			sep = ""
		case !always:
			needStart, sep = true, ""
			body.WriteString("if len(b) != start {\nb = append(b, ',')\n}\n")
		}
		fmt.Fprintf(&body, "b = append(b, %s...)\n", memberLiteral(sep, f.JSON))
		if !f.Omit && f.Type.Under == "slice" { // a required array: [] for nil
			fmt.Fprintf(&body, "if %s == nil {\nb = append(b, \"[]\"...)\n} else {\n", x)
			encodeValue(&body, f.Type, x)
			body.WriteString("}\n")
		} else {
			encodeValue(&body, f.Type, x)
		}
		if cond != "" {
			body.WriteString("}\n")
		}
		always = always || cond == ""
		n++
	}
	fmt.Fprintf(w, "\n// %s appends the JSON object of *v to b.\nfunc %s(b []byte, v *%s) %s {\n",
		t.encFunc(), t.encFunc(), t.GoType, t.results())
	if t.fails {
		w.WriteString("var err error\n")
	}
	w.WriteString("b = append(b, '{')\n")
	if needStart {
		w.WriteString("start := len(b)\n")
	}
	w.Write(body.Bytes())
	fmt.Fprintf(w, "return %s\n}\n", t.ret("append(b, '}')"))
}

// renderEncoder writes the encoder of a struct, slice, pointer or map type.
func (g *encoderGen) renderEncoder(w *bytes.Buffer, t *encType) {
	if t.Kind == encStruct {
		g.renderStruct(w, t)
		return
	}
	param, what := map[string]string{encSlice: "s", encPointer: "p", encMap: "m"}[t.Kind],
		map[string]string{encSlice: "JSON array of s", encPointer: "JSON value of *p", encMap: "JSON object of m (keys sorted)"}[t.Kind]
	fmt.Fprintf(w, "\n// %s appends to b the %s, null if %s is nil.\nfunc %s(b []byte, %s %s) %s {\n",
		t.encFunc(), what, param, t.encFunc(), param, t.GoType, t.results())
	fmt.Fprintf(w, "if %s == nil {\nreturn %s\n}\n", param, t.ret(`append(b, "null"...)`))
	if t.fails {
		w.WriteString("var err error\n")
	}
	switch t.Kind {
	case encSlice:
		w.WriteString("b = append(b, '[')\nfor i := range s {\nif i > 0 {\nb = append(b, ',')\n}\n")
		encodeValue(w, t.Elem, "s[i]")
		fmt.Fprintf(w, "}\nreturn %s\n}\n", t.ret("append(b, ']')"))
	case encPointer:
		encodeValue(w, t.Elem, "*p")
		fmt.Fprintf(w, "return %s\n}\n", t.ret("b"))
	case encMap:
		w.WriteString("b = append(b, '{')\nfor i, k := range slices.Sorted(maps.Keys(m)) {\nif i > 0 {\nb = append(b, ',')\n}\n")
		w.WriteString("b = appendString(b, string(k))\nb = append(b, ':')\nx := m[k]\n")
		encodeValue(w, t.Elem, "x")
		fmt.Fprintf(w, "}\nreturn %s\n}\n", t.ret("append(b, '}')"))
	}
}

// renderCheck writes the bounds check of a struct, slice or pointer type.
func (g *encoderGen) renderCheck(w *bytes.Buffer, t *encType) {
	param := map[string]string{encStruct: "v", encSlice: "s", encPointer: "p"}[t.Kind]
	fmt.Fprintf(w, "\n// %s checks the documented bounds in %s as checkBounds does; at is its JSON path.\n",
		t.chkFunc(), map[string]string{encStruct: "*v", encSlice: "the elements of s", encPointer: "*p"}[t.Kind])
	goType := t.GoType
	if t.Kind == encStruct {
		goType = "*" + goType
	}
	fmt.Fprintf(w, "func %s(op *Operation, %s %s, at *fieldPath) error {\n", t.chkFunc(), param, goType)
	switch t.Kind {
	case encStruct:
		for _, f := range t.Fields {
			path := fmt.Sprintf("&fieldPath{parent: at, name: %q}", f.JSON)
			if f.Min != nil {
				fmt.Fprintf(w, "if v.%s < %d {\nreturn belowMinimum(op, %s, %q, int64(v.%s))\n}\n", f.Name, *f.Min, path, f.Name, f.Name)
			}
			if f.Type.bounds {
				checkValue(w, f.Type, "v."+f.Name, path)
			}
		}
	case encSlice:
		w.WriteString("for i := range s {\n")
		checkValue(w, t.Elem, "s[i]", "&fieldPath{parent: at, index: i}")
		w.WriteString("}\n")
	case encPointer:
		w.WriteString("if p == nil {\nreturn nil\n}\n")
		checkValue(w, t.Elem, "*p", "at")
	}
	w.WriteString("return nil\n}\n")
}

// render writes the generated file: for each request type name (roots,
// sorted, with their resolved types), a body type the typed methods send
// and its encode method; the list of them for the tests; then the encoders
// and checks of the types they reach.
func (g *encoderGen) render(w *bytes.Buffer, names []string, roots []*encType) {
	var body bytes.Buffer
	listed := map[*encType]bool{}
	var list []string
	for i, name := range names {
		r := roots[i]
		fmt.Fprintf(&body, "\n// body%s is gen.%s with its encoder, as the typed methods send it.\ntype body%s gen.%s\n", name, name, name, name)
		fmt.Fprintf(&body, "\n// encode appends the body of the request to b, after checking its bounds.\nfunc (v *body%s) encode(op *Operation, b []byte) ([]byte, error) {\nr := (*gen.%s)(v)\n", name, name)
		if r.chk {
			fmt.Fprintf(&body, "if err := %s(op, r, nil); err != nil {\nreturn b, err\n}\n", r.chkFunc())
		}
		if r.fails {
			fmt.Fprintf(&body, "b, err := %s(b, r)\nif err != nil {\nreturn b, encodeFailed(op, err)\n}\nreturn b, nil\n}\n", r.encFunc())
		} else {
			fmt.Fprintf(&body, "return %s(b, r), nil\n}\n", r.encFunc())
		}
		if !listed[r] {
			listed[r] = true
			list = append(list, name)
		}
	}
	body.WriteString("\n// generatedRequestTypes lists, for the tests, each request type with\n// generated encoders and its body type, as nil pointers.\nfunc generatedRequestTypes() [][2]any {\nreturn [][2]any{\n")
	for _, name := range list {
		fmt.Fprintf(&body, "{(*gen.%s)(nil), (*body%s)(nil)},\n", name, name)
	}
	body.WriteString("}\n}\n")

	var types []*encType
	seen := map[*encType]bool{} // an alias and the type it names are one
	for _, t := range g.types {
		if !seen[t] {
			seen[t] = true
			types = append(types, t)
		}
	}
	sort.Slice(types, func(i, j int) bool { return types[i].encFunc() < types[j].encFunc() })
	for _, t := range types {
		if t.enc && (t.Kind == encStruct || t.Kind == encSlice || t.Kind == encPointer || t.Kind == encMap) {
			g.renderEncoder(&body, t)
		}
	}
	for _, t := range types {
		if t.chk && (t.Kind == encStruct || t.Kind == encSlice || t.Kind == encPointer) {
			g.renderCheck(&body, t)
		}
	}

	w.WriteString("// Code generated by internal/cmd/gensdk from gen/models.gen.go and the minimums of sdk/encode.go. DO NOT EDIT.\n\npackage sdk\n\nimport (\n")
	for _, imp := range []string{"maps", "reflect", "slices", "strconv"} {
		if bytes.Contains(body.Bytes(), []byte(imp+".")) {
			fmt.Fprintf(w, "%q\n", imp)
		}
	}
	w.WriteString("\n\"github.com/turnkey-go/turnkey/gen\"\n)\n")
	w.Write(body.Bytes())
}
