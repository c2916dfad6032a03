package turnkeytest

import (
	"errors"

	"github.com/turnkey-go/turnkey/internal/bip39"
)

// Wallets are real BIP-39 wallets: English mnemonics with their checksum,
// the seed by PBKDF2-HMAC-SHA512 with an empty passphrase, and accounts
// derived from it by BIP-32 (secp256k1) or SLIP-10 (Ed25519), so a mnemonic
// gives the same addresses here as in any other wallet.

// mnemonicLengths are the word counts BIP-39 allows.
var mnemonicLengths = []int32{12, 15, 18, 21, 24}

// newMnemonic returns a new random mnemonic of n words; n is one of
// mnemonicLengths.
func newMnemonic(n int) string {
	m, err := bip39.New(n)
	if err != nil { // unreachable: callers check n
		panic("turnkeytest: " + err.Error())
	}
	return m
}

// checkMnemonic validates a mnemonic to import, with an error that names
// what is wrong (never the words: they are a secret).
func checkMnemonic(mnemonic string) error {
	err := bip39.Validate(mnemonic)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, bip39.ErrWordCount):
		return invalidArgument("the imported mnemonic is not a BIP-39 mnemonic: %v", err)
	case errors.Is(err, bip39.ErrUnknownWord):
		return invalidArgument("the imported mnemonic is not a BIP-39 English mnemonic: %v", err)
	case errors.Is(err, bip39.ErrChecksum):
		return invalidArgument("the imported mnemonic fails its BIP-39 checksum: a word is wrong or the words are out of order")
	}
	return invalidArgument("the imported mnemonic is invalid: %v", err)
}

// walletSeed is the BIP-39 seed of a mnemonic (empty passphrase).
func walletSeed(mnemonic string) []byte { return bip39.Seed(mnemonic, "") }
