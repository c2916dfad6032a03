package turnkeytest

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math/big"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/turnkey-go/turnkey/enclave"
	gen "github.com/turnkey-go/turnkey/internal/genserver" // gen's models and the strict server
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
	target    *enclave.TargetKey // init_otp V3: the key verify_otp V2's encrypted code is sealed to
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

// codeShape returns the length and alphabet of a code: otpLength (6 to 9,
// defaultOTPLength if nil) characters, alphanumeric unless it is false.
func codeShape(otpLength *int32, alphanumeric *bool) (int, bool, error) {
	length := defaultOTPLength
	if otpLength != nil {
		if *otpLength < 6 || *otpLength > 9 {
			return 0, false, invalidArgument("otpLength %d must be from 6 to 9", *otpLength)
		}
		length = int(*otpLength)
	}
	return length, alphanumeric == nil || *alphanumeric, nil
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
// outbox); the contact need not belong to any user. V1, and through
// versions_auth.go V2 (the app name in the intent) and V3 (as V2, and the
// result, initOtpResultV2, carries a target bundle to encrypt the code to for
// verify_otp V2).
func (h *handlers) InitOtp(ctx context.Context, r gen.InitOtpRequestObject) (gen.InitOtpResponseObject, error) {
	p, err := versioned(ctx, initOtpParams{InitOtpIntent: r.Body.Parameters}, map[string]func(json.RawMessage) (initOtpParams, error){
		string(gen.InitOtpRequestV2TypeInitOtpV2): as(initOtpV1(false)),
		string(gen.InitOtpRequestV3TypeInitOtpV3): as(func(p gen.InitOtpIntentV3) (initOtpParams, error) {
			return initOtpV1(true)(gen.InitOtpIntentV2(p))
		}),
	})
	if err != nil {
		return nil, err
	}
	return respond[gen.InitOtp200JSONResponse](submit(ctx, h.s, p, h.s.initOtp))
}

func (s *Server) initOtp(c *call, p initOtpParams) (work, error) {
	if err := checkOTPContact(p.OtpType, p.Contact); err != nil {
		return nil, err
	}
	length, alphanumeric, err := codeShape(p.OtpLength, p.Alphanumeric)
	if err != nil {
		return nil, err
	}
	ttl, err := seconds("expirationSeconds", p.ExpirationSeconds, defaultOTPSeconds, maxOTPSeconds)
	if err != nil {
		return nil, err
	}
	if err := s.rateLimitOTP(p.UserIdentifier, c.now); err != nil {
		return nil, err
	}
	return inOrg(c, func(_ *state, o *org, now time.Time) (any, error) {
		var bundle string
		var key *enclave.TargetKey
		if p.encryptionTarget {
			var err error
			if bundle, key, err = s.signer.NewOtpEncryptionTarget(o.id); err != nil {
				return nil, err
			}
		}
		x := s.sendOTP(o, "", p.OtpType, p.Contact, length, alphanumeric, ttl, p.EmailCustomization,
			p.SendFromEmailAddress, p.ReplyToEmailAddress, now)
		if p.encryptionTarget {
			x.target = key
			return gen.InitOtpResultV2{OtpID: x.id, OtpEncryptionTargetBundle: bundle}, nil
		}
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
// with the session-token key) for otp_login. V1 takes the code in the clear;
// V2 (through versions_auth.go) takes it with the client public key to bind
// the token to, encrypted to the target key of an init_otp V3.
func (h *handlers) VerifyOtp(ctx context.Context, r gen.VerifyOtpRequestObject) (gen.VerifyOtpResponseObject, error) {
	p, err := versioned(ctx, verifyOtpParams{VerifyOtpIntent: r.Body.Parameters}, map[string]func(json.RawMessage) (verifyOtpParams, error){
		string(gen.VerifyOtpRequestV2TypeVerifyOtpV2): as(verifyOtpV1),
	})
	if err != nil {
		return nil, err
	}
	return respond[gen.VerifyOtp200JSONResponse](submit(ctx, h.s, p, h.s.verifyOtp))
}

func (s *Server) verifyOtp(c *call, p verifyOtpParams) (work, error) {
	if p.OtpID == "" || (p.OtpCode == "" && p.encryptedOtpBundle == "") {
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
		code, key := p.OtpCode, bound
		if p.encryptedOtpBundle != "" {
			var err error
			if code, key, err = s.openOtpAttempt(c.orgID, p.OtpID, p.encryptedOtpBundle); err != nil {
				return nil, err
			}
		}
		x, err := s.checkCode(c.orgID, p.OtpID, code, now)
		if err != nil {
			return nil, err
		}
		tok, err := signJWT(s.auth.sessionKey, "", verificationClaims{ID: newID(), Exp: now.Add(ttl).Unix(),
			VerificationType: x.otpType, Contact: x.contact, PublicKey: key}, digestTurnkey)
		if err != nil {
			return nil, err
		}
		return gen.VerifyOtpOutcome{VerificationToken: tok}, nil
	}, nil
}

// openOtpAttempt decrypts the encrypted code of verify_otp V2 with the
// target key of the OTP's init_otp V3, and returns the code and the client
// public key it binds the verification token to.
func (s *Server) openOtpAttempt(orgID, otpID, encrypted string) (code, bound string, err error) {
	x := s.auth.otps[otpID]
	if x == nil || x.orgID != orgID {
		return "", "", notFound("OTP %s not found in organization %s", otpID, orgID)
	}
	if x.target == nil {
		return "", "", failedPrecondition("OTP %s was not started with %s: it has no target key to encrypt its code to; send the code with %s",
			otpID, gen.InitOtpRequestV3TypeInitOtpV3, gen.VerifyOtpRequestTypeVerifyOtp)
	}
	code, pub, err := enclave.DecryptOtpAttempt(encrypted, x.target)
	if err != nil {
		return "", "", invalidArgument("encryptedOtpBundle: %v", err)
	}
	if bound, err = checkLoginPublicKey(pub); err != nil {
		return "", "", invalidArgument("encryptedOtpBundle: public_key must be a P-256 public key in hex")
	}
	return code, bound, nil
}

// OtpLogin consumes a verification token and returns a session token for
// publicKey, for the user of the organization whose email address or phone
// number is the token's contact. V1, and V2 (through versions_auth.go), whose
// client signature is required: by the key the token is bound to, or by
// publicKey if the token is bound to none.
func (h *handlers) OtpLogin(ctx context.Context, r gen.OtpLoginRequestObject) (gen.OtpLoginResponseObject, error) {
	p, err := versioned(ctx, otpLoginParams{OtpLoginIntent: r.Body.Parameters}, map[string]func(json.RawMessage) (otpLoginParams, error){
		string(gen.OtpLoginRequestV2TypeOtpLoginV2): as(otpLoginV1),
	})
	if err != nil {
		return nil, err
	}
	return respond[gen.OtpLogin200JSONResponse](submit(ctx, h.s, p, h.s.otpLogin))
}

func (s *Server) otpLogin(c *call, p otpLoginParams) (work, error) {
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
		signer := vc.PublicKey
		if signer == "" && p.signed {
			signer = pub
		}
		if signer != "" {
			if err := checkClientSignature(p.ClientSignature, signer); err != nil {
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
// given email address or phone number (to the outbox). V2 and V3 (through
// versions_auth.go) choose the code's length and alphabet (by default 9
// alphanumeric characters), V3 also its lifetime, and both return
// initOtpAuthResultV2.
func (h *handlers) InitOtpAuth(ctx context.Context, r gen.InitOtpAuthRequestObject) (gen.InitOtpAuthResponseObject, error) {
	p, err := versioned(ctx, initOtpAuthParams{InitOtpAuthIntent: r.Body.Parameters}, map[string]func(json.RawMessage) (initOtpAuthParams, error){
		string(gen.InitOtpAuthRequestV2TypeInitOtpAuthV2): as(initOtpAuthV1FromV2),
		string(gen.InitOtpAuthRequestV3TypeInitOtpAuthV3): as(initOtpAuthV1FromV3),
	})
	if err != nil {
		return nil, err
	}
	return respond[gen.InitOtpAuth200JSONResponse](submit(ctx, h.s, p, h.s.initOtpAuth))
}

func (s *Server) initOtpAuth(c *call, p initOtpAuthParams) (work, error) {
	if err := checkOTPContact(p.OtpType, p.Contact); err != nil {
		return nil, err
	}
	length, alphanumeric, ttl := otpAuthLength, false, defaultOTPSeconds*time.Second
	if p.v2 {
		var err error
		if length, alphanumeric, err = codeShape(p.otpLength, p.alphanumeric); err != nil {
			return nil, err
		}
		if ttl, err = seconds("expirationSeconds", p.expirationSeconds, defaultOTPSeconds, maxOTPSeconds); err != nil {
			return nil, err
		}
	}
	if err := s.rateLimitOTP(p.UserIdentifier, c.now); err != nil {
		return nil, err
	}
	return inOrg(c, func(_ *state, o *org, now time.Time) (any, error) {
		u := userByContact(o, p.Contact)
		if u == nil {
			return nil, notFound("no user of organization %s has the contact %s", o.id, p.Contact)
		}
		x := s.sendOTP(o, u.id, p.OtpType, p.Contact, length, alphanumeric, ttl,
			p.EmailCustomization, p.SendFromEmailAddress, p.ReplyToEmailAddress, now)
		if p.v2 {
			return gen.InitOtpAuthResultV2{OtpID: x.id}, nil
		}
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
