package sdk_test

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/api"
	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/sdk"
)

// Operations lists, for every submit, its versions from the spec: the
// default first, then the newer ones, each with the method that sends it.
func TestOperationsListVersions(t *testing.T) {
	doc, err := api.Load(context.Background())
	require.NoError(t, err)
	specOps, err := api.Operations(doc)
	require.NoError(t, err)
	byName := map[string]api.Operation{}
	for _, o := range specOps {
		byName[o.Name] = o
	}
	client := reflect.TypeOf(&sdk.Client{})
	newer := 0
	for _, op := range sdk.Operations() {
		spec := byName[op.Name]
		if op.Kind == sdk.KindQuery {
			assert.Empty(t, op.Versions, op.Name)
			continue
		}
		require.NotEmpty(t, op.Versions, op.Name)
		assert.Equal(t, sdk.ActivityVersion{Type: op.ActivityType, Intent: op.Intent, Result: op.Result, Method: op.Method, Default: true}, op.Versions[0])
		require.Len(t, op.Versions, 1+len(spec.Activity.Versions), op.Name)
		for i, v := range spec.Activity.Versions {
			got := op.Versions[i+1]
			method := strings.TrimSuffix(op.Method, "Raw") + v.Suffix()
			if strings.HasSuffix(op.Method, "Raw") {
				method += "Raw"
			}
			assert.Equal(t, sdk.ActivityVersion{Type: v.Type, Intent: v.Intent, Result: v.Result, Method: method}, got)
			_, ok := client.MethodByName(got.Method)
			assert.True(t, ok, "Client has no method %s", got.Method)
			newer++
		}
	}
	assert.Equal(t, 13, newer, "the 13 newer versions of the issue's table")

	// The copies are the caller's: changing them changes nothing inside.
	ops := sdk.Operations()
	for i := range ops {
		for j := range ops[i].Versions {
			ops[i].Versions[j].Method = "changed"
		}
	}
	op, ok := sdk.LookupOperation("create_users")
	require.True(t, ok)
	assert.Equal(t, "CreateUsersV3", op.Versions[1].Method)
}

// Every newer version's typed method sends its own type and intent and
// decodes its own typed result. The test is driven by the operation table,
// with values derived from the method's Go types, so it covers every
// version the spec lists: a wire-shape test against a test server. Each
// version is also sent end to end to the simulator, which serves them all,
// in turnkeytest (versions_test.go, versions_auth_test.go).
func TestEveryVersionTypedMethod(t *testing.T) {
	client := reflect.ValueOf(&sdk.Client{})
	n := 0
	for _, op := range sdk.Operations() {
		for _, v := range op.Versions {
			if v.Default {
				continue
			}
			n++
			t.Run(v.Method, func(t *testing.T) {
				m := client.MethodByName(v.Method)
				require.True(t, m.IsValid(), "no method %s", v.Method)
				mt := m.Type()
				params := reflect.New(mt.In(1)).Elem()
				fill(params, v.Method)
				var result reflect.Value
				if mt.NumOut() == 3 {
					result = reflect.New(mt.Out(0).Elem()).Elem()
					fill(result, v.Result)
				}
				answer := activity("act-"+v.Method, gen.ActivityStatusCompleted, nil)
				act := answer["activity"].(map[string]any)
				act["type"] = v.Type
				if result.IsValid() {
					act["result"] = map[string]any{v.Result: result.Interface()}
				}
				h := newHarness(t, func(_ int, r recorded) reply {
					var body struct {
						Type       string          `json:"type"`
						Parameters json.RawMessage `json:"parameters"`
					}
					if err := json.Unmarshal(r.Body, &body); err != nil || body.Type != v.Type {
						return reply{Status: 400, Body: map[string]any{"code": 3, "message": fmt.Sprintf("type %q, want %s (%v)", body.Type, v.Type, err), "details": []any{}}}
					}
					act["intent"] = map[string]json.RawMessage{v.Intent: body.Parameters}
					return reply{Body: answer}
				})
				c := reflect.ValueOf(h.client())
				out := c.MethodByName(v.Method).Call([]reflect.Value{reflect.ValueOf(ctxT(t)), params})
				require.Nil(t, out[len(out)-1].Interface(), "error")
				reqs := h.requests()
				require.Len(t, reqs, 1)
				assert.Equal(t, op.Path, reqs[0].Path)
				var sent struct {
					Parameters json.RawMessage `json:"parameters"`
				}
				require.NoError(t, json.Unmarshal(reqs[0].Body, &sent))
				want, err := json.Marshal(params.Interface())
				require.NoError(t, err)
				assert.JSONEq(t, string(want), string(sent.Parameters), "the intent is sent as given")

				a := out[len(out)-2].Interface().(*gen.Activity)
				member, raw, ok := sdk.ActivityIntent(a)
				require.True(t, ok)
				assert.Equal(t, v.Intent, member, "the intent decodes into its typed member")
				assert.JSONEq(t, string(want), string(raw))
				assert.Empty(t, a.Intent.AdditionalProperties, "the spec knows %s", v.Intent)
				if result.IsValid() {
					assert.Equal(t, result.Interface(), out[0].Elem().Interface(), "typed result of %s", v.Result)
				}
			})
		}
	}
	assert.Equal(t, 13, n)
}

// fill sets every field of v, recursively, to a value derived from seed:
// strings, numbers, booleans, one-element slices and non-nil pointers, so
// that a round trip through JSON shows every field arriving where it should.
func fill(v reflect.Value, seed string) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(seed)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int32, reflect.Int64:
		v.SetInt(int64(len(seed)))
	case reflect.Float32, reflect.Float64:
		v.SetFloat(float64(len(seed)))
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), seed)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fill(v.Index(0), seed)
	case reflect.Struct:
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if f.IsExported() && f.Tag.Get("json") != "-" {
				fill(v.Field(i), seed+"."+f.Name)
			}
		}
	case reflect.Map:
		// additional properties: left empty
	}
}
