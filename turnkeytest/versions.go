package turnkeytest

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/turnkey-go/turnkey/api"
	gen "github.com/turnkey-go/turnkey/internal/genserver" // gen's models and the strict server
)

// Newer activity versions. The spec lists, for each submit, the versions
// Turnkey accepts besides the documented default (x-turnkey-activity
// versions). On the submits below the simulator accepts them too: a handler
// passes versioned the default's parameters and, for each newer version it
// serves, a conversion from that version's parameters (decoded from the
// request body) to what its implementation takes. The activity records the
// version actually sent: its type, its intent as sent, its result member.

// sentVersion is the newer version a call was served as.
type sentVersion struct {
	activity *api.Activity   // the version's type, intent and result
	params   json.RawMessage // its parameters, as sent
}

// activity returns the activity type, intent and result the call is served
// as: a newer version chosen by versioned, or the operation's default.
func (c *call) activity() *api.Activity {
	if c.version != nil {
		return c.version.activity
	}
	return c.op.Activity
}

// intent returns what the activity records as its intent: the parameters as
// sent for a newer version, params for the default.
func (c *call) intent(params any) any {
	if c.version != nil {
		return c.version.params
	}
	return params
}

// versioned returns the parameters to prepare the call's work with: def for
// the default version (or a type the handler does not serve, which submit
// then refuses), or the conversion of the body's parameters for a newer
// version listed in both the spec and newer.
func versioned[P any](ctx context.Context, def P, newer map[string]func(json.RawMessage) (P, error)) (P, error) {
	c, err := callFrom(ctx)
	if err != nil {
		return def, err
	}
	convert, ok := newer[c.typ]
	if !ok || c.typ == c.op.Activity.Type {
		return def, nil
	}
	for _, v := range c.op.Activity.Versions {
		if v.Type != c.typ {
			continue
		}
		var body struct {
			Parameters json.RawMessage `json:"parameters"`
		}
		if err := json.Unmarshal(c.body, &body); err != nil {
			return def, invalidArgument("parameters: %v", err)
		}
		p, err := convert(body.Parameters)
		if err != nil {
			return def, err
		}
		c.version = &sentVersion{activity: &api.Activity{Type: v.Type, Intent: v.Intent, Result: v.Result}, params: body.Parameters}
		return p, nil
	}
	return def, nil
}

// as decodes a version's parameters into V and converts them with f.
func as[V, P any](f func(V) (P, error)) func(json.RawMessage) (P, error) {
	return func(raw json.RawMessage) (P, error) {
		var v V
		if err := json.Unmarshal(raw, &v); err != nil {
			var zero P
			return zero, invalidArgument("parameters: %v", err)
		}
		return f(v)
	}
}

func same[P any](p P) (P, error) { return p, nil }

// oauthV1 converts OAuth providers of version 2 (an OIDC token or its
// claims) to version 1 (a token). Providers given by claims alone are not
// simulated: the simulator links a provider by verifying its token.
func oauthV1(field string, ps []gen.OauthProviderParamsV2) ([]gen.OauthProviderParams, error) {
	out := make([]gen.OauthProviderParams, len(ps))
	for i, p := range ps {
		if p.OidcToken == nil || *p.OidcToken == "" {
			return nil, unimplementedError("%s.oauthProviders[%d]: a provider given by oidcClaims without an oidcToken is not simulated; send the OIDC token", field, i)
		}
		out[i] = gen.OauthProviderParams{ProviderName: p.ProviderName, OidcToken: *p.OidcToken}
	}
	return out, nil
}

// subOrganizationV7 serves ACTIVITY_TYPE_CREATE_SUB_ORGANIZATION_V8 with the
// V7 implementation: the versions differ only in how OAuth providers are
// given.
func subOrganizationV7(p gen.CreateSubOrganizationIntentV8) (gen.CreateSubOrganizationIntentV7, error) {
	out := gen.CreateSubOrganizationIntentV7{SubOrganizationName: p.SubOrganizationName, RootQuorumThreshold: p.RootQuorumThreshold,
		Wallet: p.Wallet, DisableEmailRecovery: p.DisableEmailRecovery, DisableEmailAuth: p.DisableEmailAuth,
		DisableSmsAuth: p.DisableSmsAuth, DisableOtpEmailAuth: p.DisableOtpEmailAuth,
		VerificationToken: p.VerificationToken, ClientSignature: p.ClientSignature,
		RootUsers: make([]gen.RootUserParamsV4, len(p.RootUsers))}
	for i, u := range p.RootUsers {
		oauth, err := oauthV1("rootUsers["+strconv.Itoa(i)+"]", u.OauthProviders)
		if err != nil {
			return out, err
		}
		out.RootUsers[i] = gen.RootUserParamsV4{UserName: u.UserName, UserEmail: u.UserEmail, UserPhoneNumber: u.UserPhoneNumber,
			APIKeys: u.APIKeys, Authenticators: u.Authenticators, OauthProviders: oauth}
	}
	return out, nil
}

