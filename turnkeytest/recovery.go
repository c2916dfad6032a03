package turnkeytest

import (
	"context"
	"encoding/json"
	"time"

	gen "github.com/turnkey-go/turnkey/internal/genserver" // gen's models and the strict server
)

// Email recovery: init_user_email_recovery emails the user a recovery
// credential (an expiring P-256 API key of type
// CREDENTIAL_TYPE_RECOVER_USER_KEY_P256, in a credential bundle encrypted to
// targetPublicKey); stamped with it, recover_user registers a new
// authenticator for the user. A recovery credential may read, and submit
// recover_user for its own user, nothing else.

// InitUserEmailRecovery emails a recovery credential to the user with the
// given email address (to the outbox); V1, and V2 through versions_auth.go,
// whose email customization and app name are required.
func (h *handlers) InitUserEmailRecovery(ctx context.Context, r gen.InitUserEmailRecoveryRequestObject) (gen.InitUserEmailRecoveryResponseObject, error) {
	p, err := versioned(ctx, r.Body.Parameters, map[string]func(json.RawMessage) (gen.InitUserEmailRecoveryIntent, error){
		string(gen.InitUserEmailRecoveryRequestV2TypeInitUserEmailRecoveryV2): as(recoveryV1),
	})
	if err != nil {
		return nil, err
	}
	return respond[gen.InitUserEmailRecovery200JSONResponse](submit(ctx, h.s, p, h.s.initUserEmailRecovery))
}

func (s *Server) initUserEmailRecovery(c *call, p gen.InitUserEmailRecoveryIntent) (work, error) {
	return s.emailCredential(c, emailedCredential{kind: MessageRecovery, credType: gen.CredentialTypeRecoverUserKeyP256,
		defaultName: "Recovery", email: p.Email, target: p.TargetPublicKey, expiration: p.ExpirationSeconds,
		custom: p.EmailCustomization, from: p.SendFromEmailAddress, replyTo: p.ReplyToEmailAddress,
	}, func(_ *apiKey, u *user) any { return gen.InitUserEmailRecoveryOutcome{UserID: u.id} })
}

// RecoverUser registers a new authenticator for the user whose recovery
// credential stamped the request.
func (h *handlers) RecoverUser(ctx context.Context, r gen.RecoverUserRequestObject) (gen.RecoverUserResponseObject, error) {
	return respond[gen.RecoverUser200JSONResponse](submit(ctx, h.s, r.Body.Parameters, h.s.recoverUser))
}

func (s *Server) recoverUser(c *call, p gen.RecoverUserIntent) (work, error) {
	if p.UserID == "" {
		return nil, invalidArgument("userId is required")
	}
	if err := checkAuthenticators("parameters", []gen.AuthenticatorParamsV2{p.Authenticator}); err != nil {
		return nil, err
	}
	if c.key.credType != gen.CredentialTypeRecoverUserKeyP256 || c.key.userID != p.UserID {
		return nil, permissionDenied("recover_user must be stamped with a recovery credential of user %s (from init_user_email_recovery)", p.UserID)
	}
	return inOrg(c, func(st *state, o *org, now time.Time) (any, error) {
		u, err := o.user(p.UserID)
		if err != nil {
			return nil, err
		}
		a := st.newAuthenticator(p.Authenticator, now)
		u.authenticators = append(u.authenticators, a)
		return gen.RecoverUserOutcome{AuthenticatorID: []string{a.AuthenticatorID}}, nil
	}), nil
}

// checkCredentialScope refuses the submits a credential may not make: a
// recovery credential may only submit recover_user.
func checkCredentialScope(c *call) error {
	if c.key.credType == gen.CredentialTypeRecoverUserKeyP256 && c.op.Name != "recover_user" {
		return permissionDenied("a recovery credential may only submit recover_user, not %s", c.op.Name)
	}
	return nil
}
