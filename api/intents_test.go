package api_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/api"
)

// member names the Intent or Result member of an activity type the way
// Turnkey does: ACTIVITY_TYPE_CREATE_USERS_V2 is createUsersIntentV2 (kind
// "Intent") and createUsersResultV2 (kind "Result").
func member(activityType, kind string) string {
	name := strings.TrimPrefix(activityType, "ACTIVITY_TYPE_")
	suffix := api.VersionSuffix(name)
	name = strings.TrimSuffix(name, "_"+suffix)
	var b strings.Builder
	for i, part := range strings.Split(strings.ToLower(name), "_") {
		if i > 0 && part != "" {
			part = strings.ToUpper(part[:1]) + part[1:]
		}
		b.WriteString(part)
	}
	return b.String() + kind + suffix
}

func TestMemberName(t *testing.T) {
	for in, want := range map[string]string{
		"ACTIVITY_TYPE_CREATE_USERS_V2":                 "createUsersIntentV2",
		"ACTIVITY_TYPE_CREATE_OAUTH2_CREDENTIAL":        "createOauth2CredentialIntent",
		"ACTIVITY_TYPE_ETH_SEND_TRANSACTION_V2":         "ethSendTransactionIntentV2",
		"ACTIVITY_TYPE_RE_ENCRYPT_TVC_QUORUM_KEY_SHARE": "reEncryptTvcQuorumKeyShareIntent",
	} {
		assert.Equal(t, want, member(in, "Intent"), in)
	}
}

// noIntent lists the activity types of the enum that Turnkey's published
// Swagger (public_api.swagger.json, v1Intent) has no intent member for. It is
// empty: Turnkey documents an intent for every type. A type added to the enum
// without one belongs here only with that reason.
var noIntent = map[string]string{}

// Every activity type of the enum has its member of Intent, named as Turnkey
// names it, referring to a described object schema; and Intent has no member
// that is not an activity type's.
func TestEveryActivityTypeHasItsIntent(t *testing.T) {
	doc := load(t)
	types := schema(t, doc, "ActivityType").Enum
	require.NotEmpty(t, types)
	intents := schema(t, doc, "Intent").Properties
	want := map[string]bool{}
	for _, v := range types {
		typ := v.(string)
		m := member(typ, "Intent")
		want[m] = true
		if _, ok := noIntent[typ]; ok {
			assert.NotContains(t, intents, m, "%s is allow-listed as having no intent", typ)
			continue
		}
		ref := intents[m]
		if !assert.NotNil(t, ref, "%s has no Intent.%s", typ, m) {
			continue
		}
		require.NotEmpty(t, ref.Ref, "Intent.%s refers to a component", m)
		s := schema(t, doc, refTail(ref.Ref))
		assert.True(t, s.Type.Is("object"), "%s is an object", ref.Ref)
		assert.NotEmpty(t, s.Description, ref.Ref)
	}
	for m := range intents {
		assert.True(t, want[m], "Intent.%s is no activity type's member", m)
	}
}

// resultOf gives, for the activity types whose result is not under their own
// member name, the Result member they report under: Turnkey's Swagger
// (v1Result) has no member of their own, because later versions of an
// activity report the result of an earlier one (INIT_OTP_V2 reports
// initOtpResult, V3 initOtpResultV2). APPROVE_ACTIVITY and
// REJECT_ACTIVITY have no result at all ("").
var resultOf = map[string]string{
	"ACTIVITY_TYPE_APPROVE_ACTIVITY":            "",
	"ACTIVITY_TYPE_REJECT_ACTIVITY":             "",
	"ACTIVITY_TYPE_ACCEPT_INVITATION_V2":        "acceptInvitationResult",
	"ACTIVITY_TYPE_CREATE_API_KEYS_V2":          "createApiKeysResult",
	"ACTIVITY_TYPE_CREATE_AUTHENTICATORS_V2":    "createAuthenticatorsResult",
	"ACTIVITY_TYPE_CREATE_ORGANIZATION_V2":      "createOrganizationResult",
	"ACTIVITY_TYPE_CREATE_POLICY_V2":            "createPolicyResult",
	"ACTIVITY_TYPE_CREATE_POLICY_V3":            "createPolicyResult",
	"ACTIVITY_TYPE_CREATE_SUB_ORGANIZATION_V2":  "createSubOrganizationResult",
	"ACTIVITY_TYPE_CREATE_USERS_V2":             "createUsersResult",
	"ACTIVITY_TYPE_CREATE_USERS_V3":             "createUsersResult",
	"ACTIVITY_TYPE_CREATE_USERS_V4":             "createUsersResult",
	"ACTIVITY_TYPE_EMAIL_AUTH_V2":               "emailAuthResult",
	"ACTIVITY_TYPE_EMAIL_AUTH_V3":               "emailAuthResult",
	"ACTIVITY_TYPE_INIT_OTP_AUTH_V3":            "initOtpAuthResultV2",
	"ACTIVITY_TYPE_INIT_OTP_V2":                 "initOtpResult",
	"ACTIVITY_TYPE_INIT_OTP_V3":                 "initOtpResultV2",
	"ACTIVITY_TYPE_INIT_USER_EMAIL_RECOVERY_V2": "initUserEmailRecoveryResult",
	"ACTIVITY_TYPE_OTP_LOGIN_V2":                "otpLoginResult",
	"ACTIVITY_TYPE_SET_PAYMENT_METHOD_V2":       "setPaymentMethodResult",
	"ACTIVITY_TYPE_SIGN_RAW_PAYLOAD_V2":         "signRawPayloadResult",
	"ACTIVITY_TYPE_SIGN_TRANSACTION_V2":         "signTransactionResult",
	"ACTIVITY_TYPE_VERIFY_OTP_V2":               "verifyOtpResult",
}

