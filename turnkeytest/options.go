package turnkeytest

import (
	"crypto/ecdsa"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"time"
)

// Option configures a Server in NewServer. Options report bad values as
// errors; they never panic.
type Option func(*config) error

type config struct {
	addr            string
	activityDelay   time.Duration
	quorumThreshold int
	extraRootUsers  int
	faults          Faults
	timestampWindow time.Duration
	logger          *slog.Logger
	seed            []byte            // WithSeed; nil: random identity
	sessionKey      *ecdsa.PrivateKey // WithAuthKeys; nil: generated
	oidcKey         *ecdsa.PrivateKey
}

// DefaultTimestampWindow is how old a submit's timestampMs may be, unless
// WithTimestampWindow says otherwise. Timestamps may also be up to
// min(window, MaxClockSkew) in the future.
const DefaultTimestampWindow = 5 * time.Minute

// MaxClockSkew bounds how far in the future a timestampMs may be.
const MaxClockSkew = time.Minute

func defaultConfig() config {
	return config{
		addr:            "127.0.0.1:0",
		quorumThreshold: 1,
		timestampWindow: DefaultTimestampWindow,
	}
}

// WithAddr sets the address the server listens on, instead of 127.0.0.1 on a
// free port. The host must be a loopback IP literal (127.0.0.0/8 or ::1): the
// simulator has no real security and must never be reachable from another
// machine. Port 0 picks a free port.
func WithAddr(addr string) Option {
	return func(c *config) error {
		host, port, err := net.SplitHostPort(addr)
		if err != nil {
			return fmt.Errorf("turnkeytest: WithAddr(%q): %w", addr, err)
		}
		ip, err := netip.ParseAddr(host)
		if err != nil || !ip.Unmap().IsLoopback() || ip.Zone() != "" {
			return fmt.Errorf("turnkeytest: WithAddr(%q): host must be a loopback IP (127.0.0.0/8 or ::1), e.g. 127.0.0.1:%s", addr, port)
		}
		c.addr = addr
		return nil
	}
}

// WithActivityDelay keeps every new activity CREATED, then PENDING, until d
// has passed since it was created; it then completes (or fails) on the next
// request that reaches the server. Its effect on the state happens at that
// moment, exactly once. 0, the default, completes activities at once, in the
// answer to the submit.
func WithActivityDelay(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 {
			return fmt.Errorf("turnkeytest: WithActivityDelay(%v): negative delay", d)
		}
		c.activityDelay = d
		return nil
	}
}

// WithRootQuorum gives the bootstrap organization extraRootUsers more root
// users (named root-2, root-3, ...; their API keys are in Root().QuorumKeys)
// and a root quorum of all its root users with the given threshold. With a
// threshold above 1 every activity but approve_activity and reject_activity
// needs consensus: it stays CONSENSUS_NEEDED, with the submitter's approval
// counted, until enough root users approve it.
func WithRootQuorum(threshold int, extraRootUsers int) Option {
	return func(c *config) error {
		switch {
		case extraRootUsers < 0:
			return fmt.Errorf("turnkeytest: WithRootQuorum: negative extraRootUsers %d", extraRootUsers)
		case threshold < 1 || threshold > 1+extraRootUsers:
			return fmt.Errorf("turnkeytest: WithRootQuorum: threshold %d must be between 1 and the %d root users", threshold, 1+extraRootUsers)
		}
		c.quorumThreshold, c.extraRootUsers = threshold, extraRootUsers
		return nil
	}
}

// WithFaults makes the server misbehave on purpose, to test a client's
// retries: see Faults.
func WithFaults(f Faults) Option {
	return func(c *config) error {
		if err := f.validate(); err != nil {
			return err
		}
		c.faults = f
		return nil
	}
}

// WithTimestampWindow sets how old a submit's timestampMs may be (default
// DefaultTimestampWindow); it may also be up to min(d, MaxClockSkew) in the
// future. Older or later timestamps are refused with HTTP 400, code 3,
// unless the body is byte-identical to an earlier submit, which returns that
// submit's activity. 0 turns the check off, for replaying recorded requests.
func WithTimestampWindow(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 {
			return fmt.Errorf("turnkeytest: WithTimestampWindow(%v): negative window", d)
		}
		c.timestampWindow = d
		return nil
	}
}

// WithLogger makes the server log every request at debug level, and faults
// and failed activities at info level. Without it the server is silent.
// Request bodies, stamps and keys are never logged.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			return errors.New("turnkeytest: WithLogger: nil logger")
		}
		c.logger = l
		return nil
	}
}
