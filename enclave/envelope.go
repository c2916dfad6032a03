package enclave

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
)

// signedBundleVersion is the only supported version of signed bundles.
const signedBundleVersion = "v1.0.0"

// maxSignedBundleLen bounds the length of an export or import bundle string
// (real ones are well under a kilobyte).
const maxSignedBundleLen = 1 << 20

// signedBundle is the signed envelope shared by export and import bundles.
type signedBundle struct {
	Version             string `json:"version"`
	Data                string `json:"data"`
	DataSignature       string `json:"dataSignature"`
	EnclaveQuorumPublic string `json:"enclaveQuorumPublic"`
}

// openSignedBundle parses a signed bundle and, in this order, checks its
// version, that its signer is the pinned one, and that dataSignature is a
// valid ECDSA-P256/SHA-256 signature over the hex-decoded data by that signer.
// It returns the verified data bytes.
func openSignedBundle(op, bundle string, cfg *config) ([]byte, error) {
	if len(bundle) > maxSignedBundleLen {
		return nil, newErr(op, ErrMalformedBundle, "", fmt.Sprintf("bundle longer than %d bytes", maxSignedBundleLen))
	}
	var env signedBundle
	if err := json.Unmarshal([]byte(bundle), &env); err != nil {
		return nil, &BundleError{Op: op, Kind: ErrMalformedBundle, Detail: "not a JSON bundle", Err: err}
	}
	if env.Version != signedBundleVersion {
		return nil, mismatchErr(op, ErrUnsupportedVersion, "version", signedBundleVersion, env.Version)
	}
	if env.Data == "" || env.DataSignature == "" || env.EnclaveQuorumPublic == "" {
		return nil, newErr(op, ErrMalformedBundle, "", `missing "data", "dataSignature" or "enclaveQuorumPublic"`)
	}

	quorum, err := hex.DecodeString(env.EnclaveQuorumPublic)
	if err != nil {
		return nil, newErr(op, ErrMalformedBundle, "enclaveQuorumPublic", "not valid hex")
	}
	if !bytes.Equal(quorum, cfg.signer) {
		return nil, mismatchErr(op, ErrSignerMismatch, "enclaveQuorumPublic", cfg.signerHex(), env.EnclaveQuorumPublic)
	}
	pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), cfg.signer)
	if err != nil { // unreachable: pinned keys are validated
		return nil, &BundleError{Op: op, Kind: ErrBadPublicKey, Field: "enclaveQuorumPublic", Err: err}
	}

	data, err := hex.DecodeString(env.Data)
	if err != nil {
		return nil, newErr(op, ErrMalformedBundle, "data", "not valid hex")
	}
	sig, err := hex.DecodeString(env.DataSignature)
	if err != nil {
		return nil, &BundleError{Op: op, Kind: ErrBadSignature, Field: "dataSignature", Detail: "not valid hex", Err: ErrMalformedBundle}
	}
	digest := sha256.Sum256(data)
	if !ecdsa.VerifyASN1(pub, digest[:], sig) {
		return nil, newErr(op, ErrBadSignature, "dataSignature", "signature does not verify over data with the pinned signer key")
	}
	return data, nil
}

// sealSignedBundle signs data with key and returns the signed envelope JSON.
func sealSignedBundle(op string, key *ecdsa.PrivateKey, data []byte) (string, error) {
	digest := sha256.Sum256(data)
	sig, err := ecdsa.SignASN1(rand.Reader, key, digest[:])
	if err != nil {
		return "", &BundleError{Op: op, Kind: ErrBadPrivateKey, Detail: "signing failed", Err: err}
	}
	pub, err := key.PublicKey.Bytes()
	if err != nil {
		return "", &BundleError{Op: op, Kind: ErrBadPrivateKey, Detail: "invalid signer key", Err: err}
	}
	out, err := json.Marshal(signedBundle{
		Version:             signedBundleVersion,
		Data:                hex.EncodeToString(data),
		DataSignature:       hex.EncodeToString(sig),
		EnclaveQuorumPublic: hex.EncodeToString(pub),
	})
	if err != nil {
		return "", &BundleError{Op: op, Kind: ErrInvalidInput, Detail: "encoding bundle", Err: err}
	}
	return string(out), nil
}

// unmarshalData decodes the verified inner JSON of a signed bundle.
func unmarshalData(op string, data []byte, v any) error {
	if err := json.Unmarshal(data, v); err != nil {
		return &BundleError{Op: op, Kind: ErrMalformedBundle, Field: "data", Detail: "signed data is not the expected JSON object", Err: err}
	}
	return nil
}

// decodeHexField decodes a required hex field of a bundle's signed data.
func decodeHexField(op, field, value string) ([]byte, error) {
	if value == "" {
		return nil, newErr(op, ErrMalformedBundle, field, "missing")
	}
	b, err := hex.DecodeString(value)
	if err != nil {
		return nil, newErr(op, ErrMalformedBundle, field, "not valid hex")
	}
	return b, nil
}

// marshalData encodes the inner JSON of a signed bundle.
func marshalData(op string, v any) ([]byte, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, &BundleError{Op: op, Kind: ErrInvalidInput, Detail: "encoding signed data", Err: err}
	}
	return data, nil
}
