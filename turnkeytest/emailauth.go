package turnkeytest

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	gen "github.com/turnkey-go/turnkey/internal/genserver" // gen's models and the strict server
)

// EmailAuth emails a new API key of the user with the given email address,
// in a credential bundle encrypted to targetPublicKey (V2, and V3 through
// versions_auth.go, whose email customization and app name are required).
// The bundle is not
// in the result: it lands in the outbox (Server.Outbox, GET /_local/outbox),
// with the magic link if emailCustomization.magicLinkTemplate is set.
func (h *handlers) EmailAuth(ctx context.Context, r gen.EmailAuthRequestObject) (gen.EmailAuthResponseObject, error) {
	p, err := versioned(ctx, r.Body.Parameters, map[string]func(json.RawMessage) (gen.EmailAuthIntentV2, error){
		string(gen.EmailAuthRequestV3TypeEmailAuthV3): as(emailAuthV2),
	})
	if err != nil {
		return nil, err
	}
	return respond[gen.EmailAuth200JSONResponse](submit(ctx, h.s, p, h.s.emailAuth))
}

func (s *Server) emailAuth(c *call, p gen.EmailAuthIntentV2) (work, error) {
	return s.emailCredential(c, emailedCredential{kind: MessageEmailAuth, credType: gen.CredentialTypeEmailAuthKeyP256,
		name: p.APIKeyName, defaultName: "Email Auth", invalidate: p.InvalidateExisting != nil && *p.InvalidateExisting,
		email: p.Email, target: p.TargetPublicKey, expiration: p.ExpirationSeconds,
		custom: p.EmailCustomization, from: p.SendFromEmailAddress, replyTo: p.ReplyToEmailAddress,
	}, func(k *apiKey, u *user) any { return gen.EmailAuthOutcome{APIKeyID: k.id, UserID: u.id} })
}

// emailedCredential is what email_auth and init_user_email_recovery share: an
// expiring P-256 credential of credType for the user with the given email
// address, emailed (to the outbox) in a bundle encrypted to target.
type emailedCredential struct {
	kind          MessageKind
	credType      gen.CredentialType
	name          *string // the credential's name; defaultName and the time if unset
	defaultName   string
	invalidate    bool // delete the user's earlier credentials of the kind
	email, target string
	expiration    *string // expirationSeconds
	custom        *gen.EmailCustomizationParams
	from, replyTo *string
}

// emailCredential issues and emails e's credential; result makes the
// activity's result from the credential and its user.
func (s *Server) emailCredential(c *call, e emailedCredential, result func(*apiKey, *user) any) (work, error) {
	if !strings.Contains(e.email, "@") {
		return nil, invalidArgument("email %q is not an email address", e.email)
	}
	if err := checkTargetPublicKey(e.target); err != nil {
		return nil, err
	}
	ttl, err := seconds("expirationSeconds", e.expiration, defaultSessionSeconds, 0)
	if err != nil {
		return nil, err
	}
	return inOrg(c, func(st *state, o *org, now time.Time) (any, error) {
		u := userByContact(o, e.email)
		if u == nil || u.email == nil {
			return nil, notFound("no user of organization %s has the email address %s", o.id, e.email)
		}
		k, bundle, err := st.issueCredential(u, e.credType, defaultName(e.name, e.defaultName, now), ttl, e.invalidate, e.target, now)
		if err != nil {
			return nil, err
		}
		s.emailBundle(e.kind, o, u, e.email, bundle, e.custom, e.from, e.replyTo, now)
		return result(k, u), nil
	}), nil
}

// emailBundle puts an email carrying a credential bundle in the outbox.
func (s *Server) emailBundle(kind MessageKind, o *org, u *user, to, bundle string, custom *gen.EmailCustomizationParams,
	from, replyTo *string, now time.Time) {
	m := Message{Channel: ChannelEmail, Kind: kind, To: to, OrganizationID: o.id, UserID: u.id, CredentialBundle: bundle, SentAt: now}
	emailFields(&m, custom, from, replyTo)
	if custom != nil && custom.MagicLinkTemplate != nil && *custom.MagicLinkTemplate != "" {
		m.MagicLink = strings.Replace(*custom.MagicLinkTemplate, "%s", bundle, 1)
	}
	s.auth.outbox.send(m)
}
