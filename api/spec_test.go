package api_test

import (
	"context"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/api"
)

// The documented endpoints and, for submits, the activity type version each
// one sends (seed 003 for most; the docs for the five endpoints it predates).
var wantQueries = []string{
	"get_activity", "get_api_key", "get_api_keys", "get_authenticator", "get_authenticators",
	"get_oauth_providers", "get_organization_configs", "get_policy", "get_private_key", "get_user",
	"get_wallet", "get_wallet_account", "list_activities", "list_policies", "list_private_key_tags",
	"list_private_keys", "list_suborgs", "list_user_tags", "list_users", "list_verified_suborgs",
	"list_wallet_accounts", "list_wallets", "whoami",
}

var wantSubmits = map[string]string{
	"approve_activity":            "ACTIVITY_TYPE_APPROVE_ACTIVITY",
	"create_api_keys":             "ACTIVITY_TYPE_CREATE_API_KEYS_V2",
	"create_authenticators":       "ACTIVITY_TYPE_CREATE_AUTHENTICATORS_V2",
	"create_invitations":          "ACTIVITY_TYPE_CREATE_INVITATIONS",
	"create_oauth_providers":      "ACTIVITY_TYPE_CREATE_OAUTH_PROVIDERS",
	"create_policies":             "ACTIVITY_TYPE_CREATE_POLICIES",
	"create_policy":               "ACTIVITY_TYPE_CREATE_POLICY_V3",
	"create_private_key_tag":      "ACTIVITY_TYPE_CREATE_PRIVATE_KEY_TAG",
	"create_private_keys":         "ACTIVITY_TYPE_CREATE_PRIVATE_KEYS_V2",
	"create_read_only_session":    "ACTIVITY_TYPE_CREATE_READ_ONLY_SESSION",
	"create_read_write_session":   "ACTIVITY_TYPE_CREATE_READ_WRITE_SESSION_V2",
	"create_sub_organization":     "ACTIVITY_TYPE_CREATE_SUB_ORGANIZATION_V7",
	"create_user_tag":             "ACTIVITY_TYPE_CREATE_USER_TAG",
	"create_users":                "ACTIVITY_TYPE_CREATE_USERS_V2",
	"create_wallet":               "ACTIVITY_TYPE_CREATE_WALLET",
	"create_wallet_accounts":      "ACTIVITY_TYPE_CREATE_WALLET_ACCOUNTS",
	"delete_api_keys":             "ACTIVITY_TYPE_DELETE_API_KEYS",
	"delete_authenticators":       "ACTIVITY_TYPE_DELETE_AUTHENTICATORS",
	"delete_invitation":           "ACTIVITY_TYPE_DELETE_INVITATION",
	"delete_oauth_providers":      "ACTIVITY_TYPE_DELETE_OAUTH_PROVIDERS",
	"delete_policy":               "ACTIVITY_TYPE_DELETE_POLICY",
	"delete_private_key_tags":     "ACTIVITY_TYPE_DELETE_PRIVATE_KEY_TAGS",
	"delete_private_keys":         "ACTIVITY_TYPE_DELETE_PRIVATE_KEYS",
	"delete_sub_organization":     "ACTIVITY_TYPE_DELETE_SUB_ORGANIZATION",
	"delete_user_tags":            "ACTIVITY_TYPE_DELETE_USER_TAGS",
	"delete_users":                "ACTIVITY_TYPE_DELETE_USERS",
	"delete_wallets":              "ACTIVITY_TYPE_DELETE_WALLETS",
	"email_auth":                  "ACTIVITY_TYPE_EMAIL_AUTH_V2",
	"export_private_key":          "ACTIVITY_TYPE_EXPORT_PRIVATE_KEY",
	"export_wallet":               "ACTIVITY_TYPE_EXPORT_WALLET",
	"export_wallet_account":       "ACTIVITY_TYPE_EXPORT_WALLET_ACCOUNT",
	"import_private_key":          "ACTIVITY_TYPE_IMPORT_PRIVATE_KEY",
	"import_wallet":               "ACTIVITY_TYPE_IMPORT_WALLET",
	"init_import_private_key":     "ACTIVITY_TYPE_INIT_IMPORT_PRIVATE_KEY",
	"init_import_wallet":          "ACTIVITY_TYPE_INIT_IMPORT_WALLET",
	"init_otp":                    "ACTIVITY_TYPE_INIT_OTP",
	"init_otp_auth":               "ACTIVITY_TYPE_INIT_OTP_AUTH",
	"init_user_email_recovery":    "ACTIVITY_TYPE_INIT_USER_EMAIL_RECOVERY",
	"oauth":                       "ACTIVITY_TYPE_OAUTH",
	"oauth_login":                 "ACTIVITY_TYPE_OAUTH_LOGIN",
	"otp_auth":                    "ACTIVITY_TYPE_OTP_AUTH",
	"otp_login":                   "ACTIVITY_TYPE_OTP_LOGIN",
	"recover_user":                "ACTIVITY_TYPE_RECOVER_USER",
	"reject_activity":             "ACTIVITY_TYPE_REJECT_ACTIVITY",
	"remove_organization_feature": "ACTIVITY_TYPE_REMOVE_ORGANIZATION_FEATURE",
	"set_organization_feature":    "ACTIVITY_TYPE_SET_ORGANIZATION_FEATURE",
	"sign_raw_payload":            "ACTIVITY_TYPE_SIGN_RAW_PAYLOAD_V2",
	"sign_raw_payloads":           "ACTIVITY_TYPE_SIGN_RAW_PAYLOADS",
	"sign_transaction":            "ACTIVITY_TYPE_SIGN_TRANSACTION_V2",
	"stamp_login":                 "ACTIVITY_TYPE_STAMP_LOGIN",
	"update_policy":               "ACTIVITY_TYPE_UPDATE_POLICY",
	"update_private_key_tag":      "ACTIVITY_TYPE_UPDATE_PRIVATE_KEY_TAG",
	"update_root_quorum":          "ACTIVITY_TYPE_UPDATE_ROOT_QUORUM",
	"update_user":                 "ACTIVITY_TYPE_UPDATE_USER",
	"update_user_tag":             "ACTIVITY_TYPE_UPDATE_USER_TAG",
	"update_wallet":               "ACTIVITY_TYPE_UPDATE_WALLET",
	"verify_otp":                  "ACTIVITY_TYPE_VERIFY_OTP",
}

