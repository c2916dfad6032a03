package turnkeytest

import (
	"crypto/rand"
	"crypto/sha512"
	"math/big"
	"strings"
)

// The simulator's mnemonics look like BIP-39 English mnemonics but are not:
// the words are drawn at random from the first 256 words of the BIP-39
// English list, without a checksum, and the wallet seed is
// SHA-512(seedDomain ‖ mnemonic), not PBKDF2. They only need to round-trip:
// exporting a wallet and importing its mnemonic gives the same accounts.

const seedDomain = "turnkeytest wallet seed v1\x00"

var mnemonicWords = strings.Fields(`
abandon ability able about above absent absorb abstract absurd abuse access accident account accuse
achieve acid acoustic acquire across act action actor actress actual adapt add addict address adjust
admit adult advance advice aerobic affair afford afraid again age agent agree ahead aim air airport
aisle alarm album alcohol alert alien all alley allow almost alone alpha already also alter always
amateur amazing among amount amused analyst anchor ancient anger angle angry animal ankle announce
annual another answer antenna antique anxiety any apart apology appear apple approve april arch arctic
area arena argue arm armed armor army around arrange arrest arrive arrow art artefact artist artwork
ask aspect assault asset assist assume asthma athlete atom attack attend attitude attract auction
audit august aunt author auto autumn average avocado avoid awake aware away awesome awful awkward axis
baby bachelor bacon badge bag balance balcony ball bamboo banana banner bar barely bargain barrel base
basic basket battle beach bean beauty because become beef before begin behave behind believe below
belt bench benefit best betray better between beyond bicycle bid bike bind biology bird birth bitter
black blade blame blanket blast bleak bless blind blood blossom blouse blue blur blush board boat body
boil bomb bone bonus book boost border boring borrow boss bottom bounce box boy bracket brain brand
brass brave bread breeze brick bridge brief bright bring brisk broccoli broken bronze broom brother
brown brush bubble buddy budget buffalo build bulb bulk bullet bundle bunker burden burger burst bus
business busy butter buyer buzz`)

// mnemonicLengths are the word counts BIP-39 allows.
var mnemonicLengths = []int32{12, 15, 18, 21, 24}

// newMnemonic returns n random words.
func newMnemonic(n int) string {
	words := make([]string, n)
	limit := big.NewInt(int64(len(mnemonicWords)))
	for i := range words {
		j, _ := rand.Int(rand.Reader, limit) // never fails
		words[i] = mnemonicWords[j.Int64()]
	}
	return strings.Join(words, " ")
}

// walletSeed derives a wallet's seed from its mnemonic, with the words
// normalised to single spaces.
func walletSeed(mnemonic string) []byte {
	sum := sha512.Sum512([]byte(seedDomain + strings.Join(strings.Fields(mnemonic), " ")))
	return sum[:]
}
