package sdk_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"strings"
	"time"

	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/sdk"
	"github.com/turnkey-go/turnkey/stamp"
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

// NewFromEnv reads the API key and organization from TURNKEY_API_PRIVATE_KEY,
// TURNKEY_API_PUBLIC_KEY, TURNKEY_API_KEY_CURVE, TURNKEY_ORGANIZATION_ID and
// TURNKEY_BASE_URL. Here they point at the local simulator.
func ExampleNewFromEnv() {
	srv, err := turnkeytest.NewServer()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	root := srv.Root()
	env := map[string]string{
		sdk.EnvAPIPrivateKey:  root.APIKey.PrivateKeyHex(),
		sdk.EnvAPIPublicKey:   root.APIKey.PublicKey(),
		sdk.EnvAPIKeyCurve:    string(root.APIKey.Curve()),
		sdk.EnvOrganizationID: root.OrganizationID,
		sdk.EnvBaseURL:        srv.URL,
	}
	for k, v := range env {
		os.Setenv(k, v)
		defer os.Unsetenv(k)
	}

	client, err := sdk.NewFromEnv()
	if err != nil {
		log.Fatal(err)
	}
	who, err := client.Whoami(context.Background(), gen.WhoamiRequest{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("organization from the environment:", who.OrganizationID == root.OrganizationID)

	os.Unsetenv(sdk.EnvAPIPrivateKey)
	_, err = sdk.NewFromEnv()
	fmt.Println("without a key:", errors.Is(err, sdk.ErrMissingEnv))
	// Output:
	// organization from the environment: true
	// without a key: true
}

// Errors are matched with errors.Is against the sentinels and taken apart
// with errors.As: an *sdk.APIError for an error answer, an
// *sdk.ActivityError for an activity that failed, an *sdk.RequestError for a
// request refused before sending.
func ExampleAPIError() {
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

	_, err = client.GetWallet(ctx, gen.GetWalletRequest{WalletID: "no-such-wallet"})
	var apiErr *sdk.APIError
	if errors.As(err, &apiErr) {
		fmt.Println("HTTP", apiErr.StatusCode, "code", apiErr.Code, "not found:", errors.Is(err, sdk.ErrNotFound))
	}

	_, _, err = client.SignRawPayload(ctx, gen.SignRawPayloadIntentV2{
		SignWith: "0x0000000000000000000000000000000000000000", Payload: "00",
		Encoding: gen.PayloadEncodingHexadecimal, HashFunction: gen.HashFunctionNoOp,
	})
	var actErr *sdk.ActivityError
	if errors.As(err, &actErr) {
		fmt.Println("activity", actErr.Status, "failed:", errors.Is(err, sdk.ErrActivityFailed))
	}

	_, _, err = client.CreateSubOrganization(ctx, gen.CreateSubOrganizationIntentV7{
		SubOrganizationName: "tenant", RootUsers: []gen.RootUserParamsV4{{UserName: "alice"}},
	})
	var reqErr *sdk.RequestError
	if errors.As(err, &reqErr) {
		fmt.Println("not sent:", reqErr.Field, errors.Is(err, sdk.ErrInvalidArgument))
	}
	// Output:
	// HTTP 404 code 5 not found: true
	// activity ACTIVITY_STATUS_FAILED failed: true
	// not sent: parameters.rootQuorumThreshold true
}

// A sub-organization for an end user, whose root user holds an API key made
// here: the parent creates it, then the user's client acts in it with that
// key.
func ExampleClient_CreateSubOrganization() {
	srv, err := turnkeytest.NewServer()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	parent, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	userKey, err := stamp.GenerateAPIKey(stamp.CurveP256) // only its public key leaves this process
	if err != nil {
		log.Fatal(err)
	}
	sub, _, err := parent.CreateSubOrganization(ctx, gen.CreateSubOrganizationIntentV7{
		SubOrganizationName: "user 42",
		RootQuorumThreshold: 1,
		RootUsers: []gen.RootUserParamsV4{{
			UserName: "end user",
			APIKeys: []gen.APIKeyParamsV2{{
				APIKeyName: "device key", CurveType: gen.APIKeyCurveP256, PublicKey: userKey.PublicKey(),
			}},
			// Authenticators and OauthProviders left nil are sent as [].
		}},
	})
	if err != nil {
		log.Fatal(err)
	}

	user, err := srv.Client(sdk.WithStamper(userKey), sdk.WithOrganizationID(sub.SubOrganizationID))
	if err != nil {
		log.Fatal(err)
	}
	who, err := user.Whoami(ctx, gen.WhoamiRequest{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(who.Username, "in the sub-organization:", who.OrganizationID == sub.SubOrganizationID)
	// Output:
	// end user in the sub-organization: true
}

// A read-write session: the SDK makes the target key, decrypts the
// credential bundle and returns a client that stamps with the session's key.
func ExampleClient_CreateReadWriteSession() {
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

	expiry := "900" // seconds
	session, err := client.CreateReadWriteSession(ctx, gen.CreateReadWriteSessionIntentV2{ExpirationSeconds: &expiry})
	if err != nil {
		log.Fatal(err)
	}
	who, err := session.Client.Whoami(ctx, gen.WhoamiRequest{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("same user:", who.UserID == srv.Root().UserID)
	fmt.Println("a new key:", session.Key.PublicKey() != srv.Root().APIKey.PublicKey())
	fmt.Println("expires in 15 minutes:", time.Until(session.ExpiresAt).Round(time.Minute))
	fmt.Println("printed, the key is redacted:", !strings.Contains(fmt.Sprint(session.Key), session.Key.PrivateKeyHex()))
	// Output:
	// same user: true
	// a new key: true
	// expires in 15 minutes: 15m0s
	// printed, the key is redacted: true
}

// An export: the SDK makes the target key, verifies the enclave's signature
// of the bundle (the simulator's signer is pinned by srv.Client) and decrypts
// the wallet's mnemonic.
func ExampleClient_ExportWallet() {
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

	wallet, _, err := client.CreateWallet(ctx, gen.CreateWalletIntent{WalletName: "to back up"})
	if err != nil {
		log.Fatal(err)
	}
	exported, _, err := client.ExportWallet(ctx, gen.ExportWalletIntent{WalletID: wallet.WalletID})
	if err != nil {
		log.Fatal(err)
	}
	defer exported.Destroy()
	fmt.Println("mnemonic words:", len(strings.Fields(exported.Mnemonic())))
	fmt.Println("printed, it is redacted:", !strings.Contains(fmt.Sprint(exported), exported.Mnemonic()))
	// Output:
	// mnemonic words: 12
	// printed, it is redacted: true
}
