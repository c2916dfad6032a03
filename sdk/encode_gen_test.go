package sdk

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/turnkey-go/turnkey/gen"
)

// The generated request encoders (encode_request.gen.go) against
// encodeRequestReflect, their reference: random values of every request type
// they cover must give the same bytes and the same errors.

var testOp = &Operation{Name: "test_op"}

// specialStrings are the pieces of random strings: everything encoding/json
// escapes or replaces, and multi-byte runes.
var specialStrings = []string{
	"", `"`, `\`, "/", "\x00", "\x01", "\x1f", "\b", "\f", "\n", "\r", "\t", "\x7f",
	"<", ">", "&", "\u2028", "\u2029", "\u2027", "\u202a", "é", "日本", "😀", "\ufffd",
	"\xff", "\x80", "\xc3", "\xe2\x80", "\xed\xa0\x80", "\xc0\x80", "\xf4\x90\x80\x80", "a\xffb", "</script>",
}

// randomValues fills values of any type with what the encoders must get
// right: special strings, nil and empty slices, maps and pointers, integers
// at and below the documented minimums, and dynamic values in interfaces.
type randomValues struct {
	r     *rand.Rand
	extra []string // more string pieces (the fuzzer's)
	// comparable leaves out NaN and functions, for reflect.DeepEqual.
	comparable bool
}

const maxDepth = 5

func (g *randomValues) string() string {
	var b strings.Builder
	for range g.r.IntN(6) {
		switch g.r.IntN(5) {
		case 0, 1:
			b.WriteString(specialStrings[g.r.IntN(len(specialStrings))])
		case 2:
			b.WriteRune(rune(g.r.IntN(utf8Max + 1)))
		case 3:
			b.WriteByte(byte(g.r.IntN(256)))
		default:
			if len(g.extra) > 0 {
				b.WriteString(g.extra[g.r.IntN(len(g.extra))])
			} else {
				b.WriteString("plain text")
			}
		}
	}
	return b.String()
}

const utf8Max = 0x10FFFF

func (g *randomValues) int() int64 {
	switch g.r.IntN(6) {
	case 0:
		return 0 // below the minimums
	case 1:
		return -1 - g.r.Int64N(3)
	case 2:
		return math.MaxInt64 - g.r.Int64N(2)
	default:
		return 1 + g.r.Int64N(1000)
	}
}

// fill sets v, a settable value, to a random value.
func (g *randomValues) fill(v reflect.Value, depth int) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(g.string())
	case reflect.Bool:
		v.SetBool(g.r.IntN(2) == 0)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(g.int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(g.int()))
	case reflect.Float32, reflect.Float64:
		v.SetFloat(g.float())
	case reflect.Pointer:
		if depth < maxDepth && g.r.IntN(3) != 0 {
			p := reflect.New(v.Type().Elem())
			g.fill(p.Elem(), depth+1)
			v.Set(p)
		}
	case reflect.Slice:
		switch n := g.r.IntN(4); {
		case n == 0 || depth >= maxDepth: // nil
		case n == 1:
			v.Set(reflect.MakeSlice(v.Type(), 0, 0))
		default:
			s := reflect.MakeSlice(v.Type(), n-1, n-1)
			for i := range n - 1 {
				g.fill(s.Index(i), depth+1)
			}
			v.Set(s)
		}
	case reflect.Map:
		switch n := g.r.IntN(5); {
		case n == 0 || depth >= maxDepth: // nil
		default:
			m := reflect.MakeMap(v.Type())
			for range n - 1 {
				k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
				g.fill(k, depth+1)
				g.fill(e, depth+1)
				m.SetMapIndex(k, e)
			}
			v.Set(m)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				g.fill(v.Field(i), depth)
			}
		}
	case reflect.Interface:
		if d := g.dynamic(depth); d != nil {
			v.Set(reflect.ValueOf(d))
		}
	}
}

func (g *randomValues) float() float64 {
	switch g.r.IntN(8) {
	case 0:
		return 0
	case 1:
		if !g.comparable {
			return math.NaN() // an error for encoding/json
		}
	case 2:
		return 1e21 * g.r.Float64()
	case 3:
		return 1e-7 * g.r.Float64()
	}
	return g.r.NormFloat64() * 1000
}

// dynamic is a random value for an interface: JSON values, values that fail
// to encode, and models, whose nil required arrays the reflect path fills in
// also there.
func (g *randomValues) dynamic(depth int) any {
	if depth >= maxDepth {
		return g.string()
	}
	switch g.r.IntN(12) {
	case 0:
		return nil
	case 1:
		return g.string()
	case 2:
		return g.float()
	case 3:
		return g.r.IntN(2) == 0
	case 4:
		var s []any
		g.fill(reflect.ValueOf(&s).Elem(), depth+1)
		return s
	case 5:
		var m map[string]any
		g.fill(reflect.ValueOf(&m).Elem(), depth+1)
		return m
	case 6:
		return gen.CreateWalletIntent{WalletName: g.string()} // accounts: nil, sent as []
	case 7:
		return &gen.UpdateRootQuorumIntent{UserIds: nil} // threshold 0 and a nil array
	case 8:
		raws := []string{`{ "a" : [1, 2] }`, `"<&>"`, `{`, `nul`, "\"\u2028\""}
		return json.RawMessage(raws[g.r.IntN(len(raws))]) // compacted, escaped, or an error
	case 9:
		if g.comparable {
			return int64(7)
		}
		return func() {} // an unsupported type
	case 10:
		return gen.Intent{AdditionalProperties: map[string]json.RawMessage{"x": json.RawMessage(`{"b" :1}`)}}
	}
	types := generatedRequestTypes()
	v := reflect.New(reflect.TypeOf(types[g.r.IntN(len(types))][0]).Elem())
	g.fill(v.Elem(), depth+1)
	if g.r.IntN(2) == 0 {
		return v.Elem().Interface()
	}
	return v.Interface()
}

// sameError reports whether two errors are the same: same type and text,
// both ErrInvalidArgument or neither, and the same RequestError if any.
func sameError(a, b error) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	var ra, rb *RequestError
	if errors.As(a, &ra) != errors.As(b, &rb) || ra != nil && *ra != *rb {
		return false
	}
	return a.Error() == b.Error() && fmt.Sprintf("%T", a) == fmt.Sprintf("%T", b) &&
		errors.Is(a, ErrInvalidArgument) == errors.Is(b, ErrInvalidArgument) &&
		fmt.Sprintf("%T", errors.Unwrap(a)) == fmt.Sprintf("%T", errors.Unwrap(b))
}

// checkSameEncoding fails t unless encodeRequest of req as its body type
// (as the typed methods send it), through the generated encoders, gives
// what encodeRequestReflect gives for req.
func checkSameEncoding(t testing.TB, req any, bodyType reflect.Type) {
	t.Helper()
	want, wantErr := encodeRequestReflect(testOp, req)
	body, ok := reflect.ValueOf(req).Convert(bodyType).Interface().(generatedRequest)
	if !ok {
		t.Fatalf("%T: no generated encoder", req)
	}
	direct, directErr := body.encode(testOp, nil)
	got, err := encodeRequest(testOp, body)
	if !sameError(err, wantErr) || !sameError(directErr, wantErr) {
		t.Fatalf("%T: error %v, want %v", req, err, wantErr)
	}
	if !bytes.Equal(got, want) || wantErr == nil && !bytes.Equal(direct, want) {
		t.Fatalf("%T:\n got %s\nwant %s", req, got, want)
	}
}

// TestGeneratedEncodersMatchReflection: 400 random values of every request
// type the generated encoders cover.
func TestGeneratedEncodersMatchReflection(t *testing.T) {
	types := generatedRequestTypes()
	if len(types) < 90 {
		t.Fatalf("only %d request types have generated encoders", len(types))
	}
	var errs, bounds int
	for i, typ := range types {
		g := &randomValues{r: rand.New(rand.NewPCG(uint64(i), 1))}
		for range 400 {
			v := reflect.New(reflect.TypeOf(typ[0]).Elem())
			g.fill(v.Elem(), 0)
			checkSameEncoding(t, v.Interface(), reflect.TypeOf(typ[1]))
			if _, err := encodeRequestReflect(testOp, v.Interface()); errors.Is(err, ErrInvalidArgument) {
				bounds++
			} else if err != nil {
				errs++
			}
		}
	}
	t.Logf("%d values: %d bound violations, %d encoding errors", 400*len(types), bounds, errs)
	// The values reach both kinds of errors, not only bodies.
	if bounds < 100 || errs < 10 {
		t.Fatalf("%d bound violations and %d encoding errors: the values miss the error paths", bounds, errs)
	}
}

// TestGeneratedEncodersLeaveRequestAlone: encoding a request, with nil
// required arrays at any depth, does not modify it.
func TestGeneratedEncodersLeaveRequestAlone(t *testing.T) {
	for i, typ := range generatedRequestTypes() {
		for j := range 50 {
			seed := uint64(i*1000 + j)
			v, before := reflect.New(reflect.TypeOf(typ[0]).Elem()), reflect.New(reflect.TypeOf(typ[0]).Elem())
			(&randomValues{r: rand.New(rand.NewPCG(seed, 2)), comparable: true}).fill(v.Elem(), 0)
			(&randomValues{r: rand.New(rand.NewPCG(seed, 2)), comparable: true}).fill(before.Elem(), 0)
			_, _ = encodeRequest(testOp, v.Convert(reflect.TypeOf(typ[1])).Interface()) // errors too leave it alone
			if !reflect.DeepEqual(v.Interface(), before.Interface()) {
				t.Fatalf("%T was modified", v.Interface())
			}
		}
	}
	intent := gen.CreateSubOrganizationIntentV7{RootQuorumThreshold: 1, RootUsers: []gen.RootUserParamsV4{{UserName: "a"}}}
	req := &gen.CreateSubOrganizationRequest{Parameters: intent}
	body, err := encodeRequest(testOp, (*bodyCreateSubOrganizationRequest)(req))
	if err != nil || !bytes.Contains(body, []byte(`"apiKeys":[]`)) || req.Parameters.RootUsers[0].APIKeys != nil {
		t.Fatalf("%s, %v; apiKeys %#v", body, err, req.Parameters.RootUsers[0].APIKeys)
	}
}

// TestFieldPathIsCheckBoundsPath: the generated checks' paths render as
// checkBounds writes them, also through elements, which no bounded field
// of the models sits under yet.
func TestFieldPathIsCheckBoundsPath(t *testing.T) {
	type inner struct {
		Threshold int `json:"threshold"`
	}
	type outer struct {
		Items [][]inner `json:"items"`
	}
	for _, c := range []struct {
		v    any
		path *fieldPath // of the struct with the bad threshold
		n    int64
	}{
		{&outer{Items: [][]inner{{{1}}, {{1}, {0}}}}, &fieldPath{parent: &fieldPath{parent: &fieldPath{name: "items"}, index: 1}, index: 1}, 0},
		{[]inner{{1}, {1}, {-2}}, &fieldPath{index: 2}, -2},
		{&inner{}, nil, 0},
	} {
		var want *RequestError
		if !errors.As(checkBounds(testOp, reflect.ValueOf(c.v), ""), &want) {
			t.Fatalf("%#v: no RequestError", c.v)
		}
		if got := belowMinimum(testOp, &fieldPath{parent: c.path, name: "threshold"}, "Threshold", c.n); *got.(*RequestError) != *want {
			t.Errorf("got %+v, want %+v", got, want)
		}
	}
}

// FuzzGeneratedEncoders: random values of a request type, with the
// fuzzer's strings in them.
func FuzzGeneratedEncoders(f *testing.F) {
	f.Add(uint64(1), uint16(0), "")
	f.Add(uint64(2), uint16(17), "<\u2028\xff\"\\")
	f.Add(uint64(3), uint16(40), "\x00\x1f\x7f")
	f.Add(uint64(4), uint16(66), "日本😀\xed\xa0\x80")
	types := generatedRequestTypes()
	f.Fuzz(func(t *testing.T, seed uint64, which uint16, s string) {
		g := &randomValues{r: rand.New(rand.NewPCG(seed, 3)), extra: []string{s}}
		typ := types[int(which)%len(types)]
		v := reflect.New(reflect.TypeOf(typ[0]).Elem())
		g.fill(v.Elem(), 0)
		checkSameEncoding(t, v.Interface(), reflect.TypeOf(typ[1]))
	})
}

// TestAppendStringMatchesEncodingJSON: every rune alone and between other
// text, every byte, and invalid UTF-8 sequences, as encoding/json quotes
// them.
func TestAppendStringMatchesEncodingJSON(t *testing.T) {
	check := func(s string) {
		want, _ := json.Marshal(s)
		if got := appendString(nil, s); !bytes.Equal(got, want) {
			t.Fatalf("appendString(%q) = %s, want %s", s, got, want)
		}
	}
	for r := rune(0); r <= utf8Max; r++ {
		check(string(r))
		check("ab" + string(r) + "c")
	}
	for c := range 256 {
		check(string([]byte{byte(c)}))
		check("x" + string([]byte{byte(c), 'y', byte(c)}))
	}
	for _, s := range specialStrings {
		check(s)
		check(s + "tail" + s)
	}
	r := rand.New(rand.NewPCG(4, 4))
	for range 20000 {
		b := make([]byte, r.IntN(12))
		for i := range b {
			b[i] = byte(r.IntN(256))
		}
		check(string(b))
	}
}

// BenchmarkEncodeRequest: the generated encoders against the reflect path,
// for a sign_raw_payload and a create_sub_organization request.
func BenchmarkEncodeRequest(b *testing.B) {
	sign := &gen.SignRawPayloadRequest{Type: gen.SignRawPayloadRequestTypeSignRawPayloadV2, TimestampMs: "1700000000000",
		OrganizationID: "c4a9c0f7-2f3a-4a35-9a42-2f5c8e1b7d10", Parameters: gen.SignRawPayloadIntentV2{
			SignWith: "0xf568b36618C0C7f06f2C029DEa9198525528337B", Payload: "d449acb92215ed502901c9e6f6a4dc6d28e6856fb6754892becd148dee1b3e85",
			Encoding: gen.PayloadEncodingHexadecimal, HashFunction: gen.HashFunctionNoOp}}
	email := "alice@example.com"
	sub := &gen.CreateSubOrganizationRequest{Type: gen.CreateSubOrganizationRequestTypeCreateSubOrganizationV7, TimestampMs: "1700000000000",
		OrganizationID: "c4a9c0f7-2f3a-4a35-9a42-2f5c8e1b7d10", Parameters: gen.CreateSubOrganizationIntentV7{
			SubOrganizationName: "tenant <42>", RootQuorumThreshold: 1,
			RootUsers: []gen.RootUserParamsV4{{UserName: "alice", UserEmail: &email, APIKeys: []gen.APIKeyParamsV2{{
				APIKeyName: "k", CurveType: gen.APIKeyCurveP256, PublicKey: "02a4f1c3d5e6b7a8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7081"}}}},
			Wallet: &gen.WalletParams{WalletName: "w", Accounts: []gen.WalletAccountParams{{AddressFormat: gen.AddressFormatEthereum,
				Curve: gen.CurveSecp256K1, Path: "m/44'/60'/0'/0/0", PathFormat: gen.PathFormatBip32}}}}}
	for _, c := range []struct {
		name      string
		req, body any
	}{{"sign_raw_payload", sign, (*bodySignRawPayloadRequest)(sign)}, {"create_sub_organization", sub, (*bodyCreateSubOrganizationRequest)(sub)}} {
		for _, enc := range []struct {
			name string
			f    func(*Operation, any) ([]byte, error)
		}{{"generated", encodeRequest}, {"reflect", encodeRequestReflect}} {
			req := c.req
			if enc.name == "generated" {
				req = c.body
			}
			b.Run(c.name+"/"+enc.name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := enc.f(testOp, req); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
