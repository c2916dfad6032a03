package turnkeytest

import (
	"net/http"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/sdk"
	"github.com/turnkey-go/turnkey/stamp"
)

// init_otp → the code from the outbox → verify_otp → otp_login → the
// session key stamps whoami in the sub-organization.
func TestGenericOTPFlow(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s)
	ctx := testContext(t)
	ten := newTenant(t, s, c)

	init, _, err := c.InitOtp(ctx, gen.InitOtpIntent{OtpType: otpTypeEmail, Contact: aliceEmail,
		EmailCustomization: &gen.EmailCustomizationParams{AppName: ptr("Demo")}})
	require.NoError(t, err)
	msg, ok := s.LastMessage("alice@example.com")
	require.True(t, ok)
	require.Equal(t, ChannelEmail, msg.Channel)
	require.Equal(t, MessageOTP, msg.Kind)
	require.Equal(t, init.OtpID, msg.OtpID)
	require.Equal(t, "Demo", msg.AppName)
	require.Regexp(t, regexp.MustCompile(`^[0-9A-HJKMNP-TV-Z]{9}$`), msg.Code, "9 Crockford Base32 characters by default")

	ver, _, err := c.VerifyOtp(ctx, gen.VerifyOtpIntent{OtpID: init.OtpID, OtpCode: msg.Code})
	require.NoError(t, err)
	var vc verificationClaims
	require.NoError(t, verifyJWT(&s.auth.sessionKey.PublicKey, ver.VerificationToken, digestTurnkey, &vc))
	require.Equal(t, aliceEmail, vc.Contact)
	require.Equal(t, otpTypeEmail, vc.VerificationType)
	require.InDelta(t, time.Now().Add(time.Hour).Unix(), vc.Exp, 5)

	key := newKey(t, stamp.CurveP256)
	login, _, err := c.OtpLogin(ctx, gen.OtpLoginIntent{VerificationToken: ver.VerificationToken, PublicKey: key.PublicKey()},
		sdk.WithOrganization(ten.orgID))
	require.NoError(t, err)
	claims, err := s.VerifySessionToken(login.Session)
	require.NoError(t, err)
	require.Equal(t, SessionClaims{Exp: claims.Exp, PublicKey: key.PublicKey(), SessionType: SessionTypeReadWrite,
		UserID: ten.userID, OrganizationID: ten.orgID}, claims)
	require.InDelta(t, time.Now().Add(15*time.Minute).Unix(), claims.Exp, 5)
	whoamiAs(t, s, key, ten.orgID, ten.userID)

	// The token is consumed.
	_, _, err = c.OtpLogin(ctx, gen.OtpLoginIntent{VerificationToken: ver.VerificationToken, PublicKey: newKey(t, stamp.CurveP256).PublicKey()},
		sdk.WithOrganization(ten.orgID))
	require.Contains(t, failure(t, err, codeUnauthenticated), "already been used")

	// The contact is now verified.
	v, err := c.ListVerifiedSuborgs(ctx, gen.ListVerifiedSuborgsRequest{OrganizationID: s.Root().OrganizationID,
		FilterType: ptr("EMAIL"), FilterValue: ptr(aliceEmail)})
	require.NoError(t, err)
	require.Equal(t, []string{ten.orgID}, v.OrganizationIds)
}

func TestOTPWrongCodesLock(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s)
	ctx := testContext(t)
	init, _, err := c.InitOtp(ctx, gen.InitOtpIntent{OtpType: otpTypeSMS, Contact: alicePhone, Alphanumeric: ptr(false), OtpLength: ptr(int32(6))})
	require.NoError(t, err)
	msg, ok := s.LastMessage(alicePhone)
	require.True(t, ok)
	require.Equal(t, ChannelSMS, msg.Channel)
	require.Regexp(t, `^[0-9]{6}$`, msg.Code)
	wrong := "ZZZZZZ"

	for i, left := range []string{"2 of 3", "1 of 3"} {
		_, _, err = c.VerifyOtp(ctx, gen.VerifyOtpIntent{OtpID: init.OtpID, OtpCode: wrong + string(rune('0'+i))})
		require.Contains(t, failure(t, err, codeInvalidArgument), left)
	}
	_, _, err = c.VerifyOtp(ctx, gen.VerifyOtpIntent{OtpID: init.OtpID, OtpCode: wrong + "9"})
	require.Contains(t, failure(t, err, codeResourceExhausted), "locked")
	// Locked: even the right code fails.
	_, _, err = c.VerifyOtp(ctx, gen.VerifyOtpIntent{OtpID: init.OtpID, OtpCode: msg.Code})
	require.Contains(t, failure(t, err, codeResourceExhausted), "locked")

	// Nothing is verified.
	v, err := c.ListVerifiedSuborgs(ctx, gen.ListVerifiedSuborgsRequest{OrganizationID: s.Root().OrganizationID})
	require.NoError(t, err)
	require.Empty(t, v.OrganizationIds)
}

