package turnkeytest_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log"

	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/turnkeytest"
)

// A test starts a simulator, creates a wallet with the sdk client the
// simulator returns, and signs with it, offline.
func Example() {
	srv, err := turnkeytest.NewServer()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	client, err := srv.Client() // stamped with the root user's API key
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	wallet, _, err := client.CreateWallet(ctx, gen.CreateWalletIntent{
		WalletName: "test wallet",
		Accounts: []gen.WalletAccountParams{{
			Curve:         gen.CurveSecp256K1,
			PathFormat:    gen.PathFormatBip32,
			Path:          "m/44'/60'/0'/0/0",
			AddressFormat: gen.AddressFormatEthereum,
		}},
	})
	if err != nil {
		log.Fatal(err)
	}
	digest := sha256.Sum256([]byte("hello"))
	sig, act, err := client.SignRawPayload(ctx, gen.SignRawPayloadIntentV2{
		SignWith:     wallet.Addresses[0],
		Payload:      hex.EncodeToString(digest[:]),
		Encoding:     gen.PayloadEncodingHexadecimal,
		HashFunction: gen.HashFunctionNoOp,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(act.Status, len(sig.R), len(sig.S))
	fmt.Println(srv.Stats().ActivitiesCreated, "activities")
	// Output:
	// ACTIVITY_STATUS_COMPLETED 64 64
	// 2 activities
}
