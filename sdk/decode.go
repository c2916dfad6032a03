package sdk

import (
	stdjson "encoding/json"

	json "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/turnkey-go/turnkey/gen"
)

// decodeJSON decodes an API answer. It uses the JSON v2 implementation that
// is becoming the standard library's encoding/json/v2 (experimental in Go
// 1.26): for Turnkey's activity answers it is three times faster than
// encoding/json with a third of the allocations (see the README's
// performance section). Member names match exactly, as Turnkey sends them;
// unknown members are ignored, so newer API fields do not break old clients,
// except in an activity's intent and result: there a member the spec does
// not know (an activity type or version newer than this client) is kept,
// as raw JSON, in AdditionalProperties (see IntentOf and ResultOf).
// Requests are still encoded with encoding/json.
func decodeJSON(data []byte, out any) error {
	return json.Unmarshal(data, out, decodeOptions)
}

// decodeOptions decode gen.Intent and gen.Result in one pass, known members
// into their fields and the others into AdditionalProperties, instead of
// through the generated UnmarshalJSON methods, which decode every object
// twice (once into a map, then member by member).
var decodeOptions = json.WithUnmarshalers(json.JoinUnmarshalers(
	json.UnmarshalFromFunc(func(dec *jsontext.Decoder, v *gen.Intent) error {
		return decodeOpen(dec, (*intentFields)(v), &v.AdditionalProperties)
	}),
	json.UnmarshalFromFunc(func(dec *jsontext.Decoder, v *gen.Result) error {
		return decodeOpen(dec, (*resultFields)(v), &v.AdditionalProperties)
	}),
))

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
