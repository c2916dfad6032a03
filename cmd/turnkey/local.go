package main

import (
	"context"
	"errors"
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
		synopsis: "turnkey local [--addr 127.0.0.1:PORT] [--keys-dir DIR] [--key-name local] [--activity-delay D] [--verbose]",
		help: `Runs a local simulator of the Turnkey API, for development and tests without
an account: an organization with one root user whose API key the command saves
as Turnkey CLI key files. It prints the address, the organization and user IDs,
the key files, and environment lines to paste, then serves until interrupted
(Ctrl-C, SIGTERM). The simulator keeps everything in memory: when it stops,
its organization is gone and the key files it wrote are removed.

The keys dir is a new temporary directory unless --keys-dir names one; the
simulator never writes to the Turnkey CLI's own keys dir unless told to.
`,
		setup: func(fs *flag.FlagSet) runner {
			l := &local{}
			fs.StringVar(&l.addr, "addr", "127.0.0.1:0", "`ADDR`: the loopback host:port to listen on; port 0 picks a free port")
			fs.StringVar(&l.keysDir, "keys-dir", "", "`DIR`: the directory to save the root API key in (default a new temporary directory)")
			fs.StringVar(&l.keyName, "key-name", "local", "`NAME` of the saved root API key; its files are NAME.private and NAME.public")
			fs.DurationVar(&l.delay, "activity-delay", 0, "keep each new activity pending for `D`, a duration such as 500ms, before it completes")
			fs.BoolVar(&l.verbose, "verbose", false, "log every request to standard error")
			return l
		},
	}
}

type local struct {
	addr, keysDir, keyName string
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
	opts := []turnkeytest.Option{turnkeytest.WithAddr(l.addr), turnkeytest.WithActivityDelay(l.delay)}
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

	if err := stamp.SaveKeyFile(dir, l.keyName, root.APIKey); err != nil {
		switch {
		case errors.Is(err, stamp.ErrInvalidName):
			return badInput("invalid --key-name %q: %v", l.keyName, err)
		case errors.Is(err, stamp.ErrKeyExists):
			return localError(fmt.Errorf("a key named %q already exists in %s; it was left alone: choose another --key-name", l.keyName, dir))
		}
		return localError(fmt.Errorf("saving the root API key: %w", err))
	}
	// The key is worthless once the simulator stops: remove what was written.
	defer func() {
		for _, ext := range []string{".private", ".public"} {
			os.Remove(filepath.Join(dir, l.keyName+ext))
		}
	}()

	var b strings.Builder
	fmt.Fprintf(&b, "Turnkey simulator listening on %s\n\n", srv.URL)
	fmt.Fprintf(&b, "  organization ID:  %s (%s)\n", root.OrganizationID, root.OrganizationName)
	fmt.Fprintf(&b, "  root user ID:     %s (%s)\n", root.UserID, root.UserName)
	fmt.Fprintf(&b, "  API key name:     %s (%s, public key %s)\n", l.keyName, root.APIKey.Curve(), root.APIKey.PublicKey())
	fmt.Fprintf(&b, "  keys dir:         %s\n", dir)
	fmt.Fprintf(&b, "  outbox:           %s (codes and bundles \"sent\" by email or SMS, as JSON)\n", srv.OutboxURL())
	fmt.Fprintf(&b, "\nEnvironment for the SDK and this command:\n\n")
	fmt.Fprintf(&b, "  export TURNKEY_BASE_URL=%s\n", srv.URL)
	fmt.Fprintf(&b, "  export TURNKEY_ORGANIZATION_ID=%s\n", root.OrganizationID)
	fmt.Fprintf(&b, "  # and for sdk.NewFromEnv (and the examples) the root user's API key:\n")
	fmt.Fprintf(&b, "  export TURNKEY_API_PRIVATE_KEY=$(cut -d: -f1 %s)\n", shellQuote(filepath.Join(dir, l.keyName+".private")))
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