func TestOTPUsedExpiredAndUnknown(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s)
	ctx := testContext(t)
	ten := newTenant(t, s, c)

	// A code works once.
	a, _, err := c.InitOtp(ctx, gen.InitOtpIntent{OtpType: otpTypeEmail, Contact: aliceEmail})
	require.NoError(t, err)
	code := mustMessage(t, s, a.OtpID).Code
	_, _, err = c.VerifyOtp(ctx, gen.VerifyOtpIntent{OtpID: a.OtpID, OtpCode: code})
	require.NoError(t, err)
	_, _, err = newClient(t, s, later()).VerifyOtp(ctx, gen.VerifyOtpIntent{OtpID: a.OtpID, OtpCode: code})
	require.Contains(t, failure(t, err, codeFailedPrecondition), "already been used")

	// Unknown OTP.
	_, _, err = c.VerifyOtp(ctx, gen.VerifyOtpIntent{OtpID: newID(), OtpCode: code})
	failure(t, err, codeNotFound)

	// An expired code, and an expired verification token.
	b, _, err := c.InitOtp(ctx, gen.InitOtpIntent{OtpType: otpTypeEmail, Contact: aliceEmail, ExpirationSeconds: ptr("1")})
	require.NoError(t, err)
	d, _, err := c.InitOtp(ctx, gen.InitOtpIntent{OtpType: otpTypeEmail, Contact: aliceEmail, OtpLength: ptr(int32(8))})
	require.NoError(t, err)
	ver, _, err := c.VerifyOtp(ctx, gen.VerifyOtpIntent{OtpID: d.OtpID, OtpCode: mustMessage(t, s, d.OtpID).Code, ExpirationSeconds: ptr("1")})
	require.NoError(t, err)
	time.Sleep(1100 * time.Millisecond)
	_, _, err = c.VerifyOtp(ctx, gen.VerifyOtpIntent{OtpID: b.OtpID, OtpCode: mustMessage(t, s, b.OtpID).Code})
	require.Contains(t, failure(t, err, codeFailedPrecondition), "expired")
	_, _, err = c.OtpLogin(ctx, gen.OtpLoginIntent{VerificationToken: ver.VerificationToken, PublicKey: newKey(t, stamp.CurveP256).PublicKey()},
		sdk.WithOrganization(ten.orgID))
	require.Contains(t, failure(t, err, codeUnauthenticated), "expired")

	// Bad input is refused before any activity.
	_, _, err = c.InitOtp(ctx, gen.InitOtpIntent{OtpType: "OTP_TYPE_PIGEON", Contact: aliceEmail})
	apiError(t, err, http.StatusBadRequest, codeInvalidArgument)
	_, _, err = c.InitOtp(ctx, gen.InitOtpIntent{OtpType: otpTypeEmail, Contact: aliceEmail, ExpirationSeconds: ptr("601")})
	apiError(t, err, http.StatusBadRequest, codeInvalidArgument)
	_, _, err = c.InitOtp(ctx, gen.InitOtpIntent{OtpType: otpTypeEmail, Contact: aliceEmail, OtpLength: ptr(int32(5))})
	apiError(t, err, http.StatusBadRequest, codeInvalidArgument)
}

func mustMessage(t *testing.T, s *Server, otpID string) Message {
	t.Helper()
	for _, m := range s.Outbox() {
		if m.OtpID == otpID {
			return m
		}
	}
	t.Fatalf("no message for OTP %s", otpID)
	return Message{}
}

