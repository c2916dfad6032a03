package bip39

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
)

// The well-known SHA-256 of bip-0039/english.txt.
const englishSHA256 = "2f5eed53a4727b4bf8880d8f3f199efc90e58503646d9ff8eff3a2ed3b24dbda"

func TestWordList(t *testing.T) {
	sum := sha256.Sum256([]byte(englishTxt))
	if got := hex.EncodeToString(sum[:]); got != englishSHA256 {
		t.Fatalf("english.txt SHA-256 = %s, want %s", got, englishSHA256)
	}
	if len(english) != 2048 || len(index) != 2048 {
		t.Fatalf("%d words, %d distinct; want 2048", len(english), len(index))
	}
}

// Vectors of the BIP-39 reference implementation (passphrase "TREZOR").
var vectors = []struct{ entropy, mnemonic, seed string }{
	{"00000000000000000000000000000000",
		"abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about",
		"c55257c360c07c72029aebc1b53c05ed0362ada38ead3e3e9efa3708e53495531f09a6987599d18264c1e1c92f2cf141630c7a3c4ab7c81b2f001698e7463b04"},
	{"7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f",
		"legal winner thank year wave sausage worth useful legal winner thank yellow",
		"2e8905819b8723fe2c1d161860e5ee1830318dbf49a83bd451cfb8440c28bd6fa457fe1296106559a3c80937a1c1069be3a3a5bd381ee6260e8d9739fce1f607"},
	{"ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
		"zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo vote",
		"dd48c104698c30cfe2b6142103248622fb7bb0ff692eebb00089b32d22484e1613912f0a5b694407be899ffd31ed3992c456cdf60f5d4564b8ba3f05a69890ad"},
}

func TestVectors(t *testing.T) {
	for _, v := range vectors {
		entropy, _ := hex.DecodeString(v.entropy)
		m, err := FromEntropy(entropy)
		if err != nil || m != v.mnemonic {
			t.Fatalf("FromEntropy(%s) = %q, %v; want %q", v.entropy, m, err, v.mnemonic)
		}
		back, err := Entropy(v.mnemonic)
		if err != nil || hex.EncodeToString(back) != v.entropy {
			t.Fatalf("Entropy(%q) = %x, %v", v.mnemonic, back, err)
		}
		if got := hex.EncodeToString(Seed(v.mnemonic, "TREZOR")); got != v.seed {
			t.Fatalf("Seed(%q) = %s, want %s", v.mnemonic, got, v.seed)
		}
	}
	// The well-known seed of the test mnemonic without a passphrase.
	const want = "5eb00bbddcf069084889a8ab9155568165f5c453ccb85e70811aaed6f6da5fc19a5ac40b389cd370d086206dec8aa6c43daea6690f20ad3d8d48b2d2ce9e38e4"
	if got := hex.EncodeToString(Seed("  abandon abandon abandon abandon abandon abandon\tabandon abandon abandon abandon abandon about\n", "")); got != want {
		t.Fatalf("seed = %s, want %s", got, want)
	}
}

func TestValidateErrors(t *testing.T) {
	for _, c := range []struct {
		m    string
		want error
	}{
		{"abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon", ErrChecksum},
		{"abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon", ErrWordCount},
		{"abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abouts", ErrUnknownWord},
		{"", ErrWordCount},
		{strings.Repeat("zoo ", 27), ErrWordCount},
	} {
		if err := Validate(c.m); !errors.Is(err, c.want) {
			t.Errorf("Validate(%q) = %v, want %v", c.m, err, c.want)
		}
	}
	err := Validate("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon secretword")
	if err == nil || strings.Contains(err.Error(), "secretword") || !strings.Contains(err.Error(), "word 12") {
		t.Fatalf("error %v must name the position, not the word", err)
	}
}

func TestNewPassesChecksum(t *testing.T) {
	for _, n := range []int{12, 15, 18, 21, 24} {
		m, err := New(n)
		if err != nil {
			t.Fatal(err)
		}
		if got := len(strings.Fields(m)); got != n {
			t.Fatalf("New(%d) has %d words", n, got)
		}
		if err := Validate(m); err != nil {
			t.Fatalf("New(%d): %v", n, err)
		}
	}
	for _, n := range []int{0, 11, 13, 27} {
		if _, err := New(n); !errors.Is(err, ErrWordCount) {
			t.Fatalf("New(%d) = %v", n, err)
		}
	}
	if _, err := FromEntropy(make([]byte, 17)); !errors.Is(err, ErrEntropyLength) {
		t.Fatal(err)
	}
}
