package turnkeytest

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"math/big"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/turnkey-go/turnkey/gen"
)

// The OTP flows. Generic OTP: init_otp sends a code (to the outbox),
// verify_otp checks it and returns a verification token, otp_login turns the
// token into a session for a user whose email or phone number is the
// token's contact. OTP auth: init_otp_auth sends a code to a user of the
// organization, otp_auth checks it and returns a credential bundle.
//
// A code may be tried maxOTPAttempts times: a wrong code fails the activity
// and counts; after the last wrong try the code is locked, and even the
// right code fails. A code works once, until it expires.

const (
	maxOTPAttempts          = 3
	defaultOTPSeconds       = 300 // init_otp, init_otp_auth
	maxOTPSeconds           = 600
	defaultOTPLength        = 9
	otpAuthLength           = 6 // init_otp_auth: a 6-digit code
	defaultVerificationSecs = 3600
	maxVerificationSecs     = 86400
	otpTypeEmail            = "OTP_TYPE_EMAIL"
	otpTypeSMS              = "OTP_TYPE_SMS"
	crockfordAlphabet       = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
)

// otp is a code sent by init_otp or init_otp_auth.
type otp struct {
	id, orgID string
	userID    string // init_otp_auth: the user the code authenticates
	otpType   string
	contact   string
	code      string
	expiresAt time.Time
	attempts  int // wrong codes tried
	used      bool
}

func checkOTPContact(otpType, contact string) error {
	switch otpType {
	case otpTypeEmail:
		if !strings.Contains(contact, "@") {
			return invalidArgument("contact %q is not an email address", contact)
		}
	case otpTypeSMS:
		if strings.TrimSpace(contact) == "" {
			return invalidArgument("contact is required")
		}
	default:
		return invalidArgument("otpType %q must be %s or %s", otpType, otpTypeEmail, otpTypeSMS)
	}
	return nil
}

// newCode returns a random code of n characters: digits, or Crockford
// Base32 characters if alphanumeric.
func newCode(n int, alphanumeric bool) string {
	alphabet := "0123456789"
	if alphanumeric {
		alphabet = crockfordAlphabet
	}
	out := make([]byte, n)
	for i := range out {
		k, _ := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet)))) // never fails
		out[i] = alphabet[k.Int64()]
	}
	return string(out)
}

// sendOTP stores a new code and puts it in the outbox.
func (s *Server) sendOTP(o *org, userID, otpType, contact string, length int, alphanumeric bool, ttl time.Duration,
	custom *gen.EmailCustomizationParams, from, replyTo *string, now time.Time) *otp {
	x := &otp{id: newID(), orgID: o.id, userID: userID, otpType: otpType, contact: contact,
		code: newCode(length, alphanumeric), expiresAt: now.Add(ttl)}
	s.auth.otps[x.id] = x
	m := Message{Channel: ChannelEmail, Kind: MessageOTP, To: contact, OrganizationID: o.id, UserID: userID,
		OtpID: x.id, Code: x.code, SentAt: now}
	if otpType == otpTypeSMS {
		m.Channel = ChannelSMS
	} else {
		emailFields(&m, custom, from, replyTo)
	}
	s.auth.outbox.send(m)
	return x
}

// checkCode verifies a code against the OTP otpID of organization orgID,
// counting wrong tries, and consumes it if right.
func (s *Server) checkCode(orgID, otpID, code string, now time.Time) (*otp, error) {
	x := s.auth.otps[otpID]
	if x == nil || x.orgID != orgID {
		return nil, notFound("OTP %s not found in organization %s", otpID, orgID)
	}
	switch {
	case x.used:
		return nil, failedPrecondition("OTP %s has already been used; start a new one", otpID)
	case !now.Before(x.expiresAt):
		return nil, failedPrecondition("OTP %s expired at %s; start a new one", otpID, x.expiresAt.UTC().Format(time.RFC3339))
	case x.attempts >= maxOTPAttempts:
		return nil, tooManyAttempts(otpID)
	}
	if !strings.EqualFold(strings.TrimSpace(code), x.code) {
		x.attempts++
		if x.attempts >= maxOTPAttempts {
			return nil, tooManyAttempts(otpID)
		}
		return nil, invalidArgument("invalid OTP code for OTP %s (%d of %d attempts left)", otpID, maxOTPAttempts-x.attempts, maxOTPAttempts)
	}
	x.used = true
	s.auth.verified[normalContact(x.contact)] = true
	return x, nil
}

