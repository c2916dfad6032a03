// Consensus shows an activity that needs the approval of more than one root
// user, on the in-process simulator (package turnkeytest):
//
//	go run ./examples/consensus
//
// The simulator's organization has two root users and a root quorum
// threshold of 2. The first root user submits an activity (creating a
// wallet); the SDK returns sdk.ErrConsensusNeeded, an *sdk.ActivityError that
// carries the activity's fingerprint. The second root user approves it by
// that fingerprint, and the first waits for the activity to complete.
//
// The same flow works against the real API for an organization whose root
// quorum (or a policy's consensus) needs several approvers; each approver
// uses their own API key. This example is offline only.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/sdk"
	"github.com/turnkey-go/turnkey/turnkeytest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if len(os.Args) > 1 { // no --live: a quorum of two needs two people's keys
		fmt.Fprintf(os.Stderr, "consensus runs on the in-process simulator only and takes no arguments (got %q)\n", os.Args[1])
		os.Exit(2)
	}
	if err := run(ctx, os.Stdout); err != nil {
		fmt.Fprintf(os.Stderr, "\nconsensus failed: %v\n", err)
		os.Exit(1)
	}
}

// run performs the example, printing each step to w.
func run(ctx context.Context, w io.Writer) error {
	// An organization with 2 root users, both needed for any activity.
	srv, err := turnkeytest.NewServer(turnkeytest.WithRootQuorum(2, 1))
	if err != nil {
		return err
	}
	defer srv.Close()
	root := srv.Root()
	fmt.Fprintf(w, "Simulator at %s: organization %s, root quorum 2 of 2\n", srv.URL, root.OrganizationID)
	fmt.Fprintf(w, "  root user 1: %s (%s)\n  root user 2: root-2 (%s)\n\n", root.UserName, root.UserID, root.QuorumUserIDs[0])

	// The two root users' clients, each stamping with its own API key.
	alice, err := srv.Client()
	if err != nil {
		return err
	}
	bob, err := srv.Client(sdk.WithStamper(root.QuorumKeys[0]))
	if err != nil {
		return err
	}

	// 1. Root user 1 submits an activity. Their own approval counts, but one
	// more is needed, so the SDK stops waiting and says so. (With the call
	// option sdk.WaitThroughConsensus() it would keep polling instead, until
	// the others vote or the wait runs out.)
	_, act, err := alice.CreateWallet(ctx, gen.CreateWalletIntent{
		WalletName: "treasury",
		Accounts: []gen.WalletAccountParams{{
			Curve:         gen.CurveSecp256K1,
			PathFormat:    gen.PathFormatBip32,
			Path:          "m/44'/60'/0'/0/0",
			AddressFormat: gen.AddressFormatEthereum,
		}},
	})
	var actErr *sdk.ActivityError
	if !errors.Is(err, sdk.ErrConsensusNeeded) || !errors.As(err, &actErr) {
		return fmt.Errorf("create wallet: got %v (activity %v), want sdk.ErrConsensusNeeded", err, act)
	}
	fmt.Fprintf(w, "1. root user 1 submitted create_wallet: activity %s is %s\n", actErr.ActivityID, actErr.Status)
	fmt.Fprintf(w, "   (errors.Is(err, sdk.ErrConsensusNeeded) = true), fingerprint %s\n", actErr.Fingerprint)

	// 2. Root user 2 approves it by its fingerprint, typically after reviewing
	// the activity (get_activity or list_activities show it to them).
	approval, err := bob.ApproveActivity(ctx, gen.ApproveActivityIntent{Fingerprint: actErr.Fingerprint})
	if err != nil {
		return fmt.Errorf("approve activity: %w", err)
	}
	fmt.Fprintf(w, "2. root user 2 approved it (approval activity %s, %s)\n", approval.ID, approval.Status)

	// 3. Root user 1 waits for the activity, which the approval completed.
	done, err := alice.WaitForActivity(ctx, actErr.ActivityID)
	if err != nil {
		return fmt.Errorf("wait for activity: %w", err)
	}
	res := done.Result.CreateWalletResult
	if done.Status != gen.ActivityStatusCompleted || res == nil || len(res.Addresses) != 1 {
		return fmt.Errorf("wait for activity: %s with result %+v, want a completed wallet", done.Status, res)
	}
	fmt.Fprintf(w, "3. activity %s is %s with %d vote(s): wallet %s, address %s\n",
		done.ID, done.Status, len(done.Votes), res.WalletID, res.Addresses[0])
	fmt.Fprintln(w, "consensus reached: the wallet was created with both root users' approval")
	return nil
}
