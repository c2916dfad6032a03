package turnkeytest

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/enclave"
	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/sdk"
	"github.com/turnkey-go/turnkey/stamp"
)

// loginSignature is the client signature of otp_login V2: key signs the
// login usage of the verification token (Turnkey's message format; the
// simulator checks the signature, not the message).
func loginSignature(t *testing.T, key *stamp.APIKey, token string) gen.ClientSignature {
	t.Helper()
	_, payload, _, _, err := splitJWT(token)
	require.NoError(t, err)
	var claims verificationClaims
	require.NoError(t, json.Unmarshal(payload, &claims))
	msg := string(mustJSON(t, map[string]any{"login": map[string]string{"publicKey": key.PublicKey()},
		"tokenId": claims.ID, "type": "USAGE_TYPE_LOGIN"}))
	return gen.ClientSignature{Scheme: gen.ClientSignatureSchemeAPIP256, PublicKey: key.PublicKey(), Message: msg,
		Signature: clientSign(t, key, msg)}
}

// init_otp V3 → the code from the outbox, encrypted with the client key to
// the result's target bundle → verify_otp V2 → otp_login V2 signed by that
// key → the session key stamps whoami; each activity recorded as sent.
func TestGenericOTPFlowV3(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s)
	ctx := testContext(t)
	ten := newTenant(t, s, c)
	root := s.Root().OrganizationID

	init, act, err := c.InitOtpV3(ctx, gen.InitOtpIntentV3{OtpType: otpTypeEmail, Contact: aliceEmail, AppName: "Demo V3",
		Alphanumeric: ptr(false), OtpLength: ptr(int32(6))})
	require.NoError(t, err)
	assert.Equal(t, gen.ActivityType("ACTIVITY_TYPE_INIT_OTP_V3"), act.Type)
	require.NotNil(t, act.Intent.InitOtpIntentV3, "the intent is recorded as the version sent")
	assert.Equal(t, "Demo V3", act.Intent.InitOtpIntentV3.AppName)
	require.NotNil(t, act.Result.InitOtpResultV2)
	assert.Nil(t, act.Result.InitOtpResult)
	require.NotEmpty(t, init.OtpEncryptionTargetBundle)
	msg := mustMessage(t, s, init.OtpID)
	assert.Equal(t, "Demo V3", msg.AppName, "the app name of the intent is the email's")
	require.Regexp(t, `^[0-9]{6}$`, msg.Code)

	key := newKey(t, stamp.CurveP256)
	pin := enclave.WithSignerPublicKey(s.EnclaveSignerPublicKey())
	_, err = enclave.EncryptOtpCode(init.OtpEncryptionTargetBundle, root, msg.Code, key.PublicKey())
	require.ErrorIs(t, err, enclave.ErrSignerMismatch, "the production signer is pinned by default")
	_, err = enclave.EncryptOtpCode(init.OtpEncryptionTargetBundle, ten.orgID, msg.Code, key.PublicKey(), pin)
	require.ErrorIs(t, err, enclave.ErrOrganizationMismatch)

	// A wrong code, encrypted, fails and counts.
	wrong, err := enclave.EncryptOtpCode(init.OtpEncryptionTargetBundle, root, "000000x", key.PublicKey(), pin)
	require.NoError(t, err)
	_, _, err = c.VerifyOtpV2(ctx, gen.VerifyOtpIntentV2{OtpID: init.OtpID, EncryptedOtpBundle: wrong})
	assert.Contains(t, failure(t, err, codeInvalidArgument), "2 of 3 attempts left")
	// A bundle that is not sealed to the target key fails.
	_, _, err = c.VerifyOtpV2(ctx, gen.VerifyOtpIntentV2{OtpID: init.OtpID, EncryptedOtpBundle: `{"encappedPublic":"04","ciphertext":"00"}`})
	assert.Contains(t, failure(t, err, codeInvalidArgument), "encryptedOtpBundle")

	enc, err := enclave.EncryptOtpCode(init.OtpEncryptionTargetBundle, root, msg.Code, key.PublicKey(), pin)
	require.NoError(t, err)
	require.NotContains(t, enc, msg.Code)
	ver, act, err := c.VerifyOtpV2(ctx, gen.VerifyOtpIntentV2{OtpID: init.OtpID, EncryptedOtpBundle: enc})
	require.NoError(t, err)
	assert.Equal(t, gen.ActivityType("ACTIVITY_TYPE_VERIFY_OTP_V2"), act.Type)
	require.NotNil(t, act.Intent.VerifyOtpIntentV2)
	require.NotNil(t, act.Result.VerifyOtpResult)
	var vc verificationClaims
	require.NoError(t, verifyJWT(&s.auth.sessionKey.PublicKey, ver.VerificationToken, digestTurnkey, &vc))
	assert.Equal(t, aliceEmail, vc.Contact)
	assert.Equal(t, key.PublicKey(), vc.PublicKey, "the token is bound to the key sent in the encrypted bundle")

	// otp_login V2: the signature is required, and must be by the bound key.
	_, _, err = c.OtpLoginV2(ctx, gen.OtpLoginIntentV2{VerificationToken: ver.VerificationToken, PublicKey: key.PublicKey()},
		sdk.WithOrganization(ten.orgID))
	apiError(t, err, http.StatusBadRequest, codeInvalidArgument)
	other := newKey(t, stamp.CurveP256)
	_, _, err = c.OtpLoginV2(ctx, gen.OtpLoginIntentV2{VerificationToken: ver.VerificationToken, PublicKey: other.PublicKey(),
		ClientSignature: loginSignature(t, other, ver.VerificationToken)}, sdk.WithOrganization(ten.orgID))
	failure(t, err, codeUnauthenticated)
	login, act, err := c.OtpLoginV2(ctx, gen.OtpLoginIntentV2{VerificationToken: ver.VerificationToken, PublicKey: key.PublicKey(),
		ClientSignature: loginSignature(t, key, ver.VerificationToken)}, sdk.WithOrganization(ten.orgID))
	require.NoError(t, err)
	assert.Equal(t, gen.ActivityType("ACTIVITY_TYPE_OTP_LOGIN_V2"), act.Type)
	require.NotNil(t, act.Intent.OtpLoginIntentV2)
	claims, err := s.VerifySessionToken(login.Session)
	require.NoError(t, err)
	assert.Equal(t, ten.orgID, claims.OrganizationID)
	assert.Equal(t, key.PublicKey(), claims.PublicKey)
	whoamiAs(t, s, key, ten.orgID, ten.userID)

	// verify_otp V2 needs an OTP started with init_otp V3.
	v1, _, err := c.InitOtp(ctx, gen.InitOtpIntent{OtpType: otpTypeEmail, Contact: aliceEmail})
	require.NoError(t, err)
	_, _, err = c.VerifyOtpV2(ctx, gen.VerifyOtpIntentV2{OtpID: v1.OtpID, EncryptedOtpBundle: enc})
	assert.Contains(t, failure(t, err, codeFailedPrecondition), "ACTIVITY_TYPE_INIT_OTP_V3")
}