func tooManyAttempts(otpID string) error {
	return newRPCError(http.StatusTooManyRequests, codeResourceExhausted,
		"OTP %s is locked after %d wrong codes; start a new one", otpID, maxOTPAttempts)
}

// normalContact is the key of a contact in the verified set.
func normalContact(c string) string {
	if strings.Contains(c, "@") {
		return strings.ToLower(c)
	}
	return c
}

// InitOtp sends a one-time code to an email address or phone number (to the
// outbox); the contact need not belong to any user.
func (h *handlers) InitOtp(ctx context.Context, r gen.InitOtpRequestObject) (gen.InitOtpResponseObject, error) {
	return respond[gen.InitOtp200JSONResponse](submit(ctx, h.s, r.Body.Parameters, h.s.initOtp))
}

func (s *Server) initOtp(c *call, p gen.InitOtpIntent) (work, error) {
	if err := checkOTPContact(p.OtpType, p.Contact); err != nil {
		return nil, err
	}
	length := defaultOTPLength
	if p.OtpLength != nil {
		if *p.OtpLength < 6 || *p.OtpLength > 9 {
			return nil, invalidArgument("otpLength %d must be from 6 to 9", *p.OtpLength)
		}
		length = int(*p.OtpLength)
	}
	alphanumeric := p.Alphanumeric == nil || *p.Alphanumeric
	ttl, err := seconds("expirationSeconds", p.ExpirationSeconds, defaultOTPSeconds, maxOTPSeconds)
	if err != nil {
		return nil, err
	}
	if err := s.rateLimitOTP(p.UserIdentifier, c.now); err != nil {
		return nil, err
	}
	return inOrg(c, func(_ *state, o *org, now time.Time) (any, error) {
		x := s.sendOTP(o, "", p.OtpType, p.Contact, length, alphanumeric, ttl, p.EmailCustomization,
			p.SendFromEmailAddress, p.ReplyToEmailAddress, now)
		return gen.InitOtpOutcome{OtpID: x.id}, nil
	}), nil
}

// verificationClaims are the claims of a verification token: a unique ID,
// the expiry, the verification type (the OTP type), the contact, and the
// client public key if verify_otp bound one.
type verificationClaims struct {
	ID               string `json:"id"`
	Exp              int64  `json:"exp"`
	VerificationType string `json:"verification_type"`
	Contact          string `json:"contact"`
	PublicKey        string `json:"public_key,omitempty"`
}

// VerifyOtp checks a code and returns a verification token (a JWT signed
// with the session-token key) for otp_login.
func (h *handlers) VerifyOtp(ctx context.Context, r gen.VerifyOtpRequestObject) (gen.VerifyOtpResponseObject, error) {
	return respond[gen.VerifyOtp200JSONResponse](submit(ctx, h.s, r.Body.Parameters, h.s.verifyOtp))
}

func (s *Server) verifyOtp(c *call, p gen.VerifyOtpIntent) (work, error) {
	if p.OtpID == "" || p.OtpCode == "" {
		return nil, invalidArgument("otpId and otpCode are required")
	}
	ttl, err := seconds("expirationSeconds", p.ExpirationSeconds, defaultVerificationSecs, maxVerificationSecs)
	if err != nil {
		return nil, err
	}
	bound := ""
	if p.PublicKey != nil && *p.PublicKey != "" {
		if bound, err = checkLoginPublicKey(*p.PublicKey); err != nil {
			return nil, err
		}
	}
	return func(_ *state, now time.Time) (any, error) {
		x, err := s.checkCode(c.orgID, p.OtpID, p.OtpCode, now)
		if err != nil {
			return nil, err
		}
		tok, err := signJWT(s.auth.sessionKey, "", verificationClaims{ID: newID(), Exp: now.Add(ttl).Unix(),
			VerificationType: x.otpType, Contact: x.contact, PublicKey: bound}, digestTurnkey)
		if err != nil {
			return nil, err
		}
		return gen.VerifyOtpOutcome{VerificationToken: tok}, nil
	}, nil
}

