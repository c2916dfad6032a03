package sdk

import (
	"encoding/json"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
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
// and treat duplicate member names (the last one wins) and invalid UTF-8
// (replaced by U+FFFD) alike: decodeActivities sets the two options that make
// JSON v2 do as encoding/json does, which also spares it the checks.
// Requests are encoded with encoding/json, as the generated client's own
// request builders do.

// decodeActivities decodes an answer that carries activities.
func decodeActivities(data []byte, out any) error {
	// No package-level variable holds these: its initializer would make
	// every program that imports the sdk link JSON v2.
	return jsonv2.Unmarshal(data, out, jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
}

// decodeAnswer decodes an answer that carries no activity.
func decodeAnswer(data []byte, out any) error {
	return json.Unmarshal(data, out)
}

// decodeJSON is the decoder of activity answers, the ones worth measuring
// (sdk/decode_test.go).
func decodeJSON(data []byte, out any) error { return decodeActivities(data, out) }