// init_otp V2 (the app name in the intent) → verify_otp → otp_login V2,
// whose signature, for a token bound to no key, is by the session key.
func TestGenericOTPFlowV2(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s)
	ctx := testContext(t)
	ten := newTenant(t, s, c)

	_, _, err := c.InitOtpV2(ctx, gen.InitOtpIntentV2{OtpType: otpTypeEmail, Contact: aliceEmail})
	apiError(t, err, http.StatusBadRequest, codeInvalidArgument) // appName is required
	init, act, err := c.InitOtpV2(ctx, gen.InitOtpIntentV2{OtpType: otpTypeEmail, Contact: aliceEmail, AppName: "Demo V2",
		EmailCustomization: &gen.EmailCustomizationParamsV2{LogoURL: ptr("https://app.example/logo.png")}})
	require.NoError(t, err)
	assert.Equal(t, gen.ActivityType("ACTIVITY_TYPE_INIT_OTP_V2"), act.Type)
	require.NotNil(t, act.Intent.InitOtpIntentV2)
	require.NotNil(t, act.Result.InitOtpResult, "V2's result is initOtpResult")
	msg := mustMessage(t, s, init.OtpID)
	assert.Equal(t, "Demo V2", msg.AppName)
	require.Regexp(t, `^[0-9A-HJKMNP-TV-Z]{9}$`, msg.Code)

	ver, _, err := c.VerifyOtp(ctx, gen.VerifyOtpIntent{OtpID: init.OtpID, OtpCode: msg.Code})
	require.NoError(t, err)
	key, other := newKey(t, stamp.CurveP256), newKey(t, stamp.CurveP256)
	_, _, err = c.OtpLoginV2(ctx, gen.OtpLoginIntentV2{VerificationToken: ver.VerificationToken, PublicKey: key.PublicKey(),
		ClientSignature: loginSignature(t, other, ver.VerificationToken)}, sdk.WithOrganization(ten.orgID))
	failure(t, err, codeUnauthenticated)
	_, _, err = c.OtpLoginV2(ctx, gen.OtpLoginIntentV2{VerificationToken: ver.VerificationToken, PublicKey: key.PublicKey(),
		ClientSignature: loginSignature(t, key, ver.VerificationToken)}, sdk.WithOrganization(ten.orgID))
	require.NoError(t, err)
	whoamiAs(t, s, key, ten.orgID, ten.userID)
}

