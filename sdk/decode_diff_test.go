package sdk

import (
	"bytes"
	stdjson "encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/gen"
)

// The generated decoders (decode_activity.gen.go) must decode every input
// exactly as the JSON v2 reflection path (decodeActivitiesReflect) does: the
// same values, and an error exactly when it gives one. These tests compare
// the two on the recorded answers and on many variants of them.

// generatedOuts makes a fresh value of each type the generated decoders
// cover.
var generatedOuts = []func() any{
	func() any { return new(gen.ActivityResponse) },
	func() any { return new(gen.ListActivitiesReply) },
}

// checkSameDecoding decodes in with both paths into fresh values of every
// covered type, and into values already holding the decoding of prev (when
// set), and fails unless they agree.
func checkSameDecoding(t testing.TB, in, prev []byte) {
	t.Helper()
	for _, newOut := range generatedOuts {
		fast, ref := newOut(), newOut()
		require.True(t, generatedDecoder(fast), "%T has a generated decoder", fast)
		if prev != nil {
			// Start from the same non-zero values: merging into them
			// (null, duplicates, reused slices) must agree too.
			if decodeActivitiesReflect(prev, fast) != nil || decodeActivitiesReflect(prev, ref) != nil {
				fast, ref = newOut(), newOut()
			}
		}
		errFast := decodeActivities(in, fast)
		errRef := decodeActivitiesReflect(in, ref)
		if (errFast == nil) != (errRef == nil) {
			t.Fatalf("%T: generated decoder error %v, reflection error %v, on input\n%q", fast, errFast, errRef, in)
		}
		if errFast == nil {
			require.Equal(t, ref, fast, "%T on input\n%q", fast, in)
		}
	}
}

// diffFixtures returns the recorded answers: sdk/testdata/bench and, where
// present, the shared bench fixtures.
func diffFixtures(t *testing.T) map[string][]byte {
	out := map[string][]byte{}
	seen := map[string]bool{}
	for _, dir := range fixtureDirs(t) {
		files, err := filepath.Glob(filepath.Join(dir, "*.json"))
		require.NoError(t, err)
		for _, f := range files {
			b, err := os.ReadFile(f)
			require.NoError(t, err)
			if !seen[string(b)] { // the shared copy of one of ours
				seen[string(b)] = true
				out[f] = b
			}
		}
	}
	require.NotEmpty(t, out)
	return out
}

// jnode is a parsed JSON value that keeps member order and duplicates, so
// that variants of an answer can be written back.
type jnode struct {
	raw     string // a scalar, as in the input
	kind    jsontext.Kind
	members []jmember
	elems   []*jnode
}

type jmember struct {
	name string // quoted, as in the input
	val  *jnode
}

func parseJNode(t testing.TB, d *jsontext.Decoder) *jnode {
	switch k := d.PeekKind(); k {
	case '{', '[':
		_, err := d.ReadToken()
		require.NoError(t, err)
		n := &jnode{kind: k}
		for d.PeekKind() != k+2 { // '}' is '{'+2, ']' is '['+2
			if k == '{' {
				raw, err := d.ReadValue()
				require.NoError(t, err)
				name := string(raw) // before the next read, which reuses raw
				n.members = append(n.members, jmember{name: name, val: parseJNode(t, d)})
			} else {
				n.elems = append(n.elems, parseJNode(t, d))
			}
		}
		_, err = d.ReadToken()
		require.NoError(t, err)
		return n
	default:
		v, err := d.ReadValue()
		require.NoError(t, err)
		return &jnode{kind: k, raw: string(v)}
	}
}

func (n *jnode) write(b *bytes.Buffer) {
	switch n.kind {
	case '{':
		b.WriteByte('{')
		for i, m := range n.members {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(m.name)
			b.WriteByte(':')
			m.val.write(b)
		}
		b.WriteByte('}')
	case '[':
		b.WriteByte('[')
		for i, e := range n.elems {
			if i > 0 {
				b.WriteByte(',')
			}
			e.write(b)
		}
		b.WriteByte(']')
	default:
		b.WriteString(n.raw)
	}
}