// Every activity type of the enum has a Result member (its own, or the one
// resultOf names), referring to a described object schema; the submits'
// x-turnkey-activity agree with it.
func TestEveryActivityTypeHasItsResult(t *testing.T) {
	doc := load(t)
	types := schema(t, doc, "ActivityType").Enum
	results := schema(t, doc, "Result").Properties
	want := map[string]string{}
	for _, v := range types {
		typ := v.(string)
		m, shared := resultOf[typ]
		if !shared {
			m = member(typ, "Result")
		}
		want[typ] = m
		if m == "" {
			assert.NotContains(t, results, member(typ, "Result"), typ)
			continue
		}
		ref := results[m]
		if !assert.NotNil(t, ref, "%s has no Result.%s", typ, m) {
			continue
		}
		require.NotEmpty(t, ref.Ref, "Result.%s refers to a component", m)
		s := schema(t, doc, refTail(ref.Ref))
		assert.True(t, s.Type.Is("object"), "%s is an object", ref.Ref)
		assert.NotEmpty(t, s.Description, ref.Ref)
	}
	for typ := range resultOf {
		assert.Contains(t, types, typ, "resultOf names a type the enum lacks")
	}
	ops, err := api.Operations(doc)
	require.NoError(t, err)
	for _, op := range ops {
		if op.Activity == nil {
			continue
		}
		assert.Equal(t, want[op.Activity.Type], op.Activity.Result, op.ID)
		for _, v := range op.Activity.Versions {
			assert.Equal(t, want[v.Type], v.Result, "%s %s", op.ID, v.Type)
		}
	}
}

// Results, and the intents of activity types that no operation here submits,
// appear only in answers (activity.result, activity.intent), so an enum they
// carry is open: it refers to an <Enum>Value schema (x-extensible-enum), and
// a value Turnkey adds later does not break a strict client.
func TestAnswerOnlyIntentsUseOpenEnums(t *testing.T) {
	doc := load(t)
	ops, err := api.Operations(doc)
	require.NoError(t, err)
	submitted := map[string]bool{}
	for _, op := range ops {
		if op.Activity == nil {
			continue
		}
		submitted[op.Activity.Intent] = true
		for _, v := range op.Activity.Versions {
			submitted[v.Intent] = true
		}
	}
	// Schemas reachable from the intents that requests also use stay closed.
	closedOK := map[string]bool{}
	var mark func(name string)
	mark = func(name string) {
		if closedOK[name] {
			return
		}
		closedOK[name] = true
		walkRefs(doc.Components.Schemas[name].Value, mark)
	}
	for _, op := range ops {
		mark(op.RequestSchema)
		if op.Activity != nil {
			for _, v := range op.Activity.Versions {
				mark(v.Request)
			}
		}
	}
	seen := map[string]bool{}
	var check func(name string)
	check = func(name string) {
		if seen[name] || closedOK[name] {
			return
		}
		seen[name] = true
		s := doc.Components.Schemas[name].Value
		assert.Empty(t, s.Enum, "%s is reached only from answers but is a closed enum; refer to %sValue", name, name)
		walkRefs(s, check)
	}
	checked := 0
	for m, ref := range schema(t, doc, "Intent").Properties {
		if !submitted[m] {
			check(refTail(ref.Ref))
			checked++
		}
	}
	for _, ref := range schema(t, doc, "Result").Properties {
		check(refTail(ref.Ref))
		checked++
	}
	assert.Positive(t, checked)
}

// walkRefs calls f with the component name of every $ref among s's
// properties, items and composed schemas.
func walkRefs(s *openapi3.Schema, f func(string)) {
	if s == nil {
		return
	}
	visit := func(r *openapi3.SchemaRef) {
		if r == nil {
			return
		}
		if r.Ref != "" {
			f(refTail(r.Ref))
			return
		}
		walkRefs(r.Value, f)
	}
	for _, p := range s.Properties {
		visit(p)
	}
	visit(s.Items)
	for _, group := range [][]openapi3.SchemaRefs{{s.AllOf}, {s.OneOf}, {s.AnyOf}} {
		for _, refs := range group {
			for _, r := range refs {
				visit(r)
			}
		}
	}
}

// Every open <Enum>Value with a closed twin has an action in the Go overlay
// (api/overlays/go.yaml), so that our generated Go keeps typed constants for
// it.
func TestGoOverlayTypesEveryOpenEnum(t *testing.T) {
	doc := load(t)
	b, err := os.ReadFile(filepath.Join("overlays", "go.yaml"))
	require.NoError(t, err)
	overlay := string(b)
	n := 0
	for name := range doc.Components.Schemas {
		base, ok := strings.CutSuffix(name, "Value")
		if closed := doc.Components.Schemas[base]; !ok || closed == nil || len(closed.Value.Enum) == 0 {
			continue
		}
		n++
		assert.Contains(t, overlay, "- target: $.components.schemas."+name+"\n  update:\n    x-go-type: "+base+"\n", name)
	}
	assert.Positive(t, n)
}
