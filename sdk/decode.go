package sdk

import (
	"bytes"
	"encoding/binary"
	stdjson "encoding/json"
	"io"
	"strconv"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	json "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/turnkey-go/turnkey/gen"
)

// Answers are decoded by one of two decoders, chosen per operation by
// internal/cmd/gensdk (the decode field of each route):
//
//   - decodeActivities, for answers that carry activities (every submit,
//     get_activity, list_activities), uses the JSON v2 implementation that is
//     becoming the standard library's encoding/json/v2 (experimental in Go
//     1.26). For the answer types of those operations (gen.ActivityResponse,
//     gen.ListActivitiesReply) it runs the decoders that internal/cmd/gensdk
//     generates from the models into decode_activity.gen.go: they walk the
//     JSON with jsontext's tokenizer and set each field directly, without
//     JSON v2's reflection (a field-name lookup and an unmarshaler lookup
//     per member), also in an activity's intent and result (decIntent,
//     decResult: known members into their fields, the others into
//     AdditionalProperties, as decodeOpen does): about a third less time
//     than the reflection on a completed activity
//     (BenchmarkDecodeSignRawPayload).
//     They hand gen.Any and the few maps of the models back to JSON v2 on
//     the same decoder. Any other answer type goes through JSON v2's
//     reflection (decodeActivitiesReflect), which is also the reference the
//     generated decoders are tested against (decode_diff_test.go,
//     decode_random_test.go): it decodes intents and results with
//     decodeIntentReflect and decodeResultReflect, never the generated code.
//   - decodeAnswer, for every other answer (small objects such as whoami),
//     uses encoding/json, which every program using the sdk links anyway: the
//     generated models and the reflect path of the request encoding
//     (encodeRequestReflect) need it.
//
// Both ignore unknown members, so newer API fields do not break old clients,
// except in an activity's intent and result: there a member the spec does
// not know (an activity type or version newer than this client) is kept, as
// raw JSON, in AdditionalProperties (see ActivityIntent and ActivityResult).
// Both treat duplicate member names (the last one wins) and invalid UTF-8
// (replaced by U+FFFD) alike: decodeActivities sets the two options that make
// JSON v2 do as encoding/json does, which also spares it the checks.
// Requests are encoded by encodeRequest (sdk/encode.go): the request types
// of the operation table by encoders generated into encode_request.gen.go,
// any other value with encoding/json, both with encoding/json's output.

// decodeActivities decodes an answer that carries activities: with the
// generated decoders for the answer types they cover, else with
// decodeActivitiesReflect. Both give the same values and fail on the same
// inputs.
func decodeActivities(data []byte, out any) error {
	if !generatedDecoder(out) {
		return decodeActivitiesReflect(data, out)
	}
	d, _ := decoderPool.Get().(*activityDecoder)
	if d == nil {
		d = new(activityDecoder)
	}
	d.buf = *bytes.NewBuffer(data) // the decoder reads a bytes.Buffer in place
	d.Reset(&d.buf, *activityOptions())
	err := decodeGenerated(d, out)
	if err == nil {
		err = d.endOfInput()
	} else if err == io.EOF {
		err = io.ErrUnexpectedEOF // no value at all
	}
	d.buf = bytes.Buffer{}
	d.Reset(&d.buf) // keep neither data nor the options alive
	decoderPool.Put(d)
	return err
}

// decodeActivitiesReflect decodes an answer that carries activities with JSON
// v2's reflection, under the options of activityOptions.
func decodeActivitiesReflect(data []byte, out any) error {
	return json.Unmarshal(data, out, *activityOptions())
}

// activityDecoder is the state of the generated decoders: a jsontext
// decoder, the buffer it reads, and the strings it decoded lately. Idle ones
// are reused across calls of decodeActivities.
type activityDecoder struct {
	jsontext.Decoder
	buf     bytes.Buffer
	scratch []byte // unquoted strings with escapes
	// strs holds strings decoded lately, by a hash of their bytes, so that
	// values that recur (IDs, statuses, keys, timestamps) are allocated once
	// per decoder rather than once per answer.
	strs [256]string
}

// decoderPool holds idle activityDecoders. It has no initializer, for the
// reason given at activityOpts.
var decoderPool sync.Pool

// decodeAnswer decodes an answer that carries no activity.
func decodeAnswer(data []byte, out any) error {
	return stdjson.Unmarshal(data, out)
}

// decodeJSON is the decoder of activity answers, the ones worth measuring
// (sdk/decode_test.go).
func decodeJSON(data []byte, out any) error { return decodeActivities(data, out) }

// activityOpts caches decodeActivities' options. It has no initializer on
// purpose: a package-level initializer that built JSON v2 options would make
// every program that imports the sdk link JSON v2, even one that only queries.
var activityOpts atomic.Pointer[json.Options]