// OtpLogin consumes a verification token and returns a session token for
// publicKey, for the user of the organization whose email address or phone
// number is the token's contact.
func (h *handlers) OtpLogin(ctx context.Context, r gen.OtpLoginRequestObject) (gen.OtpLoginResponseObject, error) {
	return respond[gen.OtpLogin200JSONResponse](submit(ctx, h.s, r.Body.Parameters, h.s.otpLogin))
}

func (s *Server) otpLogin(c *call, p gen.OtpLoginIntent) (work, error) {
	pub, err := checkLoginPublicKey(p.PublicKey)
	if err != nil {
		return nil, err
	}
	if _, _, _, _, err := splitJWT(p.VerificationToken); err != nil {
		return nil, invalidArgument("verificationToken: %v", err)
	}
	if err := checkSessionProfile(p.SessionProfileID); err != nil {
		return nil, err
	}
	ttl, err := seconds("expirationSeconds", p.ExpirationSeconds, defaultSessionSeconds, 0)
	if err != nil {
		return nil, err
	}
	return inOrg(c, func(st *state, o *org, now time.Time) (any, error) {
		var vc verificationClaims
		if err := verifyJWT(&s.auth.sessionKey.PublicKey, p.VerificationToken, digestTurnkey, &vc); err != nil || vc.ID == "" {
			return nil, unauthenticated("verificationToken was not issued by this simulator's verify_otp")
		}
		switch {
		case !now.Before(time.Unix(vc.Exp, 0)):
			return nil, unauthenticated("verificationToken expired at %s", time.Unix(vc.Exp, 0).UTC().Format(time.RFC3339))
		case s.auth.usedTokens[vc.ID]:
			return nil, unauthenticated("verificationToken has already been used")
		}
		if vc.PublicKey != "" {
			if err := checkClientSignature(p.ClientSignature, vc.PublicKey); err != nil {
				return nil, err
			}
		}
		u := userByContact(o, vc.Contact)
		if u == nil {
			return nil, notFound("no user of organization %s has the contact %s of the verification token", o.id, vc.Contact)
		}
		session, err := s.login(st, o, u, pub, ttl, p.InvalidateExisting != nil && *p.InvalidateExisting, now)
		if err != nil {
			return nil, err
		}
		s.auth.usedTokens[vc.ID] = true
		return gen.OtpLoginOutcome{Session: session}, nil
	}), nil
}

// checkClientSignature checks the proof of the public key a verification
// token is bound to: a P-256 ECDSA signature (DER or r ‖ s, hex) by that key
// over the SHA-256 of the message. The message's content is not checked.
func checkClientSignature(cs *gen.ClientSignature, bound string) error {
	if cs == nil {
		return unauthenticated("the verification token is bound to public key %s: clientSignature is required", bound)
	}
	if cs.Scheme != gen.ClientSignatureSchemeAPIP256 {
		return invalidArgument("clientSignature.scheme %q is not %s", cs.Scheme, gen.ClientSignatureSchemeAPIP256)
	}
	pub, err := checkLoginPublicKey(cs.PublicKey)
	if err != nil || pub != bound {
		return unauthenticated("clientSignature.publicKey is not the public key %s the verification token is bound to", bound)
	}
	raw, _ := hex.DecodeString(bound)
	x, y := elliptic.UnmarshalCompressed(elliptic.P256(), raw)
	if x == nil {
		return unauthenticated("bound public key %s is not a P-256 point", bound)
	}
	uncompressed := append([]byte{4}, append(x.FillBytes(make([]byte, 32)), y.FillBytes(make([]byte, 32))...)...)
	key, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), uncompressed)
	if err != nil {
		return unauthenticated("bound public key %s is not a P-256 point", bound)
	}
	sig, err := hex.DecodeString(cs.Signature)
	if err != nil {
		return invalidArgument("clientSignature.signature is not hexadecimal")
	}
	digest := sha256.Sum256([]byte(cs.Message))
	ok := ecdsa.VerifyASN1(key, digest[:], sig)
	if !ok && len(sig) == 64 {
		ok = ecdsa.Verify(key, digest[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:]))
	}
	if !ok {
		return unauthenticated("clientSignature does not verify with public key %s", bound)
	}
	return nil
}

