package sdk_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/sdk"
	"github.com/turnkey-go/turnkey/turnkeytest"
)

// Create a wallet and sign with its account, against the local simulator.
// Against the real API, build the client with sdk.NewFromEnv instead.
func ExampleClient_CreateWallet() {
	srv, err := turnkeytest.NewServer()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	client, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	wallet, act, err := client.CreateWallet(ctx, gen.CreateWalletIntent{
		WalletName: "treasury",
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
	fmt.Println(act.Type, act.Status, len(wallet.Addresses), "address")

	sig, _, err := client.SignRawPayload(ctx, gen.SignRawPayloadIntentV2{
		SignWith:     wallet.Addresses[0],
		Payload:      "d449acb92215ed502901c9e6f6a4dc6d28e6856fb6754892becd148dee1b3e85",
		Encoding:     gen.PayloadEncodingHexadecimal,
		HashFunction: gen.HashFunctionNoOp,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("r and s:", len(sig.R)/2, "and", len(sig.S)/2, "bytes")
	// Output:
	// ACTIVITY_TYPE_CREATE_WALLET ACTIVITY_STATUS_COMPLETED 1 address
	// r and s: 32 and 32 bytes
}

// An activity that needs more votes comes back as ErrConsensusNeeded with its
// fingerprint; another member of the root quorum approves it.
func ExampleClient_ApproveActivity() {
	srv, err := turnkeytest.NewServer(turnkeytest.WithRootQuorum(2, 1))
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	alice, _ := srv.Client()
	bob, _ := srv.Client(sdk.WithStamper(srv.Root().QuorumKeys[0]))
	ctx := context.Background()

	_, _, err = alice.CreateWallet(ctx, gen.CreateWalletIntent{WalletName: "vault", Accounts: []gen.WalletAccountParams{}})
	var pending *sdk.ActivityError
	if !errors.As(err, &pending) || !errors.Is(err, sdk.ErrConsensusNeeded) {
		log.Fatalf("want consensus, got %v", err)
	}
	fmt.Println(pending.Status)

	if _, err := bob.ApproveActivity(ctx, gen.ApproveActivityIntent{Fingerprint: pending.Fingerprint}); err != nil {
		log.Fatal(err)
	}
	act, err := alice.WaitForActivity(ctx, pending.ActivityID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(act.Status, len(act.Votes), "votes")
	// Output:
	// ACTIVITY_STATUS_CONSENSUS_NEEDED
	// ACTIVITY_STATUS_COMPLETED 2 votes
}
