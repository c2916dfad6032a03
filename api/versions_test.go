package api_test

import (
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/api"
)

// The activity versions, other than the documented default, that Turnkey's
// API accepts on our submits (its published Swagger, and the versions its own
// clients send), each with its intent and result member.
var wantVersions = map[string][]api.ActivityVersion{
	"create_oauth_providers": {
		{Type: "ACTIVITY_TYPE_CREATE_OAUTH_PROVIDERS_V2", Intent: "createOauthProvidersIntentV2", Result: "createOauthProvidersResultV2", Request: "CreateOauthProvidersRequestV2"}},
	"create_sub_organization": {
		{Type: "ACTIVITY_TYPE_CREATE_SUB_ORGANIZATION_V8", Intent: "createSubOrganizationIntentV8", Result: "createSubOrganizationResultV8", Request: "CreateSubOrganizationRequestV8"}},
	"create_users": {
		{Type: "ACTIVITY_TYPE_CREATE_USERS_V3", Intent: "createUsersIntentV3", Result: "createUsersResult", Request: "CreateUsersRequestV3"},
		{Type: "ACTIVITY_TYPE_CREATE_USERS_V4", Intent: "createUsersIntentV4", Result: "createUsersResult", Request: "CreateUsersRequestV4"}},
	"email_auth": {
		{Type: "ACTIVITY_TYPE_EMAIL_AUTH_V3", Intent: "emailAuthIntentV3", Result: "emailAuthResult", Request: "EmailAuthRequestV3"}},
	"init_otp": {
		{Type: "ACTIVITY_TYPE_INIT_OTP_V2", Intent: "initOtpIntentV2", Result: "initOtpResult", Request: "InitOtpRequestV2"},
		{Type: "ACTIVITY_TYPE_INIT_OTP_V3", Intent: "initOtpIntentV3", Result: "initOtpResultV2", Request: "InitOtpRequestV3"}},
	"init_otp_auth": {
		{Type: "ACTIVITY_TYPE_INIT_OTP_AUTH_V2", Intent: "initOtpAuthIntentV2", Result: "initOtpAuthResultV2", Request: "InitOtpAuthRequestV2"},
		{Type: "ACTIVITY_TYPE_INIT_OTP_AUTH_V3", Intent: "initOtpAuthIntentV3", Result: "initOtpAuthResultV2", Request: "InitOtpAuthRequestV3"}},
	"init_user_email_recovery": {
		{Type: "ACTIVITY_TYPE_INIT_USER_EMAIL_RECOVERY_V2", Intent: "initUserEmailRecoveryIntentV2", Result: "initUserEmailRecoveryResult", Request: "InitUserEmailRecoveryRequestV2"}},
	"otp_login": {
		{Type: "ACTIVITY_TYPE_OTP_LOGIN_V2", Intent: "otpLoginIntentV2", Result: "otpLoginResult", Request: "OtpLoginRequestV2"}},
	"update_policy": {
		{Type: "ACTIVITY_TYPE_UPDATE_POLICY_V2", Intent: "updatePolicyIntentV2", Result: "updatePolicyResultV2", Request: "UpdatePolicyRequestV2"}},
	"verify_otp": {
		{Type: "ACTIVITY_TYPE_VERIFY_OTP_V2", Intent: "verifyOtpIntentV2", Result: "verifyOtpResult", Request: "VerifyOtpRequestV2"}},
}