// InitOtpAuth sends a 6-digit code to the user of the organization with the
// given email address or phone number (to the outbox).
func (h *handlers) InitOtpAuth(ctx context.Context, r gen.InitOtpAuthRequestObject) (gen.InitOtpAuthResponseObject, error) {
	return respond[gen.InitOtpAuth200JSONResponse](submit(ctx, h.s, r.Body.Parameters, h.s.initOtpAuth))
}

func (s *Server) initOtpAuth(c *call, p gen.InitOtpAuthIntent) (work, error) {
	if err := checkOTPContact(p.OtpType, p.Contact); err != nil {
		return nil, err
	}
	if err := s.rateLimitOTP(p.UserIdentifier, c.now); err != nil {
		return nil, err
	}
	return inOrg(c, func(_ *state, o *org, now time.Time) (any, error) {
		u := userByContact(o, p.Contact)
		if u == nil {
			return nil, notFound("no user of organization %s has the contact %s", o.id, p.Contact)
		}
		x := s.sendOTP(o, u.id, p.OtpType, p.Contact, otpAuthLength, false, defaultOTPSeconds*time.Second,
			p.EmailCustomization, p.SendFromEmailAddress, p.ReplyToEmailAddress, now)
		return gen.InitOtpAuthOutcome{OtpID: x.id}, nil
	}), nil
}

// OtpAuth checks a code of init_otp_auth and returns a new API key of its
// user in a credential bundle encrypted to targetPublicKey.
func (h *handlers) OtpAuth(ctx context.Context, r gen.OtpAuthRequestObject) (gen.OtpAuthResponseObject, error) {
	return respond[gen.OtpAuth200JSONResponse](submit(ctx, h.s, r.Body.Parameters, h.s.otpAuth))
}

func (s *Server) otpAuth(c *call, p gen.OtpAuthIntent) (work, error) {
	if p.OtpID == "" || p.OtpCode == "" {
		return nil, invalidArgument("otpId and otpCode are required")
	}
	if err := checkTargetPublicKey(p.TargetPublicKey); err != nil {
		return nil, err
	}
	ttl, err := seconds("expirationSeconds", p.ExpirationSeconds, defaultSessionSeconds, 0)
	if err != nil {
		return nil, err
	}
	return inOrg(c, func(st *state, o *org, now time.Time) (any, error) {
		x, err := s.checkCode(o.id, p.OtpID, p.OtpCode, now)
		if err != nil {
			return nil, err
		}
		u, err := o.user(x.userID)
		if err != nil {
			return nil, err
		}
		k, bundle, err := st.issueCredential(u, gen.CredentialTypeOtpAuthKeyP256, defaultName(p.APIKeyName, "OTP Auth", now), ttl,
			p.InvalidateExisting != nil && *p.InvalidateExisting, p.TargetPublicKey, now)
		if err != nil {
			return nil, err
		}
		return gen.OtpAuthOutcome{APIKeyID: &k.id, CredentialBundle: &bundle, UserID: u.id}, nil
	}), nil
}

// OTP requests per userIdentifier, as Turnkey documents: at most
// otpRateLimit in any otpRateWindow.
const (
	otpRateLimit  = 3
	otpRateWindow = 3 * time.Minute
)

// rateLimitOTP counts an OTP request of userIdentifier (if given) and
// refuses it, HTTP 429, beyond the limit. It runs with the state locked,
// before the activity is created: a refused request creates none.
func (s *Server) rateLimitOTP(userIdentifier *string, now time.Time) error {
	if userIdentifier == nil || *userIdentifier == "" {
		return nil
	}
	id := *userIdentifier
	recent := slices.DeleteFunc(s.auth.otpRequests[id], func(t time.Time) bool { return now.Sub(t) >= otpRateWindow })
	if len(recent) >= otpRateLimit {
		s.auth.otpRequests[id] = recent
		return newRPCError(http.StatusTooManyRequests, codeResourceExhausted,
			"too many OTP requests for userIdentifier %s: at most %d per %v; try again later", id, otpRateLimit, otpRateWindow)
	}
	s.auth.otpRequests[id] = append(recent, now)
	return nil
}
