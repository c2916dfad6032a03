package speccheck_test

import (
	"context"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/api"
	"github.com/turnkey-go/turnkey/api/speccheck"
)

func TestSpecDescribesEverythingAndHasExamples(t *testing.T) {
	doc, err := speccheck.Load(context.Background(), api.Spec)
	require.NoError(t, err)
	gaps := speccheck.Find(doc)
	assert.Empty(t, gaps.All(), "go run ./internal/cmd/specstats -v lists them")
}

func TestEveryExampleMatchesItsSchema(t *testing.T) {
	doc, err := speccheck.Load(context.Background(), api.Spec)
	require.NoError(t, err)
	examples := speccheck.Examples(doc)
	ops, err := api.Operations(doc)
	require.NoError(t, err)
	require.Len(t, examples, 2*len(ops), "one request and one answer example per operation")
	for _, e := range examples {
		assert.NoError(t, e.Validate())
	}
}

// The example of a submit sends its activity type and answers with an activity
// of that type, whose intent is the request's parameters.
func TestSubmitExamplesAreConsistent(t *testing.T) {
	doc, err := speccheck.Load(context.Background(), api.Spec)
	require.NoError(t, err)
	ops, err := api.Operations(doc)
	require.NoError(t, err)
	byOp := map[string]map[string]any{}
	for _, e := range speccheck.Examples(doc) {
		if byOp[e.Operation] == nil {
			byOp[e.Operation] = map[string]any{}
		}
		byOp[e.Operation][e.Part] = e.Value
	}
	for _, op := range ops {
		if op.Activity == nil {
			continue
		}
		req, _ := byOp[op.ID]["request"].(map[string]any)
		ans, _ := byOp[op.ID]["200 answer"].(map[string]any)
		require.NotNil(t, req, op.ID)
		require.NotNil(t, ans, op.ID)
		act, _ := ans["activity"].(map[string]any)
		require.NotNil(t, act, op.ID)
		assert.Equal(t, op.Activity.Type, req["type"], op.ID)
		assert.Equal(t, op.Activity.Type, act["type"], op.ID)
		intent, _ := act["intent"].(map[string]any)
		assert.Equal(t, req["parameters"], intent[op.Activity.Intent], op.ID)
		if op.Activity.Result != "" {
			result, _ := act["result"].(map[string]any)
			assert.Contains(t, result, op.Activity.Result, op.ID)
		}
	}
}

const tiny = `openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    post:
      operationId: A
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Req'}
            example: {n: "not a number"}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Described'}
components:
  schemas:
    Req:
      type: object
      properties:
        n: {type: integer}
        d: {$ref: '#/components/schemas/Described'}
        u: {$ref: '#/components/schemas/Undescribed'}
    Described:
      type: object
      description: has one
    Undescribed:
      type: string
`

func TestFindReportsEachKindOfGap(t *testing.T) {
	// Parsed without validation: kin-openapi's Validate would refuse the bad example itself.
	doc, err := openapi3.NewLoader().LoadFromData([]byte(tiny))
	require.NoError(t, err)
	gaps := speccheck.Find(doc)
	assert.Equal(t, []string{"Req", "Undescribed"}, gaps.Schemas)
	assert.Equal(t, []string{"Req.n", "Req.u"}, gaps.Properties, "a $ref property is described by its schema")
	assert.Equal(t, []string{"A: 200 answer"}, gaps.Operations)
	assert.False(t, gaps.Empty())
}

func TestValidateRejectsAnExampleThatDoesNotMatch(t *testing.T) {
	// Parsed without validation: kin-openapi's Validate would refuse the bad example itself.
	doc, err := openapi3.NewLoader().LoadFromData([]byte(tiny))
	require.NoError(t, err)
	examples := speccheck.Examples(doc)
	require.Len(t, examples, 1)
	err = examples[0].Validate()
	require.Error(t, err)
	assert.True(t, strings.Contains(err.Error(), "A request"), err.Error())
}

