// Package target chooses where an example runs: the in-process simulator of
// package turnkeytest by default, or the real Turnkey API only when the
// example is run with --live. Environment variables alone never send an
// example to the real API: with TURNKEY_API_PRIVATE_KEY and
// TURNKEY_ORGANIZATION_ID set but no --live, it still runs offline.
package target

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/turnkey-go/turnkey/sdk"
	"github.com/turnkey-go/turnkey/turnkeytest"
)

// Target is the API an example talks to.
type Target struct {
	// Live is true for the real Turnkey API, false for the simulator.
	Live bool
	// Client stamps with the organization's key and acts on it.
	Client *sdk.Client
	// NewClient returns a client for the same API address with other
	// options (another key, another organization).
	NewClient func(...sdk.Option) (*sdk.Client, error)
	// Close stops the simulator, if any.
	Close func()
}

// ParseFlags parses an example's command line: only --live.
func ParseFlags(name string, args []string) (live bool, err error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.BoolVar(&live, "live", false, "run against the real Turnkey API (needs TURNKEY_API_PRIVATE_KEY and TURNKEY_ORGANIZATION_ID)")
	if err := fs.Parse(args); err != nil {
		return false, fmt.Errorf("%w\nusage: go run ./examples/%s [--live]", err, name)
	}
	if fs.NArg() > 0 {
		return false, fmt.Errorf("unexpected argument %q\nusage: go run ./examples/%s [--live]", fs.Arg(0), name)
	}
	return live, nil
}

// Connect returns the simulator, or with live the real API configured by
// the environment (sdk.NewFromEnv). Before returning the real API it prints
// creates — what the example is about to create there — so that nothing is
// created in a real organization without saying so first.
func Connect(w io.Writer, live bool, creates string) (*Target, error) {
	key := strings.TrimSpace(os.Getenv(sdk.EnvAPIPrivateKey))
	org := strings.TrimSpace(os.Getenv(sdk.EnvOrganizationID))
	if live {
		if key == "" || org == "" {
			return nil, fmt.Errorf("--live needs %s and %s (and optionally %s, %s, %s)", sdk.EnvAPIPrivateKey,
				sdk.EnvOrganizationID, sdk.EnvAPIPublicKey, sdk.EnvAPIKeyCurve, sdk.EnvBaseURL)
		}
		c, err := sdk.NewFromEnv()
		if err != nil {
			return nil, err
		}
		base := strings.TrimSpace(os.Getenv(sdk.EnvBaseURL))
		if base == "" {
			base = sdk.DefaultBaseURL
		}
		fmt.Fprintf(w, "Mode: live, the Turnkey API at %s, organization %s (from %s and %s)\n", base, org,
			sdk.EnvAPIPrivateKey, sdk.EnvOrganizationID)
		fmt.Fprintf(w, "This run creates, in that organization: %s.\n\n", creates)
		newClient := func(opts ...sdk.Option) (*sdk.Client, error) {
			return sdk.New(append([]sdk.Option{sdk.WithBaseURL(base)}, opts...)...)
		}
		return &Target{Live: true, Client: c, NewClient: newClient, Close: func() {}}, nil
	}
	srv, err := turnkeytest.NewServer()
	if err != nil {
		return nil, fmt.Errorf("start the simulator: %w", err)
	}
	c, err := srv.Client()
	if err != nil {
		srv.Close()
		return nil, errors.Join(errors.New("a client for the simulator"), err)
	}
	fmt.Fprintf(w, "Mode: offline, the in-process Turnkey simulator at %s (no account needed)\n", srv.URL)
	if key != "" || org != "" {
		fmt.Fprintf(w, "      %s / %s are set, but nothing goes to the real API without --live\n",
			sdk.EnvAPIPrivateKey, sdk.EnvOrganizationID)
	} else {
		fmt.Fprintf(w, "      run with --live (and %s, %s set) to use the real API\n", sdk.EnvAPIPrivateKey, sdk.EnvOrganizationID)
	}
	fmt.Fprintln(w)
	return &Target{Client: c, NewClient: srv.Client, Close: srv.Close}, nil
}