// init_otp_auth V2 and V3 → the code from the outbox → otp_auth → the
// credential stamps whoami.
func TestOTPAuthFlowV2V3(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s)
	ctx := testContext(t)
	ten := newTenant(t, s, c)

	init, act, err := c.InitOtpAuthV2(ctx, gen.InitOtpAuthIntentV2{OtpType: otpTypeSMS, Contact: alicePhone}, sdk.WithOrganization(ten.orgID))
	require.NoError(t, err)
	assert.Equal(t, gen.ActivityType("ACTIVITY_TYPE_INIT_OTP_AUTH_V2"), act.Type)
	require.NotNil(t, act.Intent.InitOtpAuthIntentV2)
	require.NotNil(t, act.Result.InitOtpAuthResultV2)
	assert.Nil(t, act.Result.InitOtpAuthResult)
	msg := mustMessage(t, s, init.OtpID)
	require.Regexp(t, `^[0-9A-HJKMNP-TV-Z]{9}$`, msg.Code, "V2 defaults to 9 alphanumeric characters")
	target := newTarget(t)
	res, _, err := c.OtpAuth(ctx, gen.OtpAuthIntent{OtpID: init.OtpID, OtpCode: msg.Code, TargetPublicKey: target.PublicKeyHex()},
		sdk.WithOrganization(ten.orgID))
	require.NoError(t, err)
	whoamiAs(t, s, bundleKey(t, *res.CredentialBundle, target), ten.orgID, ten.userID)

	_, _, err = c.InitOtpAuthV3(ctx, gen.InitOtpAuthIntentV3{OtpType: otpTypeEmail, Contact: aliceEmail}, sdk.WithOrganization(ten.orgID))
	apiError(t, err, http.StatusBadRequest, codeInvalidArgument) // appName is required
	_, _, err = c.InitOtpAuthV3(ctx, gen.InitOtpAuthIntentV3{OtpType: otpTypeEmail, Contact: aliceEmail, AppName: "Demo",
		ExpirationSeconds: ptr("601")}, sdk.WithOrganization(ten.orgID))
	apiError(t, err, http.StatusBadRequest, codeInvalidArgument)
	init3, act, err := c.InitOtpAuthV3(ctx, gen.InitOtpAuthIntentV3{OtpType: otpTypeEmail, Contact: aliceEmail, AppName: "Demo V3",
		OtpLength: ptr(int32(7)), Alphanumeric: ptr(false), ExpirationSeconds: ptr("60")}, sdk.WithOrganization(ten.orgID))
	require.NoError(t, err)
	assert.Equal(t, gen.ActivityType("ACTIVITY_TYPE_INIT_OTP_AUTH_V3"), act.Type)
	require.NotNil(t, act.Intent.InitOtpAuthIntentV3)
	require.NotNil(t, act.Result.InitOtpAuthResultV2)
	msg = mustMessage(t, s, init3.OtpID)
	assert.Equal(t, "Demo V3", msg.AppName)
	require.Regexp(t, `^[0-9]{7}$`, msg.Code)
	assert.WithinDuration(t, msg.SentAt.Add(60e9), s.auth.otps[init3.OtpID].expiresAt, 0, "expirationSeconds sets the code's lifetime")
	res, _, err = c.OtpAuth(ctx, gen.OtpAuthIntent{OtpID: init3.OtpID, OtpCode: msg.Code, TargetPublicKey: target.PublicKeyHex()},
		sdk.WithOrganization(ten.orgID))
	require.NoError(t, err)
	whoamiAs(t, s, bundleKey(t, *res.CredentialBundle, target), ten.orgID, ten.userID)
}

