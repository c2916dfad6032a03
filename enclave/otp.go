package enclave

import (
	"encoding/hex"
	"encoding/json"
	"strings"
)

// ProductionOtpSignerPublicKey is the public key (uncompressed P-256, hex) of
// Turnkey's production TLS fetcher enclave quorum, which signs the
// otpEncryptionTargetBundle of ACTIVITY_TYPE_INIT_OTP_V3. EncryptOtpCode
// accepts only target bundles signed by it unless WithSignerPublicKey pins
// another key (a local simulator's Signer.PublicKeyHex).
const ProductionOtpSignerPublicKey = "046b4f88421f76b6ba418afc2ea1d8ced671337d7db6b80478a60d8531bf8f17fa9a512f0fef96fc0c9b4cd9dff70b34992e520ce04c79d931f6ff6296b547d201"

// otpAttempt is the plaintext of an encryptedOtpBundle
// (ACTIVITY_TYPE_VERIFY_OTP_V2): the code the user entered and the client
// P-256 public key the verification token is to be bound to.
type otpAttempt struct {
	OtpCode   string `json:"otp_code"`
	PublicKey string `json:"public_key"`
}

// EncryptOtpCode verifies an otpEncryptionTargetBundle (the result of
// ACTIVITY_TYPE_INIT_OTP_V3) and encrypts otpCode, together with
// publicKeyHex (a P-256 public key, compressed or uncompressed hex), to its
// target key. It returns the encryptedOtpBundle JSON string
// {"encappedPublic": ..., "ciphertext": ...} of ACTIVITY_TYPE_VERIFY_OTP_V2.
//
// It checks that the bundle is signed by the pinned signer
// (ProductionOtpSignerPublicKey unless WithSignerPublicKey is given), that
// its data names organizationID (the organization init_otp ran in), and that
// its target key is a valid P-256 key. The code is a secret: it never
// appears in an error.
func EncryptOtpCode(targetBundle, organizationID, otpCode, publicKeyHex string, opts ...Option) (string, error) {
	const op = "EncryptOtpCode"
	if organizationID == "" {
		return "", newErr(op, ErrInvalidInput, "organizationId", "empty expected organization ID")
	}
	if strings.TrimSpace(otpCode) == "" {
		return "", newErr(op, ErrInvalidInput, "otpCode", "empty OTP code")
	}
	if err := checkClientPublicKey(publicKeyHex); err != nil {
		return "", &BundleError{Op: op, Kind: ErrBadPublicKey, Field: "publicKey", Detail: err.Error()}
	}
	cfg, err := newConfig(op, append([]Option{WithSignerPublicKey(ProductionOtpSignerPublicKey)}, opts...))
	if err != nil {
		return "", err
	}
	data, err := openSignedBundle(op, targetBundle, cfg)
	if err != nil {
		return "", err
	}
	var d importData
	if err := unmarshalData(op, data, &d); err != nil {
		return "", err
	}
	if d.OrganizationID != organizationID {
		return "", mismatchErr(op, ErrOrganizationMismatch, "organizationId", organizationID, d.OrganizationID)
	}
	pub, err := parseP256PublicKeyHex(d.TargetPublic)
	if err != nil {
		return "", &BundleError{Op: op, Kind: ErrMalformedBundle, Field: "targetPublic", Detail: err.Error(), Err: ErrBadPublicKey}
	}
	plaintext, err := json.Marshal(otpAttempt{OtpCode: otpCode, PublicKey: publicKeyHex})
	if err != nil {
		return "", &BundleError{Op: op, Kind: ErrInvalidInput, Detail: "encoding OTP attempt", Err: err}
	}
	defer clear(plaintext)
	target := &ImportTarget{OrganizationID: d.OrganizationID, TargetPublicKeyHex: hex.EncodeToString(pub.Bytes())}
	return target.encrypt(op, plaintext)
}

// NewOtpEncryptionTarget is the enclave side of EncryptOtpCode: it generates
// a fresh target key and returns the otpEncryptionTargetBundle signed by s
// for organizationID together with the key, which opens the client's
// encryptedOtpBundle with DecryptOtpAttempt. It is meant for local API
// simulators and tests.
func (s *Signer) NewOtpEncryptionTarget(organizationID string) (string, *TargetKey, error) {
	const op = "NewOtpEncryptionTarget"
	if err := s.check(op); err != nil {
		return "", nil, err
	}
	if organizationID == "" {
		return "", nil, newErr(op, ErrInvalidInput, "organizationId", "empty organization ID")
	}
	key, err := GenerateTargetKey()
	if err != nil {
		return "", nil, err
	}
	data, err := marshalData(op, importData{TargetPublic: key.PublicKeyHex(), OrganizationID: organizationID})
	if err != nil {
		return "", nil, err
	}
	bundle, err := sealSignedBundle(op, s.key.get(), data)
	if err != nil {
		return "", nil, err
	}
	return bundle, key, nil
}

// DecryptOtpAttempt is the enclave side of EncryptOtpCode: it decrypts an
// encryptedOtpBundle with the key returned by Signer.NewOtpEncryptionTarget.
// It returns the code (a secret: handle it as one) and the client public key
// the verification token is to be bound to.
func DecryptOtpAttempt(encryptedOtpBundle string, key *TargetKey) (otpCode, publicKeyHex string, err error) {
	const op = "DecryptOtpAttempt"
	plaintext, err := DecryptImportBundle(encryptedOtpBundle, key)
	if err != nil {
		if be, ok := err.(*BundleError); ok {
			cp := *be
			cp.Op = op
			return "", "", &cp
		}
		return "", "", err
	}
	defer clear(plaintext)
	var a otpAttempt
	if err := json.Unmarshal(plaintext, &a); err != nil || a.OtpCode == "" || a.PublicKey == "" {
		return "", "", newErr(op, ErrMalformedBundle, "", `plaintext is not a JSON {"otp_code", "public_key"} object`)
	}
	return a.OtpCode, a.PublicKey, nil
}

// checkClientPublicKey checks that s is a P-256 public key in hex, 33-byte
// compressed or 65-byte uncompressed.
func checkClientPublicKey(s string) error {
	raw, err := hex.DecodeString(s)
	if err != nil {
		return errNotHex
	}
	if len(raw) == compressedLen {
		_, err = decompressP256(raw)
		return err
	}
	_, err = parseP256PublicKey(raw)
	return err
}