func TestActivityVersions(t *testing.T) {
	doc := load(t)
	ops, err := api.Operations(doc)
	require.NoError(t, err)
	got := map[string][]api.ActivityVersion{}
	for _, op := range ops {
		if op.Activity != nil && len(op.Activity.Versions) > 0 {
			got[op.Name] = op.Activity.Versions
		}
	}
	assert.Equal(t, wantVersions, got)

	activityTypes := schema(t, doc, "ActivityType").Enum
	intents := schema(t, doc, "Intent").Properties
	results := schema(t, doc, "Result").Properties
	for _, op := range ops {
		if op.Activity == nil || len(op.Activity.Versions) == 0 {
			if op.Kind == api.KindSubmit {
				assert.Equal(t, op.RequestSchema, op.BodySchema, "%s: a single-version body is its request", op.Name)
			}
			continue
		}
		t.Run(op.Name, func(t *testing.T) {
			assert.Equal(t, pascal(op.Name)+"VersionedRequest", op.BodySchema)
			assert.Equal(t, pascal(op.Name)+"Request", op.RequestSchema, "the default version keeps its request schema")
			body := schema(t, doc, op.BodySchema)
			assert.Equal(t, op.RequestSchema, body.Extensions["x-go-type"], "Go keeps the default body type")
			assert.Len(t, body.OneOf, 1+len(op.Activity.Versions))
			seen := map[string]bool{op.Activity.Type: true}
			for _, v := range op.Activity.Versions {
				assert.False(t, seen[v.Type], "%s listed twice", v.Type)
				seen[v.Type] = true
				assert.NotEmpty(t, v.Suffix(), "%s has a _V<n> suffix", v.Type)
				assert.Contains(t, activityTypes, v.Type)
				req := schema(t, doc, v.Request)
				assert.ElementsMatch(t, []string{"type", "timestampMs", "organizationId", "parameters"}, req.Required)
				assert.Equal(t, []any{v.Type}, req.Properties["type"].Value.Enum, "%s: type is a one-value enum", v.Request)
				assert.Equal(t, "#/components/schemas/"+v.Request, body.Discriminator.Mapping[v.Type].Ref)
				intent := intents[v.Intent]
				require.NotNil(t, intent, "Intent.%s", v.Intent)
				assert.Equal(t, intent.Ref, req.Properties["parameters"].Ref, "parameters of %s is Intent.%s", v.Request, v.Intent)
				assert.Contains(t, results, v.Result)
				for name, p := range schema(t, doc, refTail(intent.Ref)).Properties {
					if p.Ref == "" {
						assert.NotEmpty(t, p.Value.Description, "%s.%s has a description", refTail(intent.Ref), name)
					}
				}
			}
		})
	}
}

func TestVersionSuffix(t *testing.T) {
	for in, want := range map[string]string{
		"ACTIVITY_TYPE_CREATE_SUB_ORGANIZATION_V8": "V8",
		"ACTIVITY_TYPE_INIT_OTP":                   "",
		"ACTIVITY_TYPE_CREATE_USERS_V12":           "V12",
		"ACTIVITY_TYPE_X_VERIFY":                   "",
		"ACTIVITY_TYPE_X_V":                        "",
	} {
		assert.Equal(t, want, api.VersionSuffix(in), in)
	}
}

func refTail(ref string) string {
	for i := len(ref) - 1; i >= 0; i-- {
		if ref[i] == '/' {
			return ref[i+1:]
		}
	}
	return ref
}

// Operations refuses a spec whose versions and request body disagree.
func TestOperationsRejectsInconsistentVersions(t *testing.T) {
	for name, breakIt := range map[string]func(doc *openapi3.T){
		"mapping missing": func(doc *openapi3.T) {
			delete(doc.Components.Schemas["CreateUsersVersionedRequest"].Value.Discriminator.Mapping, "ACTIVITY_TYPE_CREATE_USERS_V4")
		},
		"version not in the oneOf": func(doc *openapi3.T) {
			b := doc.Components.Schemas["UpdatePolicyVersionedRequest"].Value
			b.OneOf = b.OneOf[:1]
		},
		"body is not a oneOf": func(doc *openapi3.T) {
			doc.Paths.Find("/public/v1/submit/verify_otp").Post.RequestBody.Value.Content.Get("application/json").Schema.Ref = "#/components/schemas/VerifyOtpRequest"
		},
	} {
		t.Run(name, func(t *testing.T) {
			doc := loadUnvalidated(t)
			breakIt(doc)
			_, err := api.Operations(doc)
			assert.Error(t, err)
		})
	}
}

// loadUnvalidated parses the embedded spec without validating it (which
// TestSpecValidates does), for tests that change a copy.
func loadUnvalidated(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(api.Spec)
	require.NoError(t, err)
	return doc
}
