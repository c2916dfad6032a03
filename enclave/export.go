package enclave

import "encoding/hex"

// exportData is the signed data of an export bundle.
type exportData struct {
	EncappedPublic string `json:"encappedPublic"`
	Ciphertext     string `json:"ciphertext"`
	OrganizationID string `json:"organizationId"`
}

// DecryptExportBundle verifies and decrypts an export bundle (returned by
// export_wallet, export_private_key and export_wallet_account activities)
// with the target key whose PublicKeyHex was sent as the activity's
// targetPublicKey.
//
// It checks, in order: that the bundle is signed by the pinned signer
// (ProductionSignerPublicKey unless WithSignerPublicKey is given), that the
// signature verifies over the data, and that the data names organizationID;
// only then does it decrypt. Use Export.Mnemonic for a wallet and
// Export.PrivateKeyHex for a private key or wallet account.
//
// Errors: ErrMalformedBundle, ErrUnsupportedVersion, ErrSignerMismatch,
// ErrBadSignature, ErrOrganizationMismatch, ErrDecrypt, ErrBadPrivateKey (nil
// key), ErrBadPublicKey (bad option), ErrInvalidInput (empty organizationID).
func DecryptExportBundle(bundle string, key *TargetKey, organizationID string, opts ...Option) (*Export, error) {
	const op = "DecryptExportBundle"
	cfg, err := newConfig(op, opts)
	if err != nil {
		return nil, err
	}
	if err := checkTargetKey(op, key); err != nil {
		return nil, err
	}
	if organizationID == "" {
		return nil, newErr(op, ErrInvalidInput, "organizationId", "empty expected organization ID")
	}
	data, err := openSignedBundle(op, bundle, cfg)
	if err != nil {
		return nil, err
	}
	return decryptExportData(op, data, key, organizationID)
}

// decryptExportData checks the organization in the verified signed data of an
// export bundle and decrypts its ciphertext.
func decryptExportData(op string, data []byte, key *TargetKey, organizationID string) (*Export, error) {
	var d exportData
	if err := unmarshalData(op, data, &d); err != nil {
		return nil, err
	}
	if d.OrganizationID != organizationID {
		return nil, mismatchErr(op, ErrOrganizationMismatch, "organizationId", organizationID, d.OrganizationID)
	}
	enc, err := decodeHexField(op, "encappedPublic", d.EncappedPublic)
	if err != nil {
		return nil, err
	}
	ciphertext, err := decodeHexField(op, "ciphertext", d.Ciphertext)
	if err != nil {
		return nil, err
	}
	plaintext, err := hpkeOpen(op, key.priv.get(), enc, ciphertext)
	if err != nil {
		return nil, err
	}
	return &Export{p: seal(&plaintext)}, nil
}

// SealExportBundle is the enclave side of DecryptExportBundle: it encrypts
// plaintext (a mnemonic in UTF-8, or raw private key bytes) to
// targetPublicKeyHex, an uncompressed P-256 public key in hex, for
// organizationID, and signs the result with s. It is meant for local API
// simulators and tests; clients verify it with WithSignerPublicKey(s.PublicKeyHex()).
func (s *Signer) SealExportBundle(targetPublicKeyHex string, plaintext []byte, organizationID string) (string, error) {
	const op = "SealExportBundle"
	if err := s.check(op); err != nil {
		return "", err
	}
	pub, err := parseP256PublicKeyHex(targetPublicKeyHex)
	if err != nil {
		return "", &BundleError{Op: op, Kind: ErrBadPublicKey, Field: "targetPublicKey", Detail: err.Error()}
	}
	if len(plaintext) == 0 {
		return "", newErr(op, ErrInvalidInput, "plaintext", "empty plaintext")
	}
	if organizationID == "" {
		return "", newErr(op, ErrInvalidInput, "organizationId", "empty organization ID")
	}
	enc, ciphertext, err := hpkeSeal(op, pub, plaintext)
	if err != nil {
		return "", err
	}
	data, err := marshalData(op, exportData{
		EncappedPublic: hex.EncodeToString(enc),
		Ciphertext:     hex.EncodeToString(ciphertext),
		OrganizationID: organizationID,
	})
	if err != nil {
		return "", err
	}
	return sealSignedBundle(op, s.key.get(), data)
}
