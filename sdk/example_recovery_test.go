package sdk_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/sdk"
	"github.com/turnkey-go/turnkey/turnkeytest"
)

// When a submit's outcome is unknown — its retries ran out, or the wait for
// its activity did — the error is a *SubmitError. Calling the method again
// would stamp a new timestampMs: a second activity. Resume goes on with the
// same one instead.
//
// Here the simulator applies each of the first four attempts and then drops
// the connection, so every attempt the client makes is lost.
func ExampleSubmitError_Resume() {
	srv, err := turnkeytest.NewServer(turnkeytest.WithFaults(turnkeytest.Faults{DropRate: 1, MaxFaults: 4}))
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	client, err := srv.Client(sdk.WithRetry(sdk.RetryOptions{MaxAttempts: 4, InitialBackoff: time.Millisecond, MaxBackoff: 10 * time.Millisecond}))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	intent := gen.CreatePrivateKeyTagIntent{PrivateKeyTagName: "cold-storage", PrivateKeyIds: []string{}}

	res, _, err := client.CreatePrivateKeyTag(ctx, intent)
	var se *sdk.SubmitError
	if errors.As(err, &se) {
		var te *sdk.TransportError
		fmt.Println("outcome unknown:", errors.As(err, &te), se.ActivityID == "")
		// Not client.CreatePrivateKeyTag(ctx, intent) again: Resume resends the
		// byte-identical request, which Turnkey answers with the activity it
		// already created, and waits for it.
		act, err := se.Resume(ctx)
		if err != nil {
			log.Fatal(err) // still unknown: Resume again later
		}
		res = act.Result.CreatePrivateKeyTagResult
		fmt.Println("resumed:", act.Status)
	} else if err != nil {
		log.Fatal(err)
	}
	fmt.Println("tag created:", res.PrivateKeyTagID != "")
	fmt.Println("activities:", srv.Stats().ActivitiesCreated)
	// Output:
	// outcome unknown: true true
	// resumed: ACTIVITY_STATUS_COMPLETED
	// tag created: true
	// activities: 1
}