// activityOptions returns the options of decodeActivities: encoding/json's
// leniency, and gen.Intent and gen.Result decoded in one pass, known members
// into their fields and the others into AdditionalProperties, instead of
// through the generated UnmarshalJSON methods, which decode every object
// twice (once into a map, then member by member). The generated decoders
// have their own for those two (decIntent, decResult).
func activityOptions() *json.Options {
	if o := activityOpts.Load(); o != nil {
		return o
	}
	o := json.JoinOptions(
		jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true),
		json.WithUnmarshalers(json.JoinUnmarshalers(
			json.UnmarshalFromFunc(decodeIntentReflect), json.UnmarshalFromFunc(decodeResultReflect))))
	activityOpts.Store(&o)
	return &o
}

// decodeIntentReflect decodes an activity's intent with JSON v2's
// reflection: the members the spec knows into their fields, the others into
// AdditionalProperties. It is the reflect path's (decodeActivitiesReflect's)
// own, the reference of the generated decIntent, which it must not call.
func decodeIntentReflect(dec *jsontext.Decoder, v *gen.Intent) error {
	return decodeOpen(dec, (*intentFields)(v), &v.AdditionalProperties)
}

// decodeResultReflect decodes an activity's result as decodeIntentReflect
// does its intent.
func decodeResultReflect(dec *jsontext.Decoder, v *gen.Result) error {
	return decodeOpen(dec, (*resultFields)(v), &v.AdditionalProperties)
}

// intentFields and resultFields have the fields of gen.Intent and gen.Result
// but not their methods; AdditionalProperties is tagged json:"-" there.
type (
	intentFields gen.Intent
	resultFields gen.Result
)

// decodeOpen decodes a JSON object into known (a pointer to a struct) and
// its other members into *extra, each as its raw JSON in the input; *extra
// is nil when there are none. A null sets *extra to nil and leaves *known as
// it is (JSON v2 zeroes the wrapper, not what it points to); the generated
// decIntent and decResult do the same.
func decodeOpen[T any](dec *jsontext.Decoder, known *T, extra *map[string]stdjson.RawMessage) error {
	var w struct {
		Known   *T                        `json:",embed"`
		Unknown map[string]jsontext.Value `json:",embed"`
	}
	w.Known = known
	if err := json.UnmarshalDecode(dec, &w); err != nil {
		return err
	}
	*extra = nil
	if len(w.Unknown) > 0 {
		*extra = make(map[string]stdjson.RawMessage, len(w.Unknown))
		for k, v := range w.Unknown {
			(*extra)[k] = stdjson.RawMessage(v)
		}
	}
	return nil
}

// The helpers of the generated decoders (decode_activity.gen.go). Each reads
// one JSON value, or its opening token, with jsontext's token API and does
// what JSON v2 does for the Go kind: null sets the zero value, another JSON
// kind than the Go kind takes is an error.

// openComposite reads the opening of a JSON object or array (delim: '{' or '['),
// true, or a null, false.
func openComposite(d *activityDecoder, delim jsontext.Kind, goType string) (bool, error) {
	tok, err := d.ReadToken()
	if err != nil {
		return false, err
	}
	switch tok.Kind() {
	case delim:
		return true, nil
	case 'n':
		return false, nil
	}
	return false, d.kindError(tok.Kind(), goType, nil)
}

// memberName reads an object member's name, unquoted. It is only valid until
// the next read from d. A name without escapes is returned as it is in the
// input (invalid UTF-8 in it, which JSON v2 replaces by U+FFFD, matches no
// field name either way, the generator having checked that none has U+FFFD).
func memberName(d *activityDecoder) ([]byte, error) {
	raw, err := d.ReadValue()
	if err != nil {
		return nil, err
	}
	if bytes.IndexByte(raw, '\\') < 0 {
		return raw[1 : len(raw)-1], nil
	}
	return d.unquote(raw), nil
}

// decodeExtraMember reads the value of an object member that an open struct
// (gen.Intent, gen.Result) does not know into (*extra)[name], as decodeOpen
// does: a copy of the value's raw JSON, under the unquoted name with invalid
// UTF-8 replaced by U+FFFD; the last of duplicate names wins.
func decodeExtraMember(d *activityDecoder, name []byte, extra *map[string]stdjson.RawMessage) error {
	key := validUTF8(name) // before the next read, which may reuse name
	raw, err := d.ReadValue()
	if err != nil {
		return err
	}
	if *extra == nil {
		*extra = map[string]stdjson.RawMessage{}
	}
	(*extra)[key] = stdjson.RawMessage(bytes.Clone(raw))
	return nil
}

// validUTF8 returns b as a string with each byte of invalid UTF-8 replaced
// by U+FFFD, as jsontext's unquoting does (memberName leaves a name without
// escapes as it is in the input).
func validUTF8(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	return string([]rune(string(b))) // the conversion yields U+FFFD for each invalid byte
}

