package enclave

import (
	"crypto/ecdh"
	"crypto/elliptic"
	"crypto/hpke"
	"encoding/hex"
	"errors"
)

// hpkeInfo is the HPKE info string of every Turnkey enclave encryption.
const hpkeInfo = "turnkey_hpke"

// Lengths of SEC 1 encodings of P-256 points.
const (
	uncompressedLen = 65
	compressedLen   = 33
)

// The HPKE ciphersuite: DHKEM(P-256, HKDF-SHA256), HKDF-SHA256, AES-256-GCM,
// base mode.
var (
	hpkeKDF  = hpke.HKDFSHA256()
	hpkeAEAD = hpke.AES256GCM()
)

// hpkeAAD returns the additional authenticated data Turnkey binds to every
// ciphertext: the uncompressed encapsulated key followed by the uncompressed
// receiver public key.
func hpkeAAD(enc, receiverPublic []byte) []byte {
	aad := make([]byte, 0, len(enc)+len(receiverPublic))
	aad = append(aad, enc...)
	return append(aad, receiverPublic...)
}

// hpkeSeal encrypts plaintext to receiver in HPKE base mode. enc is the
// uncompressed (65-byte) encapsulated key.
func hpkeSeal(op string, receiver *ecdh.PublicKey, plaintext []byte) (enc, ciphertext []byte, err error) {
	pk, err := hpke.NewDHKEMPublicKey(receiver)
	if err != nil {
		return nil, nil, &BundleError{Op: op, Kind: ErrBadPublicKey, Detail: "unusable HPKE receiver key", Err: err}
	}
	enc, sender, err := hpke.NewSender(pk, hpkeKDF, hpkeAEAD, []byte(hpkeInfo))
	if err != nil {
		return nil, nil, &BundleError{Op: op, Kind: ErrInvalidInput, Detail: "HPKE setup failed", Err: err}
	}
	ciphertext, err = sender.Seal(hpkeAAD(enc, receiver.Bytes()), plaintext)
	if err != nil {
		return nil, nil, &BundleError{Op: op, Kind: ErrInvalidInput, Detail: "HPKE seal failed", Err: err}
	}
	return enc, ciphertext, nil
}

// hpkeOpen decrypts ciphertext, encapsulated as enc (uncompressed), with the
// receiver's private key.
func hpkeOpen(op string, receiver *ecdh.PrivateKey, enc, ciphertext []byte) ([]byte, error) {
	if len(enc) != uncompressedLen || enc[0] != 0x04 {
		return nil, &BundleError{Op: op, Kind: ErrMalformedBundle, Field: "encappedPublic",
			Detail: "encapsulated key is not a 65-byte uncompressed P-256 point", Err: ErrBadPublicKey}
	}
	sk, err := hpke.NewDHKEMPrivateKey(receiver)
	if err != nil {
		return nil, &BundleError{Op: op, Kind: ErrBadPrivateKey, Detail: "unusable HPKE receiver key"}
	}
	r, err := hpke.NewRecipient(enc, sk, hpkeKDF, hpkeAEAD, []byte(hpkeInfo))
	if err != nil {
		return nil, &BundleError{Op: op, Kind: ErrMalformedBundle, Field: "encappedPublic",
			Detail: "encapsulated key is not a valid P-256 point", Err: ErrBadPublicKey}
	}
	plaintext, err := r.Open(hpkeAAD(enc, receiver.PublicKey().Bytes()), ciphertext)
	if err != nil {
		return nil, &BundleError{Op: op, Kind: ErrDecrypt, Field: "ciphertext",
			Detail: "ciphertext was tampered with or encrypted to another target key"}
	}
	return plaintext, nil
}

var (
	errNotHex          = errors.New("not valid hex")
	errNotUncompressed = errors.New("not a 65-byte uncompressed P-256 point (04 || X || Y)")
	errNotOnCurve      = errors.New("not a point on P-256")
	errNotCompressed   = errors.New("not a valid 33-byte compressed P-256 point")
)

// parseP256PublicKeyHex parses an uncompressed P-256 public key in hex.
func parseP256PublicKeyHex(s string) (*ecdh.PublicKey, error) {
	raw, err := hex.DecodeString(s)
	if err != nil {
		return nil, errNotHex
	}
	return parseP256PublicKey(raw)
}

// parseP256PublicKey parses an uncompressed P-256 public key.
func parseP256PublicKey(raw []byte) (*ecdh.PublicKey, error) {
	if len(raw) != uncompressedLen || raw[0] != 0x04 {
		return nil, errNotUncompressed
	}
	pub, err := ecdh.P256().NewPublicKey(raw)
	if err != nil {
		return nil, errNotOnCurve
	}
	return pub, nil
}

// compressP256 converts a valid uncompressed P-256 point to its 33-byte SEC 1
// compressed form.
func compressP256(uncompressed []byte) []byte {
	out := make([]byte, compressedLen)
	out[0] = 0x02 | uncompressed[uncompressedLen-1]&1
	copy(out[1:], uncompressed[1:33])
	return out
}

// decompressP256 converts a 33-byte SEC 1 compressed P-256 point to its
// uncompressed form, checking that it is on the curve.
func decompressP256(compressed []byte) ([]byte, error) {
	if len(compressed) != compressedLen || (compressed[0] != 0x02 && compressed[0] != 0x03) {
		return nil, errNotCompressed
	}
	x, y := elliptic.UnmarshalCompressed(elliptic.P256(), compressed)
	if x == nil {
		return nil, errNotCompressed
	}
	out := make([]byte, uncompressedLen)
	out[0] = 0x04
	x.FillBytes(out[1:33])
	y.FillBytes(out[33:])
	return out, nil
}
