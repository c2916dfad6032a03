package sdk

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"sync"
)

// encodeRequest is how every request body is made: it checks the request's
// documented bounds, sends nil required arrays as [] instead of null, and
// marshals it. The request value is never modified.
//
// Which arrays are required comes from the generated types, and so from the
// spec: oapi-codegen gives a required array a json tag without omitempty.
// Turnkey documents such arrays as "send an empty array if none" and rejects
// null for them.
//
// The typed methods send their requests as the body types of
// encode_request.gen.go (a request type of the operation table with the
// encoder internal/cmd/gensdk generates for it), which are written without
// reflection; any other value (SubmitActivity's and Query's) is written by
// encodeRequestReflect, which is also the reference the generated encoders
// are tested against (encode_gen_test.go): both give the same bytes and the
// same errors. (A type switch over the request types here would link every
// encoder into every program; through the typed methods, a program links
// the encoders of the methods it calls.)
func encodeRequest(op *Operation, req any) ([]byte, error) {
	g, ok := req.(generatedRequest)
	if !ok {
		return encodeRequestReflect(op, req)
	}
	buf, _ := bodyPool.Get().(*[]byte)
	if buf == nil {
		buf = new([]byte)
	}
	b, err := g.encode(op, (*buf)[:0])
	var body []byte
	if err == nil {
		body = append([]byte(nil), b...) // the body is kept for retries: its own copy
	}
	if cap(b) <= maxPooledBody {
		*buf = b
		bodyPool.Put(buf)
	}
	return body, err
}

// generatedRequest is a non-nil pointer to a body type of
// encode_request.gen.go, whose encode method checks the request's bounds
// and appends its body to b.
type generatedRequest interface {
	encode(op *Operation, b []byte) ([]byte, error)
}

// bodyPool holds the buffers the generated encoders write into; a body is
// copied out at its size, in one allocation.
var bodyPool sync.Pool // of *[]byte

// maxPooledBody is the largest buffer bodyPool keeps.
const maxPooledBody = 64 << 10

// encodeRequestReflect is encodeRequest by reflection, for any value: it
// walks req for bounds and nil required arrays, then calls
// encoding/json.Marshal.
func encodeRequestReflect(op *Operation, req any) ([]byte, error) {
	v := reflect.ValueOf(req)
	if err := checkBounds(op, v, ""); err != nil {
		return nil, err
	}
	if needsArrays(v) {
		req = withArrays(v).Interface()
	}
	body, err := json.Marshal(req)
	if err != nil {
		return nil, encodeFailed(op, err)
	}
	return body, nil
}

// encodeFailed is the error of a request that encoding/json (or a
// MarshalJSON method) could not encode.
func encodeFailed(op *Operation, err error) error {
	return fmt.Errorf("sdk: %s: encode request: %w", op.Name, err)
}

// RequestError is a request the client refuses to send because a field is
// out of its documented bounds; nothing was sent. It matches
// ErrInvalidArgument with errors.Is.
type RequestError struct {
	Operation string // the endpoint, e.g. "create_sub_organization"
	Field     string // the JSON path of the field, e.g. "parameters.rootQuorumThreshold"
	Problem   string // what is wrong and how to fix it
}

func (e *RequestError) Error() string {
	return fmt.Sprintf("sdk: %s: %s %s", e.Operation, e.Field, e.Problem)
}

// Is makes a RequestError match ErrInvalidArgument.
func (e *RequestError) Is(target error) bool { return target == ErrInvalidArgument }

// minimums are the documented lower bounds of integer fields, by Go field
// name, in every activity version that has them.
//
// internal/cmd/gensdk reads the names and minimums from this literal for
// the generated encoders' checks: keep each minimum an integer literal.
var minimums = map[string]minimum{
	"RootQuorumThreshold": {1, "the number of root-user approvals needed: set it to 1 for a single root user (at most the number of root users)"},
	"Threshold":           {1, "the number of approvals needed: at least 1, at most the number of quorum users"},
}

// minimum is a documented lower bound and how to meet it.
type minimum struct {
	min  int64
	hint string
}

// minimumProblem is RequestError.Problem for the value n below m.
func minimumProblem(m minimum, n int64) string {
	return fmt.Sprintf("is %d; it must be at least %d: %s", n, m.min, m.hint)
}

// maxWalkDepth is how deep the reflect walks go into a request before they stop:
// deeper than any request, as deep as encoding/json goes before it looks for
// a cycle. A cyclic value (a []any holding itself) is then refused by
// encoding/json with an error instead of overflowing the stack here.
const maxWalkDepth = 1000

// checkBounds walks v, a request, for fields below their documented minimum.
func checkBounds(op *Operation, v reflect.Value, path string) error {
	return checkBoundsAt(op, v, path, 0)
}

