package enclave

import (
	"bytes"
	"crypto/sha256"
	"errors"

	"github.com/mr-tron/base58"
)

// Base58 (the Bitcoin alphabet, each leading zero byte written as '1') is
// github.com/mr-tron/base58's; what is ours is the base58check framing of
// credential bundles and the errors.

var (
	errBase58Char     = errors.New("invalid base58 character")
	errBase58Checksum = errors.New("base58check checksum mismatch")
	errBase58Short    = errors.New("base58check payload shorter than its 4-byte checksum")
)

// base58Encode encodes b with the Bitcoin alphabet.
func base58Encode(b []byte) string { return base58.Encode(b) }

// base58Decode decodes s with the Bitcoin alphabet; "" decodes to no bytes.
// Any character outside the alphabet is errBase58Char. Callers bound the
// length of s (decoding takes time quadratic in it).
func base58Decode(s string) ([]byte, error) {
	if s == "" {
		return []byte{}, nil
	}
	b, err := base58.Decode(s)
	if err != nil {
		return nil, errBase58Char
	}
	return b, nil
}

// checksum4 returns the first 4 bytes of SHA-256(SHA-256(payload)).
func checksum4(payload []byte) []byte {
	first := sha256.Sum256(payload)
	second := sha256.Sum256(first[:])
	return second[:4]
}

// base58CheckEncode encodes payload ‖ checksum4(payload) in base58.
func base58CheckEncode(payload []byte) string {
	buf := make([]byte, 0, len(payload)+4)
	buf = append(buf, payload...)
	buf = append(buf, checksum4(payload)...)
	return base58Encode(buf)
}

// base58CheckDecode decodes s and verifies and strips its 4-byte checksum.
func base58CheckDecode(s string) ([]byte, error) {
	raw, err := base58Decode(s)
	if err != nil {
		return nil, err
	}
	if len(raw) < 4 {
		return nil, errBase58Short
	}
	payload, sum := raw[:len(raw)-4], raw[len(raw)-4:]
	if !bytes.Equal(checksum4(payload), sum) {
		return nil, errBase58Checksum
	}
	return payload, nil
}
