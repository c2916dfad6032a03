package turnkeytest

import (
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// Channel is how a message would have been delivered.
type Channel string

// The channels of outbox messages.
const (
	ChannelEmail Channel = "EMAIL"
	ChannelSMS   Channel = "SMS"
)

// MessageKind says which flow sent a message.
type MessageKind string

// The kinds of outbox messages.
const (
	// MessageOTP carries a one-time code (init_otp, init_otp_auth).
	MessageOTP MessageKind = "OTP"
	// MessageEmailAuth carries a credential bundle (email_auth).
	MessageEmailAuth MessageKind = "EMAIL_AUTH"
	// MessageRecovery carries a recovery credential bundle
	// (init_user_email_recovery).
	MessageRecovery MessageKind = "RECOVERY"
	// MessageInvitation is an invitation (create_invitations).
	MessageInvitation MessageKind = "INVITATION"
)

// Message is what Turnkey would have sent by email or SMS. The simulator
// sends nothing: it keeps the messages in its outbox (Server.Outbox, and
// GET /_local/outbox as JSON), where tests read the code or bundle they
// were "sent".
type Message struct {
	Channel        Channel     `json:"channel"`
	Kind           MessageKind `json:"kind"`
	To             string      `json:"to"`             // the email address or phone number
	OrganizationID string      `json:"organizationId"` // the organization the activity ran in
	// UserID is the user the message authenticates (for invitations, the
	// sender); empty for init_otp, whose contact need not be a user's.
	UserID string `json:"userId,omitempty"`
	// OtpID and Code: the OTP flows.
	OtpID string `json:"otpId,omitempty"`
	Code  string `json:"code,omitempty"`
	// CredentialBundle: email auth and recovery, encrypted to the target
	// public key of the request (decrypt it with
	// enclave.DecryptCredentialBundle).
	CredentialBundle string `json:"credentialBundle,omitempty"`
	// MagicLink is emailCustomization.magicLinkTemplate with the bundle in
	// place of its %s, when the request gave a template.
	MagicLink string `json:"magicLink,omitempty"`
	// InvitationID: invitations.
	InvitationID string `json:"invitationId,omitempty"`
	// AppName, From and ReplyTo are the email customization sent, if any.
	AppName string    `json:"appName,omitempty"`
	From    string    `json:"from,omitempty"`
	ReplyTo string    `json:"replyTo,omitempty"`
	SentAt  time.Time `json:"sentAt"`
}

// outbox holds the messages sent, in order. It has its own lock: tests read
// it while requests run.
type outbox struct {
	mu   sync.Mutex
	msgs []Message
}

func (ob *outbox) send(m Message) {
	ob.mu.Lock()
	defer ob.mu.Unlock()
	ob.msgs = append(ob.msgs, m)
}

func (ob *outbox) list() []Message {
	ob.mu.Lock()
	defer ob.mu.Unlock()
	return slices.Clone(ob.msgs)
}

// Outbox returns the messages the simulator would have sent by email or
// SMS, oldest first.
func (s *Server) Outbox() []Message { return s.auth.outbox.list() }

// OutboxURL returns the URL that serves the outbox as JSON,
// {"messages": [...]}, oldest first; ?to=<email or phone> keeps the
// messages sent to that contact.
func (s *Server) OutboxURL() string { return s.URL + localPrefix + "outbox" }

// LastMessage returns the newest message sent to the email address or
// phone number to (email addresses compare without case), and whether there
// is one.
func (s *Server) LastMessage(to string) (Message, bool) {
	msgs := s.auth.outbox.list()
	for _, m := range slices.Backward(msgs) {
		if sameContact(m.To, to) {
			return m, true
		}
	}
	return Message{}, false
}

func sameContact(a, b string) bool {
	if strings.Contains(a, "@") {
		return strings.EqualFold(a, b)
	}
	return a == b
}

// localPrefix is where the simulator serves what is not part of Turnkey's
// API: the outbox and the test OIDC issuer.
const localPrefix = "/_local/"

// serveLocal answers GET /_local/outbox (optionally ?to=<contact>), the
// test OIDC issuer's discovery document and JWKS, and POST
// /_local/oidc/token, which mints an ID token.
func (s *Server) serveLocal(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == oidcPath+"/token" {
		s.serveMintIDToken(w, r)
		return
	}
	if r.Method != http.MethodGet {
		writeError(w, newRPCError(http.StatusMethodNotAllowed, codeUnimplemented, "method %s not allowed: %s takes GET", r.Method, r.URL.Path))
		return
	}
	switch r.URL.Path {
	case localPrefix + "outbox":
		msgs := s.Outbox()
		if to := r.URL.Query().Get("to"); to != "" {
			msgs = slices.DeleteFunc(msgs, func(m Message) bool { return !sameContact(m.To, to) })
		}
		if msgs == nil {
			msgs = []Message{}
		}
		writeJSON(w, http.StatusOK, map[string]any{"messages": msgs})
	case oidcPath + "/.well-known/openid-configuration":
		writeJSON(w, http.StatusOK, s.oidcDiscovery())
	case oidcPath + "/jwks":
		writeJSON(w, http.StatusOK, s.oidcJWKS())
	default:
		writeError(w, notFound("no local endpoint %s (local endpoints: GET %soutbox, GET %s/jwks, GET %s/.well-known/openid-configuration, POST %s/token)",
			r.URL.Path, localPrefix, oidcPath, oidcPath, oidcPath))
	}
}
