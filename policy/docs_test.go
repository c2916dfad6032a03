package policy

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// docExample is one example policy of Turnkey's policy documentation (its
// placeholders filled in), with an activity the documentation says it
// allows (or, for a deny policy, leaves alone) and one it refuses.
type docExample struct {
	Doc      string `json:"doc"`
	Policy   Policy `json:"policy"`
	Allow    Input  `json:"allow"`
	Refuse   Input  `json:"refuse"`
	Explicit bool   `json:"explicit"` // the refusal is an explicit deny
}

func loadDocExamples(t *testing.T) []docExample {
	t.Helper()
	raw, err := os.ReadFile("testdata/doc_examples.json")
	require.NoError(t, err)
	var ex []docExample
	require.NoError(t, json.Unmarshal(raw, &ex))
	require.GreaterOrEqual(t, len(ex), 60)
	return ex
}

// allowRest is the allow-everything policy a deny example runs beside, so
// that what the deny policy leaves alone is allowed.
var allowRest = Policy{ID: "allow-rest", Name: "allow everything else", Effect: EffectAllow, Condition: "true"}

func TestDocExamples(t *testing.T) {
	for _, ex := range loadDocExamples(t) {
		t.Run(ex.Doc, func(t *testing.T) {
			ex.Policy.ID = "example"
			p, err := Compile(ex.Policy)
			require.NoError(t, err, "the documented policy must compile")
			set := []*Compiled{p}
			if ex.Policy.Effect == EffectDeny {
				set = append(set, MustCompile(allowRest))
			}
			d, err := Evaluate(set, ex.Allow)
			require.NoError(t, err)
			assert.Equal(t, OutcomeAllow, d.Outcome, "allowed case: %s (%v)", d.Reason, d.Evaluations)
			want := OutcomeAllow
			if ex.Policy.Effect == EffectDeny {
				want = OutcomeDenyImplicit // it does not apply
			}
			assert.Equal(t, want, d.Evaluations[0].Outcome, d.Evaluations[0].Error)
			d, err = Evaluate(set, ex.Refuse)
			require.NoError(t, err)
			assert.Equal(t, OutcomeDeny, d.Outcome, "refused case: %s", d.Reason)
			assert.Equal(t, ex.Explicit, d.Explicit, d.Reason)
			if ex.Explicit {
				assert.Equal(t, OutcomeDenyExplicit, d.Evaluations[0].Outcome)
				assert.Equal(t, "The following policies denied this action: example", d.Message())
			} else {
				// Refused because the policy does not apply, not because it failed.
				assert.Equal(t, OutcomeDenyImplicit, d.Evaluations[0].Outcome, d.Evaluations[0].Error)
				assert.Equal(t, "No policies evaluated to outcome: Allow", d.Message())
			}
		})
	}
}
