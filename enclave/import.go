package enclave

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
)

// importData is the signed data of an import bundle.
type importData struct {
	TargetPublic   string `json:"targetPublic"`
	OrganizationID string `json:"organizationId"`
	UserID         string `json:"userId"`
}

// encryptedBundle is the client's encrypted import payload, sent as
// encryptedBundle in import_wallet and import_private_key.
type encryptedBundle struct {
	EncappedPublic string `json:"encappedPublic"`
	Ciphertext     string `json:"ciphertext"`
}

// ImportTarget is the verified content of an import bundle: the enclave key
// to encrypt a mnemonic or private key to, for one organization and user.
type ImportTarget struct {
	// OrganizationID is the organization the bundle was issued for.
	OrganizationID string
	// UserID is the user the bundle was issued for.
	UserID string
	// TargetPublicKeyHex is the enclave's uncompressed P-256 public key in hex.
	TargetPublicKeyHex string
}

// VerifyImportBundle verifies an import bundle (returned by
// init_import_wallet and init_import_private_key activities) and returns its
// target.
//
// It checks, in order: that the bundle is signed by the pinned signer
// (ProductionSignerPublicKey unless WithSignerPublicKey is given), that the
// signature verifies over the data, that the data names organizationID and
// userID, and that targetPublic is a valid P-256 key.
//
// Errors: ErrMalformedBundle, ErrUnsupportedVersion, ErrSignerMismatch,
// ErrBadSignature, ErrOrganizationMismatch, ErrUserMismatch, ErrBadPublicKey
// (bad option or targetPublic), ErrInvalidInput (empty IDs).
func VerifyImportBundle(bundle string, organizationID, userID string, opts ...Option) (*ImportTarget, error) {
	return verifyImportBundle("VerifyImportBundle", bundle, organizationID, userID, opts)
}

func verifyImportBundle(op, bundle, organizationID, userID string, opts []Option) (*ImportTarget, error) {
	cfg, err := newConfig(op, opts)
	if err != nil {
		return nil, err
	}
	if organizationID == "" {
		return nil, newErr(op, ErrInvalidInput, "organizationId", "empty expected organization ID")
	}
	if userID == "" {
		return nil, newErr(op, ErrInvalidInput, "userId", "empty expected user ID")
	}
	data, err := openSignedBundle(op, bundle, cfg)
	if err != nil {
		return nil, err
	}
	return verifyImportData(op, data, organizationID, userID)
}

// verifyImportData checks the organization, user and target key in the
// verified signed data of an import bundle.
func verifyImportData(op string, data []byte, organizationID, userID string) (*ImportTarget, error) {
	var d importData
	if err := unmarshalData(op, data, &d); err != nil {
		return nil, err
	}
	if d.OrganizationID != organizationID {
		return nil, mismatchErr(op, ErrOrganizationMismatch, "organizationId", organizationID, d.OrganizationID)
	}
	if d.UserID != userID {
		return nil, mismatchErr(op, ErrUserMismatch, "userId", userID, d.UserID)
	}
	if d.TargetPublic == "" {
		return nil, newErr(op, ErrMalformedBundle, "targetPublic", "missing")
	}
	pub, err := parseP256PublicKeyHex(d.TargetPublic)
	if err != nil {
		return nil, &BundleError{Op: op, Kind: ErrMalformedBundle, Field: "targetPublic", Detail: err.Error(), Err: ErrBadPublicKey}
	}
	return &ImportTarget{
		OrganizationID:     d.OrganizationID,
		UserID:             d.UserID,
		TargetPublicKeyHex: hex.EncodeToString(pub.Bytes()),
	}, nil
}

// Encrypt encrypts plaintext to the target and returns the encryptedBundle
// JSON string {"encappedPublic": ..., "ciphertext": ...} to send in
// import_wallet or import_private_key.
func (t *ImportTarget) Encrypt(plaintext []byte) (string, error) {
	return t.encrypt("ImportTarget.Encrypt", plaintext)
}

func (t *ImportTarget) encrypt(op string, plaintext []byte) (string, error) {
	if t == nil {
		return "", newErr(op, ErrInvalidInput, "", "nil import target")
	}
	pub, err := parseP256PublicKeyHex(t.TargetPublicKeyHex)
	if err != nil {
		return "", &BundleError{Op: op, Kind: ErrBadPublicKey, Field: "targetPublic", Detail: err.Error()}
	}
	if len(plaintext) == 0 {
		return "", newErr(op, ErrInvalidInput, "plaintext", "empty plaintext")
	}
	enc, ciphertext, err := hpkeSeal(op, pub, plaintext)
	if err != nil {
		return "", err
	}
	out, err := json.Marshal(encryptedBundle{
		EncappedPublic: hex.EncodeToString(enc),
		Ciphertext:     hex.EncodeToString(ciphertext),
	})
	if err != nil {
		return "", &BundleError{Op: op, Kind: ErrInvalidInput, Detail: "encoding encrypted bundle", Err: err}
	}
	return string(out), nil
}

// EncryptForImport verifies importBundle like VerifyImportBundle and encrypts
// plaintext to its target, returning the encryptedBundle JSON string for
// import_wallet or import_private_key. Prefer EncryptMnemonicForImport and
// EncryptPrivateKeyForImport, which also validate the plaintext.
func EncryptForImport(importBundle string, plaintext []byte, organizationID, userID string, opts ...Option) (string, error) {
	return encryptForImport("EncryptForImport", importBundle, plaintext, organizationID, userID, opts)
}

func encryptForImport(op, importBundle string, plaintext []byte, organizationID, userID string, opts []Option) (string, error) {
	target, err := verifyImportBundle(op, importBundle, organizationID, userID, opts)
	if err != nil {
		return "", err
	}
	return target.encrypt(op, plaintext)
}