// checkBoundsAt is checkBounds for a value depth levels inside the request.
func checkBoundsAt(op *Operation, v reflect.Value, path string, depth int) error {
	if depth > maxWalkDepth {
		return nil // encoding/json reports the cycle
	}
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.Struct:
		t := v.Type()
		if !typeInfo(t).hasBounds {
			return nil
		}
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name := jsonName(f)
			fv := v.Field(i)
			if m, ok := minimums[f.Name]; ok && fv.CanInt() && fv.Int() < m.min {
				return &RequestError{Operation: op.Name, Field: join(path, name), Problem: minimumProblem(m, fv.Int())}
			}
			if err := checkBoundsAt(op, fv, join(path, name), depth+1); err != nil {
				return err
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			if err := checkBoundsAt(op, v.Index(i), fmt.Sprintf("%s[%d]", path, i), depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// jsonName is the JSON member name of a struct field.
func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	if name == "" {
		return f.Name
	}
	return name
}

// required reports whether a field is always sent: no omitempty, not "-".
func required(f reflect.StructField) bool {
	tag := f.Tag.Get("json")
	if tag == "-" {
		return false
	}
	_, opts, _ := strings.Cut(tag, ",")
	return !strings.Contains(","+opts+",", ",omitempty,")
}

var marshalerType = reflect.TypeFor[json.Marshaler]()

// info is what a type can hold, computed once per type.
type info struct {
	hasArrays bool // a required array can be reached from it
	hasBounds bool // a bounded field can be reached from it
}

var infos sync.Map // reflect.Type -> info

func typeInfo(t reflect.Type) info {
	if i, ok := infos.Load(t); ok {
		return i.(info)
	}
	i := computeInfo(t, map[reflect.Type]bool{})
	infos.Store(t, i)
	return i
}

func computeInfo(t reflect.Type, seen map[reflect.Type]bool) info {
	if seen[t] {
		return info{}
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
		return computeInfo(t.Elem(), seen)
	case reflect.Interface:
		return info{hasArrays: true, hasBounds: true} // known only at run time
	case reflect.Struct:
		if t.Implements(marshalerType) || reflect.PointerTo(t).Implements(marshalerType) {
			return info{}
		}
		var out info
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			if _, ok := minimums[f.Name]; ok {
				out.hasBounds = true
			}
			if f.Type.Kind() == reflect.Slice && f.Type.Elem().Kind() != reflect.Uint8 && required(f) {
				out.hasArrays = true
			}
			sub := computeInfo(f.Type, seen)
			out.hasArrays = out.hasArrays || sub.hasArrays
			out.hasBounds = out.hasBounds || sub.hasBounds
		}
		return out
	}
	return info{}
}

// needsArrays reports whether v holds a nil required array (within maxWalkDepth
// levels).
func needsArrays(v reflect.Value) bool { return needsArraysAt(v, 0) }

// needsArraysAt is needsArrays for a value depth levels inside the request.
func needsArraysAt(v reflect.Value, depth int) bool {
	if depth > maxWalkDepth {
		return false
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		return !v.IsNil() && needsArraysAt(v.Elem(), depth+1)
	case reflect.Struct:
		t := v.Type()
		if !typeInfo(t).hasArrays {
			return false
		}
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			fv := v.Field(i)
			if fv.Kind() == reflect.Slice && fv.IsNil() && f.Type.Elem().Kind() != reflect.Uint8 && required(f) {
				return true
			}
			if needsArraysAt(fv, depth+1) {
				return true
			}
		}
	case reflect.Slice, reflect.Array:
		if !typeInfo(v.Type()).hasArrays {
			return false
		}
		for i := 0; i < v.Len(); i++ {
			if needsArraysAt(v.Index(i), depth+1) {
				return true
			}
		}
	case reflect.Map:
		if !typeInfo(v.Type()).hasArrays {
			return false
		}
		for it := v.MapRange(); it.Next(); {
			if needsArraysAt(it.Value(), depth+1) {
				return true
			}
		}
	}
	return false
}

// withArrays returns a copy of v with every nil required array made empty;
// v and what it points to are left as they are.
func withArrays(v reflect.Value) reflect.Value { return withArraysAt(v, 0) }

// withArraysAt is withArrays for a value depth levels inside the request;
// below maxWalkDepth it leaves v as it is, as needsArraysAt reports.
func withArraysAt(v reflect.Value, depth int) reflect.Value {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() || !needsArraysAt(v, depth) {
			return v
		}
		p := reflect.New(v.Type().Elem())
		p.Elem().Set(withArraysAt(v.Elem(), depth+1))
		return p
	case reflect.Interface:
		if v.IsNil() || !needsArraysAt(v, depth) {
			return v
		}
		out := reflect.New(v.Type()).Elem()
		out.Set(withArraysAt(v.Elem(), depth+1))
		return out
	case reflect.Struct:
		if !needsArraysAt(v, depth) {
			return v
		}
		out := reflect.New(v.Type()).Elem()
		out.Set(v) // unexported fields too
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			fv := v.Field(i)
			if fv.Kind() == reflect.Slice && fv.IsNil() && f.Type.Elem().Kind() != reflect.Uint8 && required(f) {
				out.Field(i).Set(reflect.MakeSlice(f.Type, 0, 0))
				continue
			}
			out.Field(i).Set(withArraysAt(fv, depth+1))
		}
		return out
	case reflect.Slice:
		if v.IsNil() || !needsArraysAt(v, depth) {
			return v
		}
		out := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := 0; i < v.Len(); i++ {
			out.Index(i).Set(withArraysAt(v.Index(i), depth+1))
		}
		return out
	case reflect.Array:
		if !needsArraysAt(v, depth) {
			return v
		}
		out := reflect.New(v.Type()).Elem()
		for i := 0; i < v.Len(); i++ {
			out.Index(i).Set(withArraysAt(v.Index(i), depth+1))
		}
		return out
	case reflect.Map:
		if v.IsNil() || !needsArraysAt(v, depth) {
			return v
		}
		out := reflect.MakeMapWithSize(v.Type(), v.Len())
		for it := v.MapRange(); it.Next(); {
			out.SetMapIndex(it.Key(), withArraysAt(it.Value(), depth+1))
		}
		return out
	}
	return v
}