// usersV3 converts the documented ACTIVITY_TYPE_CREATE_USERS_V2 to V3, the
// version the simulator implements (API keys with a curve, OAuth providers):
// V2's API keys carry no curve, and an empty curveType lets
// checkAPIKeyParams infer it from the key as it always did for V2.
func usersV3(p gen.CreateUsersIntentV2) gen.CreateUsersIntentV3 {
	out := gen.CreateUsersIntentV3{Users: make([]gen.UserParamsV3, len(p.Users))}
	for i, u := range p.Users {
		keys := make([]gen.APIKeyParamsV2, len(u.APIKeys))
		for j, k := range u.APIKeys {
			keys[j] = gen.APIKeyParamsV2{APIKeyName: k.APIKeyName, PublicKey: k.PublicKey,
				ExpirationSeconds: k.ExpirationSeconds}
		}
		out.Users[i] = gen.UserParamsV3{UserName: u.UserName, UserEmail: u.UserEmail, APIKeys: keys,
			Authenticators: u.Authenticators, OauthProviders: []gen.OauthProviderParams{}, UserTags: u.UserTags}
	}
	return out
}

// usersV3FromV4 converts ACTIVITY_TYPE_CREATE_USERS_V4 to V3: they differ
// only in how OAuth providers are given.
func usersV3FromV4(p gen.CreateUsersIntentV4) (gen.CreateUsersIntentV3, error) {
	out := gen.CreateUsersIntentV3{Users: make([]gen.UserParamsV3, len(p.Users))}
	for i, u := range p.Users {
		oauth, err := oauthV1("users["+strconv.Itoa(i)+"]", u.OauthProviders)
		if err != nil {
			return out, err
		}
		out.Users[i] = gen.UserParamsV3{UserName: u.UserName, UserEmail: u.UserEmail, UserPhoneNumber: u.UserPhoneNumber,
			APIKeys: u.APIKeys, Authenticators: u.Authenticators, OauthProviders: oauth, UserTags: u.UserTags}
	}
	return out, nil
}

// policyV1 serves ACTIVITY_TYPE_UPDATE_POLICY_V2 with the V1 implementation.
// V2 adds a time expression, which the simulator does not evaluate: it
// refuses one rather than store a rule it would not enforce.
func policyV1(p gen.UpdatePolicyIntentV2) (gen.UpdatePolicyIntent, error) {
	if p.Time != nil && *p.Time != "" {
		return gen.UpdatePolicyIntent{}, unimplementedError("update_policy: policy time expressions (ACTIVITY_TYPE_UPDATE_POLICY_V2 time) are not simulated")
	}
	return gen.UpdatePolicyIntent{PolicyID: p.PolicyID, PolicyName: p.PolicyName, PolicyEffect: p.PolicyEffect,
		PolicyCondition: p.PolicyCondition, PolicyConsensus: p.PolicyConsensus, PolicyNotes: p.PolicyNotes}, nil
}

// oauthProvidersV1 serves ACTIVITY_TYPE_CREATE_OAUTH_PROVIDERS_V2 with the V1
// implementation.
func oauthProvidersV1(p gen.CreateOauthProvidersIntentV2) (gen.CreateOauthProvidersIntent, error) {
	oauth, err := oauthV1("parameters", p.OauthProviders)
	return gen.CreateOauthProvidersIntent{UserID: p.UserID, OauthProviders: oauth}, err
}

// unimplementedError is the answer to a part of a newer version the
// simulator does not implement.
func unimplementedError(format string, args ...any) error {
	return newRPCError(http.StatusNotImplemented, codeUnimplemented, "turnkeytest: "+format, args...)
}
