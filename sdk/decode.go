package sdk

import (
	stdjson "encoding/json"
	"sync/atomic"

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
//     1.26): on activity answers it is about three times faster than
//     encoding/json, with an eighth of the allocations. Only programs that
//     call such an operation link it (about 0.66 MB of a stripped binary).
//   - decodeAnswer, for every other answer (small objects such as whoami),
//     uses encoding/json, which every program using the sdk links anyway: the
//     generated models and the request encoding need it.
//
// Both ignore unknown members, so newer API fields do not break old clients,
// except in an activity's intent and result: there a member the spec does
// not know (an activity type or version newer than this client) is kept, as
// raw JSON, in AdditionalProperties (see ActivityIntent and ActivityResult).
// Both treat duplicate member names (the last one wins) and invalid UTF-8
// (replaced by U+FFFD) alike: decodeActivities sets the two options that make
// JSON v2 do as encoding/json does, which also spares it the checks.
// Requests are encoded with encoding/json, as the generated client's own
// request builders do.

// decodeActivities decodes an answer that carries activities.
func decodeActivities(data []byte, out any) error {
	return json.Unmarshal(data, out, *activityOptions())
}

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
// twice (once into a map, then member by member).
func activityOptions() *json.Options {
	if o := activityOpts.Load(); o != nil {
		return o
	}
	o := json.JoinOptions(
		jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true),
		json.WithUnmarshalers(json.JoinUnmarshalers(
			json.UnmarshalFromFunc(func(dec *jsontext.Decoder, v *gen.Intent) error {
				return decodeOpen(dec, (*intentFields)(v), &v.AdditionalProperties)
			}),
			json.UnmarshalFromFunc(func(dec *jsontext.Decoder, v *gen.Result) error {
				return decodeOpen(dec, (*resultFields)(v), &v.AdditionalProperties)
			}),
		)))
	activityOpts.Store(&o)
	return &o
}

// intentFields and resultFields have the fields of gen.Intent and gen.Result
// but not their methods; AdditionalProperties is tagged json:"-" there.
type (
	intentFields gen.Intent
	resultFields gen.Result
)

// decodeOpen decodes a JSON object into known (a pointer to a struct) and
// its other members into *extra; *extra stays nil when there are none.
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
