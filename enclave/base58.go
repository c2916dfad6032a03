package enclave

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"math/big"
)

// base58Alphabet is the Bitcoin base58 alphabet (no 0, O, I, l).
const base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

// base58Index maps an ASCII byte to its base58 digit value, or -1.
var base58Index = func() [256]int8 {
	var idx [256]int8
	for i := range idx {
		idx[i] = -1
	}
	for i := 0; i < len(base58Alphabet); i++ {
		idx[base58Alphabet[i]] = int8(i)
	}
	return idx
}()

var (
	errBase58Char     = errors.New("invalid base58 character")
	errBase58Checksum = errors.New("base58check checksum mismatch")
	errBase58Short    = errors.New("base58check payload shorter than its 4-byte checksum")
)

// bigDigits are the digits math/big writes and reads in base 58, in value
// order; base58 is that base with base58Alphabet's digits instead, plus the
// leading-zero rule. math/big does the base conversion (subquadratic for
// encoding, word at a time for decoding), so long inputs stay fast.
const bigDigits = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV"

// bigIndex maps a digit of bigDigits to its value.
var bigIndex = func() [256]byte {
	var idx [256]byte
	for i := 0; i < len(bigDigits); i++ {
		idx[bigDigits[i]] = byte(i)
	}
	return idx
}()

// base58Encode encodes b with the Bitcoin alphabet. Each leading zero byte is
// encoded as a leading '1'.
func base58Encode(b []byte) string {
	zeros := 0
	for zeros < len(b) && b[zeros] == 0 {
		zeros++
	}
	var digits []byte
	if zeros < len(b) {
		digits = new(big.Int).SetBytes(b[zeros:]).Append(nil, 58)
	}
	out := make([]byte, zeros+len(digits))
	for i := 0; i < zeros; i++ {
		out[i] = base58Alphabet[0]
	}
	for i, d := range digits {
		out[zeros+i] = base58Alphabet[bigIndex[d]]
	}
	return string(out)
}

// base58Decode decodes s with the Bitcoin alphabet. Each leading '1' decodes
// to a leading zero byte. Any character outside the alphabet is an error.
func base58Decode(s string) ([]byte, error) {
	zeros := 0
	for zeros < len(s) && s[zeros] == base58Alphabet[0] {
		zeros++
	}
	digits := make([]byte, len(s)-zeros)
	for i := range digits {
		d := base58Index[s[zeros+i]]
		if d < 0 {
			return nil, errBase58Char
		}
		digits[i] = bigDigits[d]
	}
	var rest []byte
	if len(digits) > 0 {
		n, ok := new(big.Int).SetString(string(digits), 58)
		if !ok { // cannot happen: every digit is valid in base 58
			return nil, errBase58Char
		}
		rest = n.Bytes()
	}
	out := make([]byte, zeros+len(rest))
	copy(out[zeros:], rest)
	return out, nil
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
