package enclave

import (
	"bytes"
	"crypto/sha256"
	"errors"
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

// base58Encode encodes b with the Bitcoin alphabet. Each leading zero byte is
// encoded as a leading '1'.
func base58Encode(b []byte) string {
	zeros := 0
	for zeros < len(b) && b[zeros] == 0 {
		zeros++
	}
	// log(256)/log(58) ≈ 1.366, so len*138/100+1 digits always suffice.
	digits := make([]byte, (len(b)-zeros)*138/100+1)
	n := 0 // number of significant digits in use, little-endian
	for _, c := range b[zeros:] {
		carry := int(c)
		for i := 0; i < n; i++ {
			carry += int(digits[i]) << 8
			digits[i] = byte(carry % 58)
			carry /= 58
		}
		for carry > 0 {
			digits[n] = byte(carry % 58)
			n++
			carry /= 58
		}
	}
	out := make([]byte, zeros+n)
	for i := 0; i < zeros; i++ {
		out[i] = base58Alphabet[0]
	}
	for i := 0; i < n; i++ {
		out[zeros+i] = base58Alphabet[digits[n-1-i]]
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
	// log(58)/log(256) ≈ 0.733, so len*733/1000+1 bytes always suffice.
	buf := make([]byte, (len(s)-zeros)*733/1000+1)
	n := 0 // number of significant bytes in use, little-endian
	for i := zeros; i < len(s); i++ {
		d := base58Index[s[i]]
		if d < 0 {
			return nil, errBase58Char
		}
		carry := int(d)
		for j := 0; j < n; j++ {
			carry += int(buf[j]) * 58
			buf[j] = byte(carry)
			carry >>= 8
		}
		for carry > 0 {
			buf[n] = byte(carry)
			n++
			carry >>= 8
		}
	}
	out := make([]byte, zeros+n)
	for i := 0; i < n; i++ {
		out[zeros+i] = buf[n-1-i]
	}
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