var wantTags = map[string]bool{
	"Organizations": true, "Invitations": true, "Policies": true, "Features": true,
	"Wallets": true, "Signing": true, "Private Keys": true, "Private Key Tags": true,
	"Users": true, "User Tags": true, "User Recovery": true, "User Auth": true,
	"Authenticators": true, "API Keys": true, "Sessions": true, "Activities": true, "Consensus": true,
}

func load(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := api.Load(context.Background())
	require.NoError(t, err, "kin-openapi must load and validate api/openapi.yaml")
	return doc
}

func schema(t *testing.T, doc *openapi3.T, name string) *openapi3.Schema {
	t.Helper()
	ref, ok := doc.Components.Schemas[name]
	require.True(t, ok, "schema %s", name)
	return ref.Value
}

func pascal(name string) string {
	var b strings.Builder
	for _, w := range strings.Split(name, "_") {
		b.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	return b.String()
}

func TestSpecValidates(t *testing.T) {
	doc := load(t)
	assert.Equal(t, "3.0.3", doc.OpenAPI)
	require.NotEmpty(t, doc.Servers)
	assert.Equal(t, "https://api.turnkey.com", doc.Servers[0].URL)
	for name, header := range map[string]string{"ApiKeyAuth": "X-Stamp", "AuthenticatorAuth": "X-Stamp-WebAuthn"} {
		s, ok := doc.Components.SecuritySchemes[name]
		require.True(t, ok, name)
		assert.Equal(t, "apiKey", s.Value.Type)
		assert.Equal(t, "header", s.Value.In)
		assert.Equal(t, header, s.Value.Name)
	}
}

func TestAllEndpointsPresent(t *testing.T) {
	doc := load(t)
	ops, err := api.Operations(doc)
	require.NoError(t, err)

	var gotQueries []string
	gotSubmits := map[string]string{}
	for _, op := range ops {
		switch op.Kind {
		case api.KindQuery:
			gotQueries = append(gotQueries, op.Name)
		case api.KindSubmit:
			gotSubmits[op.Name] = op.Activity.Type
		}
	}
	sort.Strings(gotQueries)
	assert.Equal(t, wantQueries, gotQueries)
	assert.Equal(t, wantSubmits, gotSubmits)
	assert.Len(t, ops, 80)
}

func TestOperationShape(t *testing.T) {
	doc := load(t)
	ops, err := api.Operations(doc)
	require.NoError(t, err)
	status := schema(t, doc, "Status")
	for _, p := range []string{"code", "message", "details"} {
		assert.Contains(t, status.Properties, p, "Status.%s", p)
	}
	for _, op := range ops {
		t.Run(op.Name, func(t *testing.T) {
			raw := doc.Paths.Find(op.Path).Post
			assert.Equal(t, pascal(op.Name), op.ID, "operationId")
			assert.True(t, wantTags[op.Tag], "tag %q is not a documentation group", op.Tag)
			assert.NotEmpty(t, op.Summary, "summary")
			require.NotNil(t, raw.RequestBody, "request body")
			assert.True(t, raw.RequestBody.Value.Required, "request body must be required")
			assert.Equal(t, pascal(op.Name)+"Request", op.RequestSchema)
			require.NotEmpty(t, op.ResponseSchema, "200 response schema")
			def := raw.Responses.Default()
			require.NotNil(t, def, "default error response")
			mt := def.Value.Content.Get("application/json")
			require.NotNil(t, mt)
			assert.Equal(t, "#/components/schemas/Status", mt.Schema.Ref)

			req := schema(t, doc, op.RequestSchema)
			assert.Contains(t, req.Required, "organizationId")
			if op.Kind == api.KindQuery {
				return
			}
			assert.Equal(t, "ActivityResponse", op.ResponseSchema)
			assert.ElementsMatch(t, []string{"type", "timestampMs", "organizationId", "parameters"}, req.Required)
			typ := req.Properties["type"].Value
			assert.Equal(t, []any{op.Activity.Type}, typ.Enum, "type is a one-value enum of the documented version")
			assert.Contains(t, schema(t, doc, "ActivityType").Enum, op.Activity.Type)
			assert.True(t, req.Properties["timestampMs"].Value.Type.Is("string"))

			intent := schema(t, doc, "Intent").Properties[op.Activity.Intent]
			require.NotNil(t, intent, "Intent.%s", op.Activity.Intent)
			assert.Equal(t, intent.Ref, req.Properties["parameters"].Ref, "parameters is the intent of that version")
			if op.Activity.Result != "" {
				assert.Contains(t, schema(t, doc, "Result").Properties, op.Activity.Result)
			} else {
				assert.Contains(t, []string{"approve_activity", "reject_activity"}, op.Name, "only votes have no result")
			}
		})
	}
}

func TestEnumsHaveGoNames(t *testing.T) {
	doc := load(t)
	var walk func(path string, s *openapi3.Schema, seen map[*openapi3.Schema]bool)
	walk = func(path string, s *openapi3.Schema, seen map[*openapi3.Schema]bool) {
		if s == nil || seen[s] {
			return
		}
		seen[s] = true
		if len(s.Enum) > 0 {
			names, ok := s.Extensions["x-enum-varnames"].([]any)
			if assert.True(t, ok, "%s: enum without x-enum-varnames", path) {
				assert.Len(t, names, len(s.Enum), path)
				uniq := map[any]bool{}
				for _, n := range names {
					assert.False(t, uniq[n], "%s: duplicate name %v", path, n)
					uniq[n] = true
				}
			}
		}
		for name, p := range s.Properties {
			walk(path+"."+name, p.Value, seen)
		}
		if s.Items != nil {
			walk(path+"[]", s.Items.Value, seen)
		}
	}
	for name, ref := range doc.Components.Schemas {
		walk(name, ref.Value, map[*openapi3.Schema]bool{})
	}
}