// TypedActivity has one form per submit, matching its x-turnkey-activity:
// the form's type, its one intent member and its one result member.
func TestTypedActivityMatchesTheSubmits(t *testing.T) {
	doc, err := speccheck.Load(context.Background(), api.Spec)
	require.NoError(t, err)
	ops, err := api.Operations(doc)
	require.NoError(t, err)
	typed := doc.Components.Schemas["TypedActivity"]
	require.NotNil(t, typed)
	mapping := typed.Value.Discriminator.Mapping
	forms := 0
	for _, op := range ops {
		if op.Activity == nil {
			continue
		}
		forms++
		ref := mapping[op.Activity.Type]
		require.NotEmpty(t, ref.Ref, "no TypedActivity form for %s", op.Activity.Type)
		form := doc.Components.Schemas[ref.Ref[strings.LastIndexByte(ref.Ref, '/')+1:]]
		require.NotNil(t, form, ref.Ref)
		p := form.Value.Properties
		assert.Equal(t, []any{op.Activity.Type}, p["type"].Value.Enum, op.ID)
		assert.Equal(t, []string{op.Activity.Intent}, keys(p["intent"].Value.Properties), op.ID)
		assert.Equal(t, doc.Components.Schemas["Intent"].Value.Properties[op.Activity.Intent].Ref,
			p["intent"].Value.Properties[op.Activity.Intent].Ref, op.ID)
		if op.Activity.Result == "" {
			assert.Empty(t, p["result"].Value.Properties, op.ID)
		} else {
			assert.Equal(t, []string{op.Activity.Result}, keys(p["result"].Value.Properties), op.ID)
		}
	}
	assert.Len(t, mapping, forms)
	assert.Len(t, typed.Value.OneOf, forms)
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// x-enum-varnames hold whole Go constant names, prefixed by their type's name
// (EffectAllow, CreateWalletRequestTypeCreateWallet), so that a default
// oapi-codegen run never emits bare constants such as Allow or In. A new enum
// value must follow suit.
func TestEnumVarnamesCarryTheirTypeName(t *testing.T) {
	doc, err := speccheck.Load(context.Background(), api.Spec)
	require.NoError(t, err)
	check := func(typeName string, s *openapi3.Schema) {
		names, _ := s.Extensions["x-enum-varnames"].([]any)
		for _, n := range names {
			name, _ := n.(string)
			assert.True(t, strings.HasPrefix(strings.ToLower(name), strings.ToLower(typeName)),
				"%s: x-enum-varnames %q does not start with %s", typeName, name, typeName)
		}
	}
	for name, ref := range doc.Components.Schemas {
		check(name, ref.Value)
		for pn, p := range ref.Value.Properties {
			if p.Ref == "" && p.Value != nil && len(p.Value.Enum) > 0 {
				check(name+strings.ToUpper(pn[:1])+pn[1:], p.Value)
			}
		}
	}
}

// Each open <Enum>Value lists exactly the values of the closed <Enum> in
// x-extensible-enum: a value added to one must be added to the other.
func TestOpenEnumsListTheClosedValues(t *testing.T) {
	doc, err := speccheck.Load(context.Background(), api.Spec)
	require.NoError(t, err)
	open := 0
	for name, ref := range doc.Components.Schemas {
		base, ok := strings.CutSuffix(name, "Value")
		closed := doc.Components.Schemas[base]
		if !ok || closed == nil || len(closed.Value.Enum) == 0 {
			continue
		}
		open++
		assert.Empty(t, ref.Value.Enum, "%s must not be a closed enum", name)
		assert.Equal(t, closed.Value.Enum, ref.Value.Extensions["x-extensible-enum"], name)
	}
	assert.Positive(t, open)
	act := doc.Components.Schemas["Activity"].Value.Properties
	assert.Equal(t, "#/components/schemas/ActivityTypeValue", act["type"].Ref)
	assert.Equal(t, "#/components/schemas/ActivityStatusValue", act["status"].Ref)
}
