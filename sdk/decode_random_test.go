package sdk

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/gen"
)

// Random activities for the differential tests (decode_diff_test.go): an
// intent and a result of every type the spec knows, with random nested
// values, written from the Go types by reflection.

// randJSON writes random JSON for a Go type: mostly of the shape the type
// decodes from, with nulls, unknown members, duplicate and escaped names,
// odd strings and whitespace, and, at the rate bad, values of a kind the
// type does not take.
type randJSON struct {
	r     *rand.Rand
	b     bytes.Buffer
	bad   float64
	focus map[reflect.Type]string // a member each object of the type has
	depth int
	keys  int // map keys written
}

// openTypes are the structs that keep the members they do not know.
var openTypes = map[reflect.Type]bool{reflect.TypeFor[gen.Intent](): true, reflect.TypeFor[gen.Result](): true}

// randStrings are the string values: plain, escaped, non-ASCII, invalid
// UTF-8 and lone surrogates, and around the interning bounds of 2 and 72
// bytes.
var randStrings = []string{
	`""`, `"a"`, `"ab"`, `"ACTIVITY_STATUS_COMPLETED"`, `"\u0041\n\"\\\/"`, `"é€😀"`, "\"a\xffb\"", "\"\xc3\"",
	"\"\xed\xa0\x80\"", `"\ud800"`, `"\ud83d\ude00"`, `"\u00e9x"`, `"` + strings.Repeat("0f", 36) + `"`,
	`"` + strings.Repeat("e", 73) + `"`, `"` + strings.Repeat("9", 200) + `"`,
}

// randNumbers are the integers, all valid for int32 and int64.
var randNumbers = []string{"0", "-1", "7", "2147483647", "-2147483648", "1000000"}

// badValues are values of each kind, some of which no field takes (1.5 for
// an integer, 2147483648 for an int32).
var badValues = []string{`true`, `"s"`, `{}`, `[]`, `-7`, `1.5`, `1e3`, `2147483648`, `[1]`, `{"a":1}`}

func (g *randJSON) ws() {
	if g.r.IntN(8) == 0 {
		g.b.WriteString([]string{" ", "\n", "\t ", "\r\n  "}[g.r.IntN(4)])
	}
}

// name writes a member name: as it is, or with its first byte escaped.
func (g *randJSON) name(n string) {
	g.ws()
	if g.r.IntN(10) == 0 && n != "" {
		fmt.Fprintf(&g.b, `"\u%04x%s"`, n[0], n[1:])
	} else {
		g.b.WriteString(`"` + n + `"`)
	}
	g.ws()
	g.b.WriteByte(':')
	g.ws()
}

// unknownName is a name no model field has: another case, a future
// activity, invalid UTF-8, U+FFFD escaped, an escaped quote.
func (g *randJSON) unknownName(known string) string {
	return []string{"ZzFuture", "createThingIntentV9", known + "\xff", known + `\ufffd`, `a\"b`, "Id", known + "X"}[g.r.IntN(7)]
}

// mapKey is the name of a member of a map or of an arbitrary object: one not
// used before in the answer, since a duplicate there merges into the value
// before it (also under a duplicate field), which fails when their kinds
// differ.
func (g *randJSON) mapKey() string {
	g.keys++
	return fmt.Sprintf([]string{"k%d", "k%d\xff", "K%d", `k%d\u00e9`}[g.r.IntN(4)], g.keys)
}

// value writes a random value for t.
func (g *randJSON) value(t reflect.Type) {
	g.depth++
	defer func() { g.depth-- }()
	if t.Kind() != reflect.Interface && g.r.Float64() < g.bad {
		g.b.WriteString(badValues[g.r.IntN(len(badValues))])
		return
	}
	switch t.Kind() {
	case reflect.Pointer:
		if g.r.IntN(10) == 0 || g.depth > 12 {
			g.b.WriteString("null")
			return
		}
		g.value(t.Elem())
	case reflect.String:
		g.b.WriteString(randStrings[g.r.IntN(len(randStrings))])
	case reflect.Bool:
		g.b.WriteString([]string{"true", "false", "null"}[g.r.IntN(3)])
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		g.b.WriteString(randNumbers[g.r.IntN(len(randNumbers))])
	case reflect.Float32, reflect.Float64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		g.b.WriteString([]string{"0", "3", "12"}[g.r.IntN(3)])
	case reflect.Slice:
		g.b.WriteByte('[')
		n := g.r.IntN(4)
		if g.depth > 12 {
			n = 0
		}
		for i := range n {
			if i > 0 {
				g.b.WriteByte(',')
			}
			g.ws()
			g.value(t.Elem())
		}
		g.b.WriteByte(']')
	case reflect.Map:
		g.b.WriteByte('{')
		for i := range g.r.IntN(3) {
			if i > 0 {
				g.b.WriteByte(',')
			}
			g.name(g.mapKey())
			g.value(t.Elem())
		}
		g.b.WriteByte('}')
	case reflect.Struct:
		g.object(t)
	default: // any
		g.any(3)
	}
}