// nodes returns every node of kind in n, depth first.
func (n *jnode) nodes(kind jsontext.Kind) []*jnode {
	var out []*jnode
	if n.kind == kind {
		out = append(out, n)
	}
	for _, m := range n.members {
		out = append(out, m.val.nodes(kind)...)
	}
	for _, e := range n.elems {
		out = append(out, e.nodes(kind)...)
	}
	return out
}

// replacements are the values a member's value is swapped for: every JSON
// kind, so that each Go type meets nulls and wrong types.
var replacements = []string{
	`null`, `true`, `-7`, `1.5`, `2147483648`, `"s"`, `{}`, `[]`, `[null]`, `["x",1]`, `[{}]`,
}

// variants returns inputs derived from the answer in: each object member
// removed, set to each replacement, duplicated, renamed (escaped, other
// case, unknown); unknown members added; strings with escapes and invalid
// UTF-8; arrays emptied; and truncations. maxObjects bounds how many objects
// of a large answer are mutated (0: all).
func variants(t testing.TB, in []byte, maxObjects int) [][]byte {
	d := jsontext.NewDecoder(bytes.NewReader(in), jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
	root := parseJNode(t, d)
	var out [][]byte
	emit := func() {
		var b bytes.Buffer
		root.write(&b)
		out = append(out, bytes.Clone(b.Bytes()))
	}
	objs := root.nodes('{')
	step := 1
	if maxObjects > 0 && len(objs) > maxObjects {
		step = len(objs) / maxObjects
	}
	for oi := 0; oi < len(objs); oi += step {
		obj := objs[oi]
		orig := obj.members
		// An unknown member, first and last; an empty object.
		obj.members = append([]jmember{{`"zzUnknown"`, &jnode{kind: '{', members: []jmember{{`"id"`, &jnode{kind: '"', raw: `"x"`}}}}}}, orig...)
		emit()
		obj.members = append(append([]jmember(nil), orig...), jmember{`"zzUnknown"`, &jnode{kind: '[', elems: []*jnode{{kind: '0', raw: "1"}}}})
		emit()
		obj.members = nil
		emit()
		for i, m := range orig {
			name := m.name
			unq, _ := jsontext.AppendUnquote(nil, name) // invalid UTF-8 replaced (an error then)
			with := func(ms ...jmember) []jmember {
				return append(append(append([]jmember(nil), orig[:i]...), ms...), orig[i+1:]...)
			}
			obj.members = with() // removed
			emit()
			for _, r := range replacements {
				obj.members = with(jmember{name, &jnode{kind: jsontext.Value(r).Kind(), raw: r}})
				emit()
			}
			// Duplicates: the last wins, whichever it is.
			obj.members = with(m, jmember{name, &jnode{kind: 'n', raw: "null"}})
			emit()
			obj.members = with(jmember{name, &jnode{kind: 'n', raw: "null"}}, m)
			emit()
			obj.members = with(m, m)
			emit()
			obj.members = with(m, jmember{name, &jnode{kind: '"', raw: `"dup"`}})
			emit()
			// The same name escaped (must match), in another case and with
			// invalid UTF-8 (must not).
			if len(unq) > 0 {
				rest, _ := jsontext.AppendQuote(nil, unq[1:])
				esc := fmt.Sprintf(`"\u%04x%s`, unq[0], rest[1:])
				obj.members = with(jmember{esc, m.val})
				emit()
				obj.members = with(m, jmember{esc, &jnode{kind: 'n', raw: "null"}})
				emit()
				obj.members = with(jmember{`"` + strings.ToUpper(string(unq[:1])) + name[2:], m.val})
				emit()
				obj.members = with(jmember{`"` + string(unq) + "\xff\"", m.val})
				emit()
				obj.members = with(jmember{`"` + string(unq) + `\ufffd"`, m.val})
				emit()
			}
			// An array emptied, and one more element like its first.
			if m.val.kind == '[' {
				obj.members = with(jmember{name, &jnode{kind: '['}})
				emit()
				if len(m.val.elems) > 0 {
					obj.members = with(jmember{name, &jnode{kind: '[', elems: append(append([]*jnode(nil), m.val.elems...), m.val.elems[0])}})
					emit()
				}
			}
		}
		obj.members = orig
	}
	// Strings with escapes, non-ASCII and invalid UTF-8.
	strs := root.nodes('"')
	sample := 100
	if maxObjects > 0 {
		sample = 8
	}
	for si := 0; si < len(strs); si += max(1, len(strs)/sample) {
		s := strs[si]
		orig := s.raw
		for _, r := range []string{`"\u0041\n\"\\\/"`, `"é€😀"`, "\"a\xffb\"", "\"\xc3\"", "\"\xed\xa0\x80\"", `"\ud800"`, `"\u00e9x"`} {
			s.raw = r
			emit()
		}
		s.raw = orig
	}
	// Truncations, and trailing data.
	cuts := len(in)
	if maxObjects > 0 {
		cuts = min(cuts, 50)
	}
	for i := 0; i < cuts; i++ {
		out = append(out, in[:i*len(in)/cuts])
	}
	out = append(out, append(bytes.Clone(in), " \n"...), append(bytes.Clone(in), " {}"...),
		append(bytes.Clone(in), "x"...), append([]byte(" "), in...), []byte("null"), []byte(""), []byte("[]"), []byte(`"x"`))
	return out
}

// TestGeneratedDecodersMatchReflection runs the comparison on every recorded
// answer and its variants.
func TestGeneratedDecodersMatchReflection(t *testing.T) {
	for name, in := range diffFixtures(t) {
		t.Run(filepath.Base(filepath.Dir(name))+"/"+filepath.Base(name), func(t *testing.T) {
			checkSameDecoding(t, in, nil)
			maxObjects := 0
			if len(in) > 4096 || testing.Short() {
				maxObjects = 4
			}
			vs := variants(t, in, maxObjects)
			for _, v := range vs {
				checkSameDecoding(t, v, nil)
			}
			// Into values that already hold the answer, for a sample.
			for i := 0; i < len(vs); i += 13 {
				checkSameDecoding(t, vs[i], in)
			}
			t.Logf("%d variants", len(vs))
		})
	}
}

// The comparison itself must be able to fail: a decoder that drops a field
// differs from the reference.
func TestCheckSameDecodingCatchesADifference(t *testing.T) {
	in := BenchFixture(t, "sign_raw_payload_completed.json")
	var ref, fast gen.ActivityResponse
	require.NoError(t, decodeActivitiesReflect(in, &ref))
	require.NoError(t, decodeActivities(in, &fast))
	require.Equal(t, ref, fast)
	fast.Activity.Votes[0].User.UserTags = nil // what a decoder ignoring [] would give
	require.NotEqual(t, ref, fast, "an empty array and a missing one differ")
}

// Cases whose outcome the tests above rely on, spelled out.
func TestGeneratedDecoderSemantics(t *testing.T) {
	dec := func(in string) (*gen.ActivityResponse, error) {
		var out gen.ActivityResponse
		err := decodeActivities([]byte(in), &out)
		return &out, err
	}
	out, err := dec(`{"activity":{"\u0069d":"a","id":"b","status":"ACTIVITY_STATUS_COMPLETED","votes":[],"Fingerprint":"x"}}`)
	require.NoError(t, err)
	require.Equal(t, "b", out.Activity.ID, "the last duplicate wins; escaped names match")
	require.Equal(t, gen.ActivityStatusCompleted, out.Activity.Status)
	require.NotNil(t, out.Activity.Votes, "[] gives an empty slice")
	require.Empty(t, out.Activity.Votes)
	require.Empty(t, out.Activity.Fingerprint, "names match case-sensitively")
	require.Nil(t, out.Activity.AppProofs, "a missing member leaves nil")

	out, err = dec("{\"activity\":{\"id\":\"a\xffb\",\"failure\":{\"code\":7,\"message\":null}}}")
	require.NoError(t, err)
	require.Equal(t, "a\uFFFDb", out.Activity.ID, "invalid UTF-8 becomes U+FFFD")
	require.NotNil(t, out.Activity.Failure)
	require.Equal(t, int32(7), *out.Activity.Failure.Code)
	require.Nil(t, out.Activity.Failure.Message, "null sets a pointer to nil")

	// An intent and a result of a type this client does not know: kept as
	// the raw JSON of the input, in copies (the input may be reused).
	in := []byte("{\"activity\":{\"intent\":{\"zzIntent\" : [ 1 ,\"\\u00e9\"],\"signRawPayloadIntentV2\":{\"payload\":\"p\"},\"a\xff\":null},\"result\":{\"zzResult\":{\"x\":1},\"zzResult\":2}}}")
	var open, ref gen.ActivityResponse
	require.NoError(t, decodeActivities(in, &open))
	require.NoError(t, decodeActivitiesReflect(in, &ref))
	clear(in)
	require.Equal(t, ref, open)
	require.Equal(t, map[string]stdjson.RawMessage{"zzIntent": stdjson.RawMessage(`[ 1 ,"\u00e9"]`), "a\uFFFD": stdjson.RawMessage("null")},
		open.Activity.Intent.AdditionalProperties, "raw values; invalid UTF-8 in names replaced")
	require.Equal(t, "p", open.Activity.Intent.SignRawPayloadIntentV2.Payload)
	require.Equal(t, map[string]stdjson.RawMessage{"zzResult": stdjson.RawMessage("2")}, open.Activity.Result.AdditionalProperties, "the last duplicate wins")
	require.NoError(t, decodeActivities([]byte(`{"activity":{"intent":null,"result":{}}}`), &open))
	require.Nil(t, open.Activity.Intent.AdditionalProperties, "null sets AdditionalProperties to nil...")
	require.NotNil(t, open.Activity.Intent.SignRawPayloadIntentV2, "...and leaves the known fields, as JSON v2 does")
	require.Nil(t, open.Activity.Result.AdditionalProperties, "none: nil")

	for _, bad := range []string{
		`{"activity":{"id":5}}`, `{"activity":{"canApprove":"yes"}}`, `{"activity":{"votes":{}}}`,
		`{"activity":{"failure":{"code":1.5}}}`, `{"activity":{"failure":{"code":4294967296}}}`,
		`{"activity":[]}`, `{"activity":{}} {}`, `{"activity":{"id":"a"}`, ``, `{"activity":{"intent":5}}`,
	} {
		_, err := dec(bad)
		require.Error(t, err, bad)
		require.Error(t, decodeActivitiesReflect([]byte(bad), new(gen.ActivityResponse)), bad)
	}
}

// FuzzDecodeActivities compares the generated decoders with JSON v2's
// reflection on arbitrary input, starting from the recorded answers and
// random activities.
func FuzzDecodeActivities(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "bench", "*.json"))
	if err != nil {
		f.Fatal(err)
	}
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"activity":{"\u0069d":"a","id":null,"votes":[],"failure":{"code":1}}}`))
	f.Add([]byte("{\"activities\":[{\"id\":\"\xff\"},null,{}]}"))
	f.Add([]byte(`{"activity":{"intent":{"zz":[1],"signRawPayloadIntentV2":{"payload":"p"},"zz":{}},"result":null}}`))
	// Random activities of some of the intent and result types.
	for i, in := range randomActivities(3, 1, 0.01) {
		if i%8 == 0 {
			f.Add(in)
		}
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		checkSameDecoding(t, in, nil)
	})
}
