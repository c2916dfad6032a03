package turnkeytest

import (
	"strings"

	gen "github.com/turnkey-go/turnkey/internal/genserver" // gen's models and the strict server
)

// Newer versions of the authentication flows (see versions.go). Most differ
// from the default only in where the app name of the email goes, which the
// conversions below move back; what a version adds that the default lacks
// (a code length for init_otp_auth, an encrypted code for verify_otp, a
// required client signature for otp_login) travels next to the default's
// parameters in the handler's own parameter type, whose JSON is the
// default's intent.

// emailCustomizationV1 converts the email customization of the OTP versions
// that moved the app name into the intent (init_otp V2/V3, init_otp_auth V3).
func emailCustomizationV1(appName string, c *gen.EmailCustomizationParamsV2) (*gen.EmailCustomizationParams, error) {
	if strings.TrimSpace(appName) == "" {
		return nil, invalidArgument("appName is required")
	}
	out := &gen.EmailCustomizationParams{AppName: &appName}
	if c != nil {
		out.LogoURL, out.MagicLinkTemplate, out.TemplateID, out.TemplateVariables = c.LogoURL, c.MagicLinkTemplate, c.TemplateID, c.TemplateVariables
	}
	return out, nil
}

// emailAuthCustomizationV1 converts the required email customization of
// email_auth V3 and init_user_email_recovery V2, whose app name is required.
func emailAuthCustomizationV1(c gen.EmailAuthCustomizationParams) (*gen.EmailCustomizationParams, error) {
	if strings.TrimSpace(c.AppName) == "" {
		return nil, invalidArgument("emailCustomization.appName is required")
	}
	return &gen.EmailCustomizationParams{AppName: &c.AppName, LogoURL: c.LogoURL, MagicLinkTemplate: c.MagicLinkTemplate,
		TemplateID: c.TemplateID, TemplateVariables: c.TemplateVariables}, nil
}

// emailAuthV2 serves ACTIVITY_TYPE_EMAIL_AUTH_V3 with the V2 implementation.
func emailAuthV2(p gen.EmailAuthIntentV3) (gen.EmailAuthIntentV2, error) {
	custom, err := emailAuthCustomizationV1(p.EmailCustomization)
	return gen.EmailAuthIntentV2{APIKeyName: p.APIKeyName, Email: p.Email, EmailCustomization: custom,
		ExpirationSeconds: p.ExpirationSeconds, InvalidateExisting: p.InvalidateExisting, ReplyToEmailAddress: p.ReplyToEmailAddress,
		SendFromEmailAddress: p.SendFromEmailAddress, SendFromEmailSenderName: p.SendFromEmailSenderName,
		TargetPublicKey: p.TargetPublicKey}, err
}

// recoveryV1 serves ACTIVITY_TYPE_INIT_USER_EMAIL_RECOVERY_V2 with the V1
// implementation.
func recoveryV1(p gen.InitUserEmailRecoveryIntentV2) (gen.InitUserEmailRecoveryIntent, error) {
	custom, err := emailAuthCustomizationV1(p.EmailCustomization)
	return gen.InitUserEmailRecoveryIntent{Email: p.Email, EmailCustomization: custom, ExpirationSeconds: p.ExpirationSeconds,
		ReplyToEmailAddress: p.ReplyToEmailAddress, SendFromEmailAddress: p.SendFromEmailAddress,
		SendFromEmailSenderName: p.SendFromEmailSenderName, TargetPublicKey: p.TargetPublicKey}, err
}

// initOtpParams are init_otp's parameters: V1's, and whether the result
// carries a target key to encrypt the code to (V3).
type initOtpParams struct {
	gen.InitOtpIntent
	encryptionTarget bool
}

// initOtpV1 serves ACTIVITY_TYPE_INIT_OTP_V2 (and, with encryptionTarget,
// V3, whose parameters are V2's) with the V1 implementation.
func initOtpV1(encryptionTarget bool) func(gen.InitOtpIntentV2) (initOtpParams, error) {
	return func(p gen.InitOtpIntentV2) (initOtpParams, error) {
		custom, err := emailCustomizationV1(p.AppName, p.EmailCustomization)
		return initOtpParams{InitOtpIntent: gen.InitOtpIntent{Alphanumeric: p.Alphanumeric, Contact: p.Contact, EmailCustomization: custom,
			ExpirationSeconds: p.ExpirationSeconds, OtpLength: p.OtpLength, OtpType: p.OtpType,
			ReplyToEmailAddress: p.ReplyToEmailAddress, SendFromEmailAddress: p.SendFromEmailAddress,
			SendFromEmailSenderName: p.SendFromEmailSenderName, SmsCustomization: p.SmsCustomization,
			UserIdentifier: p.UserIdentifier}, encryptionTarget: encryptionTarget}, err
	}
}

