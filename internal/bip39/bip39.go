// Package bip39 implements BIP-39 mnemonics with the English word list:
// generating them from entropy, checking their checksum, and turning them
// into a 64-byte seed with PBKDF2-HMAC-SHA512.
package bip39

import (
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	_ "embed"
	"errors"
	"fmt"
	"strings"
)

//go:embed english.txt
var englishTxt string

// english is the BIP-39 English word list, in order; index maps a word to
// its 11-bit value.
var (
	english = strings.Fields(englishTxt)
	index   = func() map[string]uint16 {
		m := make(map[string]uint16, len(english))
		for i, w := range english {
			m[w] = uint16(i)
		}
		return m
	}()
)

// Errors of Validate and FromEntropy; match them with errors.Is.
var (
	// ErrWordCount: a mnemonic has 12, 15, 18, 21 or 24 words.
	ErrWordCount = errors.New("bip39: a mnemonic has 12, 15, 18, 21 or 24 words")
	// ErrUnknownWord: a word is not in the BIP-39 English word list.
	ErrUnknownWord = errors.New("bip39: word not in the BIP-39 English word list")
	// ErrChecksum: the words are valid but their checksum is wrong.
	ErrChecksum = errors.New("bip39: checksum mismatch")
	// ErrEntropyLength: entropy is 16, 20, 24, 28 or 32 bytes.
	ErrEntropyLength = errors.New("bip39: entropy must be 16, 20, 24, 28 or 32 bytes")
)

// Words returns the 2048 words of the English list, in order.
func Words() []string { return append([]string(nil), english...) }

// ValidWordCount reports whether n is a word count BIP-39 allows.
func ValidWordCount(n int) bool { return n >= 12 && n <= 24 && n%3 == 0 }

// New returns a new mnemonic of words words (12, 15, 18, 21 or 24) from
// crypto/rand.
func New(words int) (string, error) {
	if !ValidWordCount(words) {
		return "", fmt.Errorf("%w, not %d", ErrWordCount, words)
	}
	entropy := make([]byte, words*4/3)
	defer clear(entropy)
	_, _ = rand.Read(entropy) // never fails
	return FromEntropy(entropy)
}

// FromEntropy returns the mnemonic that encodes entropy: its bits followed
// by the first len(entropy)/4 bits of its SHA-256, in 11-bit words.
func FromEntropy(entropy []byte) (string, error) {
	n := len(entropy)
	if n < 16 || n > 32 || n%4 != 0 {
		return "", fmt.Errorf("%w, not %d", ErrEntropyLength, n)
	}
	sum := sha256.Sum256(entropy)
	data := append(append(make([]byte, 0, n+1), entropy...), sum[0])
	defer clear(data)
	words := make([]string, (n*8+n/4)/11)
	for i := range words {
		words[i] = english[bits11(data, i*11)]
	}
	return strings.Join(words, " "), nil
}

// bits11 reads the 11 bits of data starting at bit offset off (big-endian).
func bits11(data []byte, off int) uint16 {
	var v uint32
	for j := range 3 {
		v <<= 8
		if k := off/8 + j; k < len(data) {
			v |= uint32(data[k])
		}
	}
	return uint16(v>>(24-11-off%8)) & 0x7ff
}

// Entropy checks mnemonic (words separated by any white space) and returns
// the entropy it encodes. Errors match ErrWordCount, ErrUnknownWord or
// ErrChecksum; they name a bad word by position, never the words
// themselves, since a mnemonic is a secret.
func Entropy(mnemonic string) ([]byte, error) {
	words := strings.Fields(mnemonic)
	if !ValidWordCount(len(words)) {
		return nil, fmt.Errorf("%w, not %d", ErrWordCount, len(words))
	}
	total := len(words) * 11
	checksumBits := total / 33
	data := make([]byte, (total+7)/8)
	for i, w := range words {
		v, ok := index[w]
		if !ok {
			clear(data)
			return nil, fmt.Errorf("%w: word %d", ErrUnknownWord, i+1)
		}
		for b := range 11 {
			if v&(1<<(10-b)) != 0 {
				pos := i*11 + b
				data[pos/8] |= 0x80 >> (pos % 8)
			}
		}
	}
	entropy := data[:(total-checksumBits)/8]
	sum := sha256.Sum256(entropy)
	mask := byte(0xff << (8 - checksumBits))
	if data[len(entropy)]&mask != sum[0]&mask {
		clear(data)
		return nil, ErrChecksum
	}
	out := append([]byte(nil), entropy...)
	clear(data)
	return out, nil
}

// Validate checks the word count, the words and the checksum of mnemonic.
func Validate(mnemonic string) error {
	e, err := Entropy(mnemonic)
	clear(e)
	return err
}

// Normalize returns mnemonic with its words separated by single spaces, the
// form Seed hashes.
func Normalize(mnemonic string) string { return strings.Join(strings.Fields(mnemonic), " ") }

// Seed returns the 64-byte BIP-39 seed of mnemonic and passphrase:
// PBKDF2-HMAC-SHA512 with 2048 iterations and salt "mnemonic"+passphrase.
// The mnemonic is normalized to single spaces; BIP-39 also asks for NFKD
// normalization, which leaves the ASCII English words unchanged, so a
// non-ASCII passphrase must be given already in NFKD form. Seed does not
// check the mnemonic: call Validate first.
func Seed(mnemonic, passphrase string) []byte {
	seed, err := pbkdf2.Key(sha512.New, Normalize(mnemonic), []byte("mnemonic"+passphrase), 2048, 64)
	if err != nil { // only for key lengths or FIPS limits that do not apply here
		panic("bip39: pbkdf2: " + err.Error())
	}
	return seed
}
