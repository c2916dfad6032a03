package turnkeytest

import (
	"encoding/hex"
	"strings"
	"testing"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/internal/bip39"
	"github.com/turnkey-go/turnkey/sdk"
)

// The BIP-39 test mnemonic and what every real wallet derives from it.
const (
	testMnemonic = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"
	// m/44'/60'/0'/0/0 and m/44'/60'/0'/0/1
	testEthAddress0 = "0x9858EfFD232B4033E47d90003D41EC34EcaEda94"
	testEthAddress1 = "0x6Fac4D18c912343BF86fa7049364Dd4E424Ab9C0"
	testEthKey0     = "1ab42cc412b618bdea3a599e3c9bae199ebf030895b039e9db1e30dafb12b727"
	// m/44'/501'/0'/0'
	testSolAddress = "HAgk14JpMQLgt6rVgv7cBQFJWFto5Dqxi472uT3DKpqk"
)

func keyAccount(path string, f gen.AddressFormat) gen.WalletAccountParams {
	return gen.WalletAccountParams{Curve: gen.CurveSecp256K1, PathFormat: gen.PathFormatBip32, Path: path, AddressFormat: f}
}

// importMnemonic imports mnemonic into s's root organization through the
// sdk's end-to-end ImportWallet.
func importMnemonic(t *testing.T, s *Server, name, mnemonic string, accounts []gen.WalletAccountParams) (*gen.ImportWalletOutcome, error) {
	t.Helper()
	res, _, err := newClient(t, s).ImportWallet(testContext(t), gen.ImportWalletIntent{UserID: s.Root().UserID, WalletName: name, Accounts: accounts}, mnemonic)
	return res, err
}

func TestTestMnemonicGivesTheRealAddresses(t *testing.T) {
	s := newServer(t)
	accounts := []gen.WalletAccountParams{
		ethAccount("m/44'/60'/0'/0/0"), ethAccount("m/44'/60'/0'/0/1"), solanaAccount("m/44'/501'/0'/0'"),
		keyAccount("m/44'/60'/0'/0/0", gen.AddressFormatCompressed), keyAccount("m/44'/60'/0'/0/0", gen.AddressFormatUncompressed),
	}
	res, err := importMnemonic(t, s, "test vector", testMnemonic, accounts)
	require.NoError(t, err)
	pub := secp256k1.PrivKeyFromBytes(mustHex(t, testEthKey0)).PubKey()
	require.Equal(t, []string{testEthAddress0, testEthAddress1, testSolAddress,
		hex.EncodeToString(pub.SerializeCompressed()), hex.EncodeToString(pub.SerializeUncompressed())}, res.Addresses)

	// The account's key signs as that address: the exported private key is
	// the one every wallet derives.
	key, _, err := newClient(t, s).ExportWalletAccount(testContext(t), gen.ExportWalletAccountIntent{Address: testEthAddress0})
	require.NoError(t, err)
	require.Equal(t, testEthKey0, strings.TrimPrefix(key.PrivateKeyHex(), "0x"))
}

func TestExportedMnemonicIsBIP39AndImportsElsewhere(t *testing.T) {
	accounts := []gen.WalletAccountParams{ethAccount("m/44'/60'/0'/0/0"), ethAccount("m/44'/60'/1'/0/7"), solanaAccount("m/44'/501'/0'/0'"),
		solanaAccount("m/44'/501'/3'/0'")}
	for _, words := range []int32{12, 24} {
		a := newServer(t)
		orig, _, err := newClient(t, a).CreateWallet(testContext(t), gen.CreateWalletIntent{WalletName: "orig", Accounts: accounts, MnemonicLength: &words})
		require.NoError(t, err)
		exp, _, err := newClient(t, a).ExportWallet(testContext(t), gen.ExportWalletIntent{WalletID: orig.WalletID})
		require.NoError(t, err)
		m := exp.Mnemonic()
		require.Len(t, strings.Fields(m), int(words))
		require.NoError(t, bip39.Validate(m), "the exported mnemonic passes the BIP-39 checksum")

		// Another simulator (another "wallet") derives the same addresses.
		b := newServer(t)
		imp, err := importMnemonic(t, b, "copy", m, accounts)
		require.NoError(t, err)
		require.Equal(t, orig.Addresses, imp.Addresses)
	}
}

func TestImportRejectsInvalidMnemonics(t *testing.T) {
	s := newServer(t)
	accounts := []gen.WalletAccountParams{ethAccount("m/44'/60'/0'/0/0")}
	for _, c := range []struct{ mnemonic, want string }{
		{strings.Repeat("abandon ", 12), "checksum"},
		{strings.Repeat("abandon ", 11), "12, 15, 18, 21 or 24 words"},
		{strings.Repeat("abandon ", 11) + "notaword", "not in the BIP-39 English word list: word 12"},
	} {
		_, err := importMnemonic(t, s, "bad", c.mnemonic, accounts)
		require.ErrorIs(t, err, sdk.ErrActivityFailed, c.mnemonic)
		require.ErrorContains(t, err, c.want)
		require.NotContains(t, err.Error(), "notaword", "the error never repeats the words")
	}
	// A valid one after them still imports.
	_, err := importMnemonic(t, s, "good", testMnemonic, accounts)
	require.NoError(t, err)
}

func TestEd25519PathsMustBeHardened(t *testing.T) {
	s := newServer(t)
	_, _, err := newClient(t, s).CreateWallet(testContext(t), gen.CreateWalletIntent{WalletName: "w",
		Accounts: []gen.WalletAccountParams{solanaAccount("m/44'/501'/0'/0")}})
	require.ErrorIs(t, err, sdk.ErrInvalidArgument)
	require.ErrorContains(t, err, "SLIP-10")
}
