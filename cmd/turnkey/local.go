package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/turnkey-go/turnkey/stamp"
	"github.com/turnkey-go/turnkey/turnkeytest"
)

func localCommand() *command {
	return &command{
		name:     "local",
		synopsis: "turnkey local [--addr 127.0.0.1:PORT] [--state-dir DIR | --seed HEX] [--keys-dir DIR] [--key-name local] [--activity-delay D] [--verbose]",
		help: `Runs a local simulator of the Turnkey API, for development and tests without
an account: an organization with one root user whose API key the command saves
as Turnkey CLI key files. It prints the address, the organization and user IDs,
the key files, the simulator's enclave signer public key (which signs export
and import bundles: clients pin it), and environment lines to paste, then
serves until interrupted (Ctrl-C, SIGTERM). The simulator keeps everything in
memory: when it stops, what was created in it is gone.

Without --state-dir or --seed each start is a new organization with new keys,
and the key files written are removed at the stop. With --state-dir DIR the
organization ID, root user, root API key and enclave signer key are derived
from a seed kept in DIR (created on first use), so they are the same on every
start, even after a crash; the key files are kept in DIR/keys (unless
--keys-dir says otherwise). --seed HEX does the same with a seed you give.
Only that identity persists: wallets, users and activities do not.

The keys dir is a new temporary directory unless --keys-dir (or --state-dir)
names one; the simulator never writes to the Turnkey CLI's own keys dir unless
told to. Key files left by a turnkey local that crashed are replaced; those of
a running one, or not written by turnkey local, are left alone.
`,
		setup: func(fs *flag.FlagSet) runner {
			l := &local{}
			fs.StringVar(&l.addr, "addr", "127.0.0.1:0", "`ADDR`: the loopback host:port to listen on; port 0 picks a free port")
			fs.StringVar(&l.keysDir, "keys-dir", "", "`DIR`: the directory to save the root API key in (default DIR/keys of --state-dir, else a new temporary directory)")
			fs.StringVar(&l.stateDir, "state-dir", "", "`DIR` keeping the seed of the organization and keys, so that they survive restarts")
			fs.StringVar(&l.seed, "seed", "", "`HEX` seed (at least 16 bytes) of the organization and keys, instead of --state-dir")
			fs.StringVar(&l.keyName, "key-name", "local", "`NAME` of the saved root API key; its files are NAME.private and NAME.public")
			fs.DurationVar(&l.delay, "activity-delay", 0, "keep each new activity pending for `D`, a duration such as 500ms, before it completes")
			fs.BoolVar(&l.verbose, "verbose", false, "log every request to standard error")
			return l
		},
	}
}

type local struct {
	addr, keysDir, keyName string
	stateDir, seed         string
	delay                  time.Duration
	verbose                bool
}