// email_auth V3 and init_user_email_recovery V2: the email customization
// and its app name are required; the bundle lands in the outbox.
func TestEmailFlowsNewerVersions(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s)
	ctx := testContext(t)
	ten := newTenant(t, s, c)
	target := newTarget(t)

	_, _, err := c.EmailAuthV3(ctx, gen.EmailAuthIntentV3{Email: aliceEmail, TargetPublicKey: target.PublicKeyHex()},
		sdk.WithOrganization(ten.orgID))
	apiError(t, err, http.StatusBadRequest, codeInvalidArgument)
	res, act, err := c.EmailAuthV3(ctx, gen.EmailAuthIntentV3{Email: aliceEmail, TargetPublicKey: target.PublicKeyHex(),
		EmailCustomization: gen.EmailAuthCustomizationParams{AppName: "Demo V3", MagicLinkTemplate: ptr("https://app.example/auth?b=%s")}},
		sdk.WithOrganization(ten.orgID))
	require.NoError(t, err)
	assert.Equal(t, gen.ActivityType("ACTIVITY_TYPE_EMAIL_AUTH_V3"), act.Type)
	require.NotNil(t, act.Intent.EmailAuthIntentV3)
	assert.Nil(t, act.Intent.EmailAuthIntentV2)
	require.NotNil(t, act.Result.EmailAuthResult)
	assert.Equal(t, ten.userID, res.UserID)
	msg, ok := s.LastMessage(aliceEmail)
	require.True(t, ok)
	assert.Equal(t, MessageEmailAuth, msg.Kind)
	assert.Equal(t, "Demo V3", msg.AppName)
	assert.Equal(t, "https://app.example/auth?b="+msg.CredentialBundle, msg.MagicLink)
	whoamiAs(t, s, bundleKey(t, msg.CredentialBundle, target), ten.orgID, ten.userID)

	_, _, err = c.InitUserEmailRecoveryV2(ctx, gen.InitUserEmailRecoveryIntentV2{Email: aliceEmail, TargetPublicKey: target.PublicKeyHex()},
		sdk.WithOrganization(ten.orgID))
	apiError(t, err, http.StatusBadRequest, codeInvalidArgument)
	rec, act, err := c.InitUserEmailRecoveryV2(ctx, gen.InitUserEmailRecoveryIntentV2{Email: aliceEmail, TargetPublicKey: target.PublicKeyHex(),
		EmailCustomization: gen.EmailAuthCustomizationParams{AppName: "Recover V2"}}, sdk.WithOrganization(ten.orgID))
	require.NoError(t, err)
	assert.Equal(t, gen.ActivityType("ACTIVITY_TYPE_INIT_USER_EMAIL_RECOVERY_V2"), act.Type)
	require.NotNil(t, act.Intent.InitUserEmailRecoveryIntentV2)
	require.NotNil(t, act.Result.InitUserEmailRecoveryResult)
	assert.Equal(t, ten.userID, rec.UserID)
	msg, ok = s.LastMessage(aliceEmail)
	require.True(t, ok)
	assert.Equal(t, MessageRecovery, msg.Kind)
	assert.Equal(t, "Recover V2", msg.AppName)
	recovery := newClient(t, s, sdk.WithStamper(bundleKey(t, msg.CredentialBundle, target)), sdk.WithOrganizationID(ten.orgID))
	auth := gen.AuthenticatorParamsV2{AuthenticatorName: "new passkey", Challenge: "c",
		Attestation: gen.Attestation{CredentialID: "cred-v2", ClientDataJSON: "e30", AttestationObject: "o", Transports: []gen.AuthenticatorTransport{}}}
	got, _, err := recovery.RecoverUser(ctx, gen.RecoverUserIntent{UserID: ten.userID, Authenticator: auth})
	require.NoError(t, err, "the recovery credential of V2 recovers the user")
	require.Len(t, got.AuthenticatorID, 1)
}