// object writes a JSON object for the struct t: each field with some
// probability (the focus field always; few of an open struct's many), some
// twice, in random order, with unknown members among them.
func (g *randJSON) object(t reflect.Type) {
	type member struct {
		name string
		typ  reflect.Type
	}
	var ms []member
	p := 0.7
	if openTypes[t] {
		p = 2 / float64(t.NumField())
	}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || name == "-" {
			continue
		}
		if name == g.focus[t] || g.r.Float64() < p && g.depth < 12 {
			ms = append(ms, member{name, f.Type})
			if g.r.IntN(12) == 0 {
				ms = append(ms, member{name, f.Type}) // a duplicate: the last wins
			}
		}
	}
	for range g.r.IntN(3) {
		name := "id"
		if len(ms) > 0 {
			name = ms[g.r.IntN(len(ms))].name
		}
		ms = append(ms, member{g.unknownName(name), nil})
	}
	g.r.Shuffle(len(ms), func(i, j int) { ms[i], ms[j] = ms[j], ms[i] })
	g.b.WriteByte('{')
	for i, m := range ms {
		if i > 0 {
			g.b.WriteByte(',')
		}
		g.name(m.name)
		if m.typ == nil {
			g.any(3)
		} else {
			g.value(m.typ)
		}
	}
	g.ws()
	g.b.WriteByte('}')
}

// any writes an arbitrary JSON value, nested up to depth.
func (g *randJSON) any(depth int) {
	switch n := g.r.IntN(7); {
	case n == 0 && depth > 0:
		g.b.WriteByte('[')
		for i := range g.r.IntN(3) {
			if i > 0 {
				g.b.WriteByte(',')
			}
			g.any(depth - 1)
		}
		g.b.WriteByte(']')
	case n == 1 && depth > 0:
		g.b.WriteByte('{')
		for i := range g.r.IntN(3) {
			if i > 0 {
				g.b.WriteByte(',')
			}
			g.name(g.mapKey())
			g.any(depth - 1)
		}
		g.b.WriteByte('}')
	default:
		g.b.WriteString([]string{"null", "true", "-1.5e3", `"x"`, randStrings[g.r.IntN(len(randStrings))]}[g.r.IntN(5)])
	}
}

// jsonFields returns the JSON names of the exported fields of struct t.
func jsonFields(t reflect.Type) []string {
	var names []string
	for i := range t.NumField() {
		if name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ","); t.Field(i).IsExported() && name != "-" {
			names = append(names, name)
		}
	}
	return names
}

// randomActivities returns n answers per intent field (each with a result
// field beside it, so that every result field is used too): get_activity
// answers, and now and then a list_activities one. bad is the rate of
// values of a wrong kind.
func randomActivities(seed uint64, n int, bad float64) [][]byte {
	intents, results := jsonFields(reflect.TypeFor[gen.Intent]()), jsonFields(reflect.TypeFor[gen.Result]())
	g := &randJSON{r: rand.New(rand.NewPCG(seed, 1)), bad: bad, focus: map[reflect.Type]string{}}
	var out [][]byte
	for i := range max(len(intents), len(results)) * n {
		g.focus[reflect.TypeFor[gen.Intent]()] = intents[i%len(intents)]
		g.focus[reflect.TypeFor[gen.Result]()] = results[i%len(results)]
		g.b.Reset()
		if g.r.IntN(8) == 0 {
			g.b.WriteString(`{"activities":[`)
			g.value(reflect.TypeFor[gen.Activity]())
			g.b.WriteString(`,`)
			g.value(reflect.TypeFor[gen.Activity]())
			g.b.WriteString(`]}`)
		} else {
			g.b.WriteString(`{"activity":`)
			g.value(reflect.TypeFor[gen.Activity]())
			g.b.WriteString(`}`)
		}
		out = append(out, bytes.Clone(g.b.Bytes()))
	}
	return out
}

// TestGeneratedDecodersMatchReflectionOnRandomActivities compares the two
// paths on random activities of every intent and result type: valid ones
// (which must decode), ones with values of a wrong kind, the same decoded
// into the values of the one before (merging), and variants of a sample.
func TestGeneratedDecodersMatchReflectionOnRandomActivities(t *testing.T) {
	valid := randomActivities(1, 2, 0)
	for i, in := range valid {
		require.NoError(t, decodeActivitiesReflect(in, new(gen.ActivityResponse)), "a valid random answer:\n%q", in)
		checkSameDecoding(t, in, nil)
		if i > 0 {
			checkSameDecoding(t, in, valid[i-1])
		}
	}
	failed := 0
	for _, in := range randomActivities(2, 2, 0.02) {
		checkSameDecoding(t, in, nil)
		if decodeActivitiesReflect(in, new(gen.ActivityResponse)) != nil {
			failed++
		}
	}
	require.Greater(t, failed, 50, "values of a wrong kind make some answers fail")
	step := 12 // a sample: each answer gives about 600 variants
	if testing.Short() {
		step = 40
	}
	for i := 0; i < len(valid); i += step {
		for _, v := range variants(t, valid[i], 4) {
			checkSameDecoding(t, v, nil)
		}
	}
	t.Logf("%d valid random answers, %d with wrong kinds (%d fail), variants of every %dth", len(valid), len(valid), failed, step)
}