// unquote unquotes a JSON string that the decoder has read (so its syntax is
// valid) with jsontext, into d.scratch. The only error left to report is
// invalid UTF-8, which AllowInvalidUTF8 permits: AppendUnquote replaces it
// with U+FFFD, as JSON v2 does.
func (d *activityDecoder) unquote(raw jsontext.Value) []byte {
	d.scratch, _ = jsontext.AppendUnquote(d.scratch[:0], raw)
	return d.scratch
}

// decodeString reads a JSON string, or null (""), into *v. A string with
// neither escapes nor invalid UTF-8 is its bytes between the quotes; any
// other is unquoted by jsontext.
func decodeString[S ~string](d *activityDecoder, v *S) error {
	raw, err := d.ReadValue()
	if err != nil {
		return err
	}
	switch raw.Kind() {
	case '"':
		b := raw[1 : len(raw)-1]
		if bytes.IndexByte(b, '\\') >= 0 || !utf8.Valid(b) {
			b = d.unquote(raw)
		}
		*v = S(d.intern(b))
	case 'n':
		*v = ""
	default:
		return d.kindError(raw.Kind(), "string", nil)
	}
	return nil
}

// intern returns b as a string, the one d made last time for the same bytes
// if it is still in d.strs.
func (d *activityDecoder) intern(b []byte) string {
	const maxLen = 72 // UUIDs, compressed public keys, digests; not signatures or messages
	if len(b) < 2 || len(b) > maxLen {
		return string(b)
	}
	// A hash of the length and the first and last 8 (or 2) bytes.
	var head, tail uint64
	if len(b) >= 8 {
		head, tail = binary.LittleEndian.Uint64(b), binary.LittleEndian.Uint64(b[len(b)-8:])
	} else {
		head, tail = uint64(binary.LittleEndian.Uint16(b)), uint64(binary.LittleEndian.Uint16(b[len(b)-2:]))
	}
	h := head*0x9E3779B97F4A7C15 ^ tail*0xC2B2AE3D27D4EB4F ^ uint64(len(b))
	h = (h ^ h>>29) * 0x9E3779B97F4A7C15 >> 56
	if s := d.strs[h]; s == string(b) {
		return s
	}
	s := string(b)
	d.strs[h] = s
	return s
}

// decodeBool reads a JSON boolean, or null (false), into *v.
func decodeBool(d *activityDecoder, v *bool) error {
	tok, err := d.ReadToken()
	if err != nil {
		return err
	}
	switch tok.Kind() {
	case 't', 'f':
		*v = tok.Bool()
	case 'n':
		*v = false
	default:
		return d.kindError(tok.Kind(), "bool", nil)
	}
	return nil
}

// decodeInt reads a JSON integer that fits in bits (0: an int), or null (0),
// into *v. A fraction or an exponent is an error, as in JSON v2.
func decodeInt[I ~int | ~int8 | ~int16 | ~int32 | ~int64](d *activityDecoder, v *I, bits int) error {
	raw, err := d.ReadValue()
	if err != nil {
		return err
	}
	switch raw.Kind() {
	case '0':
		n, err := strconv.ParseInt(string(raw), 10, bits)
		if err != nil {
			return d.kindError('0', "int"+strconv.Itoa(bits), err)
		}
		*v = I(n)
	case 'n':
		*v = 0
	default:
		return d.kindError(raw.Kind(), "int"+strconv.Itoa(bits), nil)
	}
	return nil
}

// endOfInput checks that nothing but whitespace follows the decoded value.
func (d *activityDecoder) endOfInput() error {
	tok, err := d.ReadToken()
	switch {
	case err == io.EOF:
		return nil
	case err != nil:
		return err
	}
	return d.kindError(tok.Kind(), "the end of the input", nil)
}

// decodeError is a JSON value of another kind than its Go type takes. Its
// message has no "sdk: " prefix: the call path wraps every decoding error
// as "sdk: <operation>: decode response: ...".
type decodeError struct {
	got  jsontext.Kind
	want string           // the Go type
	at   jsontext.Pointer // where in the answer
	err  error            // the cause, if any (a number out of range)
}

// kindError reports a value of kind got where want was expected.
func (d *activityDecoder) kindError(got jsontext.Kind, want string, err error) error {
	return &decodeError{got: got, want: want, at: d.StackPointer(), err: err}
}

// Error describes the mismatch.
func (e *decodeError) Error() string {
	kinds := map[jsontext.Kind]string{'n': "null", 't': "boolean", 'f': "boolean", '"': "string",
		'0': "number", '{': "object", '[': "array", '}': "end of object", ']': "end of array"}
	msg := "JSON " + kinds[e.got] + " where " + e.want + " was expected, at " + strconv.Quote(string(e.at))
	if e.err != nil {
		msg += ": " + e.err.Error()
	}
	return msg
}

// Unwrap returns the cause.
func (e *decodeError) Unwrap() error { return e.err }