func TestOTPLoginErrors(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s)
	ctx := testContext(t)
	ten := newTenant(t, s, c)
	verify := func(contact string, pub *string) string {
		init, _, err := c.InitOtp(ctx, gen.InitOtpIntent{OtpType: otpTypeEmail, Contact: contact})
		require.NoError(t, err)
		ver, _, err := c.VerifyOtp(ctx, gen.VerifyOtpIntent{OtpID: init.OtpID, OtpCode: mustMessage(t, s, init.OtpID).Code, PublicKey: pub})
		require.NoError(t, err)
		return ver.VerificationToken
	}
	login := func(p gen.OtpLoginIntent) error {
		_, _, err := c.OtpLogin(ctx, p, sdk.WithOrganization(ten.orgID))
		return err
	}
	key := newKey(t, stamp.CurveP256)

	// A contact no user of the organization has.
	err := login(gen.OtpLoginIntent{VerificationToken: verify("bob@example.com", nil), PublicKey: key.PublicKey()})
	require.Contains(t, failure(t, err, codeNotFound), "bob@example.com")

	// A token this simulator did not sign.
	other, err := newP256Key()
	require.NoError(t, err)
	forged, err := signJWT(other, "", verificationClaims{ID: newID(), Exp: time.Now().Add(time.Hour).Unix(),
		VerificationType: otpTypeEmail, Contact: aliceEmail}, digestTurnkey)
	require.NoError(t, err)
	require.Contains(t, failure(t, login(gen.OtpLoginIntent{VerificationToken: forged, PublicKey: key.PublicKey()}), codeUnauthenticated), "not issued")

	// Not a JWT, not a P-256 key: 400.
	apiError(t, login(gen.OtpLoginIntent{VerificationToken: "nope", PublicKey: key.PublicKey()}), http.StatusBadRequest, codeInvalidArgument)
	apiError(t, login(gen.OtpLoginIntent{VerificationToken: forged, PublicKey: "02abcd"}), http.StatusBadRequest, codeInvalidArgument)

	// A token bound to a public key needs the client signature of that key.
	bound := verify(aliceEmail, ptr(key.PublicKey()))
	require.Contains(t, failure(t, login(gen.OtpLoginIntent{VerificationToken: bound, PublicKey: key.PublicKey()}), codeUnauthenticated), "clientSignature is required")
	otherKey := newKey(t, stamp.CurveP256)
	bad := &gen.ClientSignature{Scheme: gen.ClientSignatureSchemeAPIP256, PublicKey: otherKey.PublicKey(), Message: "login", Signature: clientSign(t, otherKey, "login")}
	require.Contains(t, failure(t, login(gen.OtpLoginIntent{VerificationToken: bound, PublicKey: key.PublicKey(), ClientSignature: bad}), codeUnauthenticated), "not the public key")
	wrongSig := &gen.ClientSignature{Scheme: gen.ClientSignatureSchemeAPIP256, PublicKey: key.PublicKey(), Message: "login", Signature: clientSign(t, otherKey, "login")}
	require.Contains(t, failure(t, login(gen.OtpLoginIntent{VerificationToken: bound, PublicKey: key.PublicKey(), ClientSignature: wrongSig}), codeUnauthenticated), "does not verify")
	good := &gen.ClientSignature{Scheme: gen.ClientSignatureSchemeAPIP256, PublicKey: key.PublicKey(), Message: "login", Signature: clientSign(t, key, "login")}
	require.NoError(t, login(gen.OtpLoginIntent{VerificationToken: bound, PublicKey: key.PublicKey(), ClientSignature: good}))
	whoamiAs(t, s, key, ten.orgID, ten.userID)
}