func (l *local) run(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 {
		return usageError("unexpected argument %q", args[0])
	}
	if l.delay < 0 {
		return usageError("--activity-delay must not be negative")
	}
	if l.keyName == "" {
		return usageError("--key-name must not be empty")
	}
	if err := checkLoopback(l.addr); err != nil {
		return err
	}
	if l.stateDir != "" && l.seed != "" {
		return usageError("--state-dir and --seed are exclusive: the state dir keeps its own seed")
	}
	opts := []turnkeytest.Option{turnkeytest.WithAddr(l.addr), turnkeytest.WithActivityDelay(l.delay)}
	if l.seed != "" {
		seed, err := parseSeed(l.seed)
		if err != nil {
			return err
		}
		opts = append(opts, turnkeytest.WithSeed(seed))
	}
	if l.stateDir != "" {
		seed, err := loadOrCreateSeed(l.stateDir)
		if err != nil {
			return localError(err)
		}
		opts = append(opts, turnkeytest.WithSeed(seed))
		clear(seed)
		if l.keysDir == "" {
			l.keysDir = filepath.Join(l.stateDir, "keys")
		}
	}
	persistent := l.stateDir != "" || l.seed != ""
	if l.verbose {
		opts = append(opts, turnkeytest.WithLogger(slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	}

	dir := l.keysDir
	if dir == "" {
		tmp, err := os.MkdirTemp("", "turnkey-local-")
		if err != nil {
			return localError(fmt.Errorf("creating a keys dir: %w", err))
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}

	srv, err := turnkeytest.NewServer(opts...)
	if err != nil {
		return localError(fmt.Errorf("starting the simulator: %w", err))
	}
	defer srv.Close()
	root := srv.Root()

	placed, err := placeKey(dir, l.keyName, root.APIKey, &stamp.KeyMeta{
		Organizations: []string{root.OrganizationID}, PublicKey: root.APIKey.PublicKey(), User: root.UserID})
	if err != nil {
		return err
	}
	// Without a seed the key is worthless once the simulator stops: remove
	// what was written. With one it is the key of the next start too.
	defer placed.remove(!persistent)

	var b strings.Builder
	fmt.Fprintf(&b, "Turnkey simulator listening on %s\n\n", srv.URL)
	fmt.Fprintf(&b, "  organization ID:  %s (%s)\n", root.OrganizationID, root.OrganizationName)
	fmt.Fprintf(&b, "  root user ID:     %s (%s)\n", root.UserID, root.UserName)
	fmt.Fprintf(&b, "  API key name:     %s (%s, public key %s)\n", l.keyName, root.APIKey.Curve(), root.APIKey.PublicKey())
	fmt.Fprintf(&b, "  keys dir:         %s\n", dir)
	for _, k := range srv.PublishedKeys() {
		fmt.Fprintf(&b, "  %-17s %s\n", k.Name+":", k.PublicKey)
	}
	switch {
	case l.stateDir != "":
		abs, _ := filepath.Abs(l.stateDir)
		fmt.Fprintf(&b, "  state dir:        %s (the organization and keys stay the same on every start)\n", abs)
	case persistent:
		fmt.Fprintf(&b, "  seed:             given (the organization and keys stay the same on every start)\n")
	}
	fmt.Fprintf(&b, "  outbox:           %s (codes and bundles \"sent\" by email or SMS, as JSON)\n", srv.OutboxURL())
	fmt.Fprintf(&b, "\nEnvironment for the SDK and this command:\n\n")
	fmt.Fprintf(&b, "  export TURNKEY_BASE_URL=%s\n", srv.URL)
	fmt.Fprintf(&b, "  export TURNKEY_ORGANIZATION_ID=%s\n", root.OrganizationID)
	fmt.Fprintf(&b, "  # and for sdk.NewFromEnv (and the examples) the root user's API key:\n")
	fmt.Fprintf(&b, "  export TURNKEY_API_PRIVATE_KEY=$(cut -d: -f1 %s)\n", shellQuote(filepath.Join(dir, l.keyName+".private")))
	fmt.Fprintf(&b, "  # export and import bundles are signed by the enclave signer above: pin it\n")
	fmt.Fprintf(&b, "  # (sdk.WithEnclaveSigner, or your client's enclave signer public key setting)\n")
	fmt.Fprintf(&b, "\nTry:\n\n")
	fmt.Fprintf(&b, "  turnkey whoami --base-url %s --organization %s --key-name %s --keys-dir %s\n",
		srv.URL, root.OrganizationID, shellQuote(l.keyName), shellQuote(dir))
	fmt.Fprintf(&b, "\nServing until interrupted (Ctrl-C).\n")
	if err := write(e.stdout, b.String()); err != nil {
		return err
	}

	<-ctx.Done()
	srv.Close()
	return write(e.stdout, "Simulator stopped.\n")
}

// checkLoopback checks that addr is host:port with a loopback IP host: the
// simulator has no real security and must not be reachable from elsewhere.
func checkLoopback(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return usageError("--addr %q: want host:port, such as 127.0.0.1:8080", addr)
	}
	ip, err := netip.ParseAddr(host)
	if err != nil || !ip.Unmap().IsLoopback() || ip.Zone() != "" {
		return usageError("--addr %q: the host must be a loopback IP such as 127.0.0.1 or ::1, e.g. 127.0.0.1:%s", addr, port)
	}
	return nil
}