// EncryptMnemonicForImport encrypts a wallet mnemonic (as UTF-8, unmodified)
// for import_wallet, after verifying importBundle (from init_import_wallet)
// like VerifyImportBundle.
func EncryptMnemonicForImport(importBundle, mnemonic, organizationID, userID string, opts ...Option) (string, error) {
	const op = "EncryptMnemonicForImport"
	if strings.TrimSpace(mnemonic) == "" {
		return "", newErr(op, ErrInvalidInput, "mnemonic", "empty mnemonic")
	}
	return encryptForImport(op, importBundle, []byte(mnemonic), organizationID, userID, opts)
}

// EncryptPrivateKeyForImport encrypts a raw 32-byte private key (secp256k1,
// ed25519 seed or P-256 scalar), given in hex with an optional "0x" prefix,
// for import_private_key, after verifying importBundle (from
// init_import_private_key) like VerifyImportBundle.
func EncryptPrivateKeyForImport(importBundle, privateKeyHex, organizationID, userID string, opts ...Option) (string, error) {
	const op = "EncryptPrivateKeyForImport"
	raw, err := hex.DecodeString(strings.TrimPrefix(strings.TrimSpace(privateKeyHex), "0x"))
	if err != nil {
		return "", newErr(op, ErrBadPrivateKey, "privateKey", "not valid hex")
	}
	defer clear(raw)
	if len(raw) != 32 {
		return "", newErr(op, ErrBadPrivateKey, "privateKey", fmt.Sprintf("want 32 bytes, got %d", len(raw)))
	}
	return encryptForImport(op, importBundle, raw, organizationID, userID, opts)
}

// EncryptSolanaPrivateKeyForImport encrypts a Solana private key, given in
// the usual base58 form of 64 bytes (ed25519 seed ‖ public key), for
// import_private_key. As Turnkey expects, only the 32-byte seed is encrypted;
// the public half must match the seed.
func EncryptSolanaPrivateKeyForImport(importBundle, privateKeyBase58, organizationID, userID string, opts ...Option) (string, error) {
	const op = "EncryptSolanaPrivateKeyForImport"
	privateKeyBase58 = strings.TrimSpace(privateKeyBase58)
	if len(privateKeyBase58) > 128 { // 64 bytes take at most 88 characters
		return "", newErr(op, ErrBadPrivateKey, "privateKey", "too long for a 64-byte key")
	}
	raw, err := base58Decode(privateKeyBase58)
	if err != nil {
		return "", newErr(op, ErrBadPrivateKey, "privateKey", "not valid base58")
	}
	defer clear(raw)
	if len(raw) != ed25519.PrivateKeySize {
		return "", newErr(op, ErrBadPrivateKey, "privateKey", fmt.Sprintf("want 64 bytes, got %d", len(raw)))
	}
	seed := raw[:ed25519.SeedSize]
	derived := ed25519.NewKeyFromSeed(seed)
	defer clear(derived)
	if !bytes.Equal(derived[ed25519.SeedSize:], raw[ed25519.SeedSize:]) {
		return "", newErr(op, ErrBadPrivateKey, "privateKey", "public half does not match the seed")
	}
	return encryptForImport(op, importBundle, seed, organizationID, userID, opts)
}

// NewImportBundle is the enclave side of VerifyImportBundle: it generates a
// fresh target key, and returns the import bundle signed by s for
// organizationID and userID together with the key, which decrypts the
// client's encryptedBundle with DecryptImportBundle. It is meant for local API
// simulators and tests.
func (s *Signer) NewImportBundle(organizationID, userID string) (string, *TargetKey, error) {
	const op = "NewImportBundle"
	if err := s.check(op); err != nil {
		return "", nil, err
	}
	if organizationID == "" {
		return "", nil, newErr(op, ErrInvalidInput, "organizationId", "empty organization ID")
	}
	if userID == "" {
		return "", nil, newErr(op, ErrInvalidInput, "userId", "empty user ID")
	}
	key, err := GenerateTargetKey()
	if err != nil {
		return "", nil, err
	}
	data, err := marshalData(op, importData{
		TargetPublic:   key.PublicKeyHex(),
		OrganizationID: organizationID,
		UserID:         userID,
	})
	if err != nil {
		return "", nil, err
	}
	bundle, err := sealSignedBundle(op, s.key.get(), data)
	if err != nil {
		return "", nil, err
	}
	return bundle, key, nil
}

// DecryptImportBundle is the enclave side of the Encrypt*ForImport functions:
// it decrypts a client's encryptedBundle JSON with the key returned by
// Signer.NewImportBundle and returns the plaintext (mnemonic bytes or raw
// private key). Handle the result as a secret.
func DecryptImportBundle(encryptedBundleJSON string, key *TargetKey) ([]byte, error) {
	const op = "DecryptImportBundle"
	if err := checkTargetKey(op, key); err != nil {
		return nil, err
	}
	if len(encryptedBundleJSON) > maxSignedBundleLen {
		return nil, newErr(op, ErrMalformedBundle, "", fmt.Sprintf("bundle longer than %d bytes", maxSignedBundleLen))
	}
	var eb encryptedBundle
	if err := json.Unmarshal([]byte(encryptedBundleJSON), &eb); err != nil {
		return nil, &BundleError{Op: op, Kind: ErrMalformedBundle, Detail: "not a JSON encrypted bundle", Err: err}
	}
	enc, err := decodeHexField(op, "encappedPublic", eb.EncappedPublic)
	if err != nil {
		return nil, err
	}
	ciphertext, err := decodeHexField(op, "ciphertext", eb.Ciphertext)
	if err != nil {
		return nil, err
	}
	return hpkeOpen(op, key.priv.get(), enc, ciphertext)
}