// initOtpAuthParams are init_otp_auth's parameters: V1's, and what V2 and
// V3 add (the code's length and alphabet, V3 its lifetime). V1 sends a
// 6-digit code; V2 and V3 default to 9 alphanumeric characters and return
// initOtpAuthResultV2.
type initOtpAuthParams struct {
	gen.InitOtpAuthIntent
	v2                bool
	otpLength         *int32
	alphanumeric      *bool
	expirationSeconds *string
}

// initOtpAuthV1FromV2 serves ACTIVITY_TYPE_INIT_OTP_AUTH_V2.
func initOtpAuthV1FromV2(p gen.InitOtpAuthIntentV2) (initOtpAuthParams, error) {
	return initOtpAuthParams{InitOtpAuthIntent: gen.InitOtpAuthIntent{Contact: p.Contact, EmailCustomization: p.EmailCustomization,
		OtpType: p.OtpType, ReplyToEmailAddress: p.ReplyToEmailAddress, SendFromEmailAddress: p.SendFromEmailAddress,
		SendFromEmailSenderName: p.SendFromEmailSenderName, SmsCustomization: p.SmsCustomization, UserIdentifier: p.UserIdentifier},
		v2: true, otpLength: p.OtpLength, alphanumeric: p.Alphanumeric}, nil
}

// initOtpAuthV1FromV3 serves ACTIVITY_TYPE_INIT_OTP_AUTH_V3.
func initOtpAuthV1FromV3(p gen.InitOtpAuthIntentV3) (initOtpAuthParams, error) {
	custom, err := emailCustomizationV1(p.AppName, p.EmailCustomization)
	return initOtpAuthParams{InitOtpAuthIntent: gen.InitOtpAuthIntent{Contact: p.Contact, EmailCustomization: custom,
		OtpType: p.OtpType, ReplyToEmailAddress: p.ReplyToEmailAddress, SendFromEmailAddress: p.SendFromEmailAddress,
		SendFromEmailSenderName: p.SendFromEmailSenderName, SmsCustomization: p.SmsCustomization, UserIdentifier: p.UserIdentifier},
		v2: true, otpLength: p.OtpLength, alphanumeric: p.Alphanumeric, expirationSeconds: p.ExpirationSeconds}, err
}

// verifyOtpParams are verify_otp's parameters: V1's, or V2's code and
// client public key encrypted to the target key of init_otp V3.
type verifyOtpParams struct {
	gen.VerifyOtpIntent
	encryptedOtpBundle string
}

// verifyOtpV1 serves ACTIVITY_TYPE_VERIFY_OTP_V2.
func verifyOtpV1(p gen.VerifyOtpIntentV2) (verifyOtpParams, error) {
	if p.EncryptedOtpBundle == "" {
		return verifyOtpParams{}, invalidArgument("encryptedOtpBundle is required")
	}
	return verifyOtpParams{VerifyOtpIntent: gen.VerifyOtpIntent{OtpID: p.OtpID, ExpirationSeconds: p.ExpirationSeconds},
		encryptedOtpBundle: p.EncryptedOtpBundle}, nil
}

// otpLoginParams are otp_login's parameters: V1's, and whether the client
// signature is required (V2), checked against the key the verification
// token is bound to or, for an unbound token, against publicKey.
type otpLoginParams struct {
	gen.OtpLoginIntent
	signed bool
}

// otpLoginV1 serves ACTIVITY_TYPE_OTP_LOGIN_V2.
func otpLoginV1(p gen.OtpLoginIntentV2) (otpLoginParams, error) {
	if p.ClientSignature.PublicKey == "" || p.ClientSignature.Signature == "" {
		return otpLoginParams{}, invalidArgument("clientSignature (publicKey, scheme, message, signature) is required")
	}
	return otpLoginParams{OtpLoginIntent: gen.OtpLoginIntent{ClientSignature: &p.ClientSignature, ExpirationSeconds: p.ExpirationSeconds,
		InvalidateExisting: p.InvalidateExisting, PublicKey: p.PublicKey, SessionProfileID: p.SessionProfileID,
		VerificationToken: p.VerificationToken}, signed: true}, nil
}