// init_otp_auth → the 6-digit code from the outbox → otp_auth → the
// credential bundle's key stamps whoami.
func TestOTPAuthFlow(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s)
	ctx := testContext(t)
	ten := newTenant(t, s, c)

	init, _, err := c.InitOtpAuth(ctx, gen.InitOtpAuthIntent{OtpType: otpTypeSMS, Contact: alicePhone}, sdk.WithOrganization(ten.orgID))
	require.NoError(t, err)
	msg := mustMessage(t, s, init.OtpID)
	require.Equal(t, ChannelSMS, msg.Channel)
	require.Equal(t, ten.userID, msg.UserID)
	require.Regexp(t, `^[0-9]{6}$`, msg.Code)

	target := newTarget(t)
	_, _, err = c.OtpAuth(ctx, gen.OtpAuthIntent{OtpID: init.OtpID, OtpCode: "000000x", TargetPublicKey: target.PublicKeyHex()}, sdk.WithOrganization(ten.orgID))
	failure(t, err, codeInvalidArgument)
	res, _, err := c.OtpAuth(ctx, gen.OtpAuthIntent{OtpID: init.OtpID, OtpCode: msg.Code, TargetPublicKey: target.PublicKeyHex(), ExpirationSeconds: ptr("120")},
		sdk.WithOrganization(ten.orgID))
	require.NoError(t, err)
	require.Equal(t, ten.userID, res.UserID)
	key := bundleKey(t, *res.CredentialBundle, target)
	whoamiAs(t, s, key, ten.orgID, ten.userID)
	k, err := c.GetAPIKey(ctx, gen.GetAPIKeyRequest{OrganizationID: ten.orgID, APIKeyID: *res.APIKeyID})
	require.NoError(t, err)
	require.Equal(t, gen.CredentialTypeOtpAuthKeyP256, k.APIKey.Credential.Type)
	require.Equal(t, "120", *k.APIKey.ExpirationSeconds)

	// A contact no user has.
	_, _, err = c.InitOtpAuth(ctx, gen.InitOtpAuthIntent{OtpType: otpTypeEmail, Contact: "bob@example.com"}, sdk.WithOrganization(ten.orgID))
	failure(t, err, codeNotFound)

	v, err := c.ListVerifiedSuborgs(ctx, gen.ListVerifiedSuborgsRequest{OrganizationID: s.Root().OrganizationID, FilterType: ptr("PHONE_NUMBER"), FilterValue: ptr(alicePhone)})
	require.NoError(t, err)
	require.Equal(t, []string{ten.orgID}, v.OrganizationIds)
	_, err = c.ListVerifiedSuborgs(ctx, gen.ListVerifiedSuborgsRequest{OrganizationID: s.Root().OrganizationID, FilterType: ptr("NAME")})
	apiError(t, err, http.StatusBadRequest, codeInvalidArgument)
}

// A dropped answer makes the client resend the identical body: the same
// activity answers, so a wrong code counts once, not once per resend.
func TestOTPAttemptsSurviveDroppedAnswers(t *testing.T) {
	s := newServer(t, WithFaults(Faults{Seed: 7, DropRate: 0.5}))
	c := newClient(t, s, generousRetries())
	ctx := testContext(t)
	init, _, err := c.InitOtp(ctx, gen.InitOtpIntent{OtpType: otpTypeEmail, Contact: aliceEmail})
	require.NoError(t, err)
	for _, left := range []string{"2 of 3", "1 of 3"} {
		_, _, err = c.VerifyOtp(ctx, gen.VerifyOtpIntent{OtpID: init.OtpID, OtpCode: "WRONG" + left[:1]})
		require.Contains(t, failure(t, err, codeInvalidArgument), left)
	}
	_, _, err = c.VerifyOtp(ctx, gen.VerifyOtpIntent{OtpID: init.OtpID, OtpCode: mustMessage(t, s, init.OtpID).Code})
	require.NoError(t, err)
	st := s.Stats()
	require.Positive(t, st.Faults[FaultDrop])
	require.Positive(t, st.DuplicatesAvoided)
	require.Equal(t, 4, st.ActivitiesCreated)
	require.Len(t, s.Outbox(), 1, "one code sent, however often init_otp was resent")
}

// With a userIdentifier, at most 3 OTP requests in 3 minutes.
func TestOTPRateLimit(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s, sdk.WithoutRetries())
	ctx := testContext(t)
	send := func(i int, id *string) error {
		_, _, err := c.InitOtp(ctx, gen.InitOtpIntent{OtpType: otpTypeEmail, Contact: "u" + strconv.Itoa(i) + "@example.com", UserIdentifier: id})
		return err
	}
	for i := range 3 {
		require.NoError(t, send(i, ptr("ip-1")))
	}
	err := send(3, ptr("ip-1"))
	require.ErrorIs(t, err, sdk.ErrRateLimited)
	apiError(t, err, http.StatusTooManyRequests, codeResourceExhausted)
	_, _, err = c.InitOtpAuth(ctx, gen.InitOtpAuthIntent{OtpType: otpTypeEmail, Contact: aliceEmail, UserIdentifier: ptr("ip-1")})
	require.ErrorIs(t, err, sdk.ErrRateLimited)
	require.NoError(t, send(4, ptr("ip-2")))
	for i := range 4 {
		require.NoError(t, send(10+i, nil))
	}
	require.Len(t, s.Outbox(), 3+1+4, "a refused request sends nothing")
	require.Equal(t, 3+1+4, s.Stats().ActivitiesCreated, "a refused request creates no activity")
}
