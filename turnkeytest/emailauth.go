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
	if !strings.Contains(p.Email, "@") {
		return nil, invalidArgument("email %q is not an email address", p.Email)
	}
	if err := checkTargetPublicKey(p.TargetPublicKey); err != nil {
		return nil, err
	}
	ttl, err := seconds("expirationSeconds", p.ExpirationSeconds, defaultSessionSeconds, 0)
	if err != nil {
		return nil, err
	}
	return inOrg(c, func(st *state, o *org, now time.Time) (any, error) {
		u := userByContact(o, p.Email)
		if u == nil || u.email == nil {
			return nil, notFound("no user of organization %s has the email address %s", o.id, p.Email)
		}
		k, bundle, err := st.issueCredential(u, gen.CredentialTypeEmailAuthKeyP256, defaultName(p.APIKeyName, "Email Auth", now), ttl,
			p.InvalidateExisting != nil && *p.InvalidateExisting, p.TargetPublicKey, now)
		if err != nil {
			return nil, err
		}
		s.emailBundle(MessageEmailAuth, o, u, p.Email, bundle, p.EmailCustomization, p.SendFromEmailAddress, p.ReplyToEmailAddress, now)
		return gen.EmailAuthOutcome{APIKeyID: k.id, UserID: u.id}, nil
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
