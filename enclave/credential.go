package enclave

import (
	"errors"
	"fmt"
	"strings"
)

// maxCredentialBundleLen bounds the length of a credential bundle string
// (a real one is about 120 characters).
const maxCredentialBundleLen = 1024

// DecryptCredentialBundle decrypts a credential bundle (returned by read-write
// session V2, email auth, OTP auth, email recovery and OAuth activities) with
// the target key whose PublicKeyHex was sent as the activity's
// targetPublicKey, and returns the P-256 private key of the new API key.
//
// Surrounding whitespace in bundle (as left by copy/paste from an email) is
// ignored. Errors: ErrMalformedBundle, ErrChecksum, ErrDecrypt,
// ErrBadPrivateKey (nil key).
func DecryptCredentialBundle(bundle string, key *TargetKey) (*SecretKey, error) {
	const op = "DecryptCredentialBundle"
	if err := checkTargetKey(op, key); err != nil {
		return nil, err
	}
	bundle = strings.TrimSpace(bundle)
	if bundle == "" {
		return nil, newErr(op, ErrMalformedBundle, "", "empty bundle")
	}
	if len(bundle) > maxCredentialBundleLen {
		return nil, newErr(op, ErrMalformedBundle, "", fmt.Sprintf("bundle longer than %d characters", maxCredentialBundleLen))
	}
	payload, err := base58CheckDecode(bundle)
	switch {
	case errors.Is(err, errBase58Checksum):
		return nil, &BundleError{Op: op, Kind: ErrChecksum, Detail: "the bundle was altered or truncated"}
	case err != nil:
		return nil, &BundleError{Op: op, Kind: ErrMalformedBundle, Detail: "not base58check", Err: err}
	}
	if len(payload) <= compressedLen {
		return nil, newErr(op, ErrMalformedBundle, "",
			fmt.Sprintf("payload of %d bytes is too short for a compressed encapsulated key and a ciphertext", len(payload)))
	}
	enc, err := decompressP256(payload[:compressedLen])
	if err != nil {
		return nil, &BundleError{Op: op, Kind: ErrMalformedBundle, Field: "encappedPublic", Detail: err.Error(), Err: ErrBadPublicKey}
	}
	plaintext, err := hpkeOpen(op, key.priv.get(), enc, payload[compressedLen:])
	if err != nil {
		return nil, err
	}
	sk, err := newSecretKey(plaintext)
	if err != nil {
		clear(plaintext)
		return nil, newErr(op, ErrMalformedBundle, "plaintext", "decrypted credential is not a 32-byte P-256 private key")
	}
	return sk, nil
}

// EncryptCredentialBundle is the enclave side of DecryptCredentialBundle: it
// encrypts plaintext (the 32-byte P-256 private key of a new API key) to
// targetPublicKeyHex, an uncompressed P-256 public key in hex, and returns the
// base58check credential bundle. It is meant for local API simulators and
// tests.
func EncryptCredentialBundle(targetPublicKeyHex string, plaintext []byte) (string, error) {
	const op = "EncryptCredentialBundle"
	pub, err := parseP256PublicKeyHex(targetPublicKeyHex)
	if err != nil {
		return "", &BundleError{Op: op, Kind: ErrBadPublicKey, Field: "targetPublicKey", Detail: err.Error()}
	}
	if len(plaintext) == 0 {
		return "", newErr(op, ErrInvalidInput, "plaintext", "empty plaintext")
	}
	enc, ciphertext, err := hpkeSeal(op, pub, plaintext)
	if err != nil {
		return "", err
	}
	payload := make([]byte, 0, compressedLen+len(ciphertext))
	payload = append(payload, compressP256(enc)...)
	payload = append(payload, ciphertext...)
	return base58CheckEncode(payload), nil
}
