package turnkeytest

import (
	"fmt"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/turnkey-go/turnkey/api"
	"github.com/turnkey-go/turnkey/enclave"
	gen "github.com/turnkey-go/turnkey/internal/genserver" // gen's models and the strict server
	"github.com/turnkey-go/turnkey/sdk"
	"github.com/turnkey-go/turnkey/stamp"
)

// Server is a local simulator of the Turnkey API, listening on a loopback
// address. Create it with NewServer and Close it when done. It is safe for
// concurrent use.
type Server struct {
	// URL is the base URL of the server, e.g. "http://127.0.0.1:43567":
	// give it to sdk.WithBaseURL or to any other Turnkey client.
	URL string

	cfg     config
	ops     map[string]*api.Operation
	state   *state
	signer  *enclave.Signer
	auth    *authState
	root    Root
	faults  *faultInjector
	logger  *slog.Logger
	mux     *http.ServeMux
	handler http.Handler
	stats   stats

	listener  net.Listener
	srv       *http.Server
	inflight  sync.WaitGroup
	closeOnce sync.Once
}

// Root describes the organization NewServer bootstraps: its root user and
// that user's API key, a P-256 key that stamps requests as the root user.
type Root struct {
	OrganizationID   string
	OrganizationName string
	UserID           string
	UserName         string
	APIKey           *stamp.APIKey
	// QuorumUserIDs and QuorumKeys are the extra root users of
	// WithRootQuorum (root-2, root-3, ...) and their P-256 API keys, in the
	// same order; empty without WithRootQuorum.
	QuorumUserIDs []string
	QuorumKeys    []*stamp.APIKey
}

// Stats counts what the server has seen since NewServer.
type Stats struct {
	// Requests counts every HTTP request received, faulted or not.
	Requests int
	// ActivitiesCreated counts the activities submits created.
	ActivitiesCreated int
	// DuplicatesAvoided counts the submits answered with an existing
	// activity because their body was byte-identical to an earlier one.
	DuplicatesAvoided int
	// Faults counts the injected faults by kind (see WithFaults).
	Faults map[FaultKind]int
}

type stats struct {
	mu sync.Mutex
	s  Stats
}

func (st *stats) add(f func(*Stats)) {
	st.mu.Lock()
	defer st.mu.Unlock()
	f(&st.s)
}

// NewServer starts a simulator on 127.0.0.1 and a free port (see WithAddr)
// and bootstraps a root organization with one root user, whose API key is in
// Root. It fails if an option is invalid or the address cannot be bound.
func NewServer(opts ...Option) (*Server, error) {
	cfg := defaultConfig()
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&cfg); err != nil {
			return nil, err
		}
	}
	s, err := buildServer(cfg)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return nil, fmt.Errorf("turnkeytest: listen on %s: %w", cfg.addr, err)
	}
	s.listener = ln
	s.URL = "http://" + ln.Addr().String()
	s.srv = &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(s.logger.Handler(), slog.LevelDebug),
	}
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

func buildServer(cfg config) (*Server, error) {
	ops, err := operations()
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg: cfg, ops: ops, state: newState(),
		faults: newFaultInjector(cfg.faults), logger: cfg.logger,
	}
	if s.signer, err = s.newSigner(); err != nil {
		return nil, fmt.Errorf("turnkeytest: %w", err)
	}
	// With a seed, the session-token and OIDC issuer keys follow it too
	// (unless WithAuthKeys gave them), so turnkey local --state-dir keeps them.
	if s.cfg.seed != nil && s.cfg.sessionKey == nil {
		if s.cfg.sessionKey, err = s.newP256("session token signer"); err != nil {
			return nil, fmt.Errorf("turnkeytest: %w", err)
		}
	}
	if s.cfg.seed != nil && s.cfg.oidcKey == nil {
		if s.cfg.oidcKey, err = s.newP256("oidc issuer"); err != nil {
			return nil, fmt.Errorf("turnkeytest: %w", err)
		}
	}
	if s.auth, err = newAuthState(s.cfg); err != nil {
		return nil, err
	}
	if s.logger == nil {
		s.logger = slog.New(slog.DiscardHandler)
	}
	s.stats.s.Faults = map[FaultKind]int{}
	if err := s.bootstrap(time.Now()); err != nil {
		return nil, err
	}

	s.mux = http.NewServeMux()
	strict := gen.NewStrictHandlerWithOptions(&handlers{s: s}, []gen.StrictMiddlewareFunc{s.withOperation},
		gen.StrictHTTPServerOptions{
			RequestErrorHandlerFunc: func(w http.ResponseWriter, _ *http.Request, err error) {
				writeError(w, invalidArgument("malformed request body: %v", err))
			},
			ResponseErrorHandlerFunc: func(w http.ResponseWriter, _ *http.Request, err error) { writeError(w, err) },
		})
	gen.HandlerWithOptions(strict, gen.StdHTTPServerOptions{
		BaseRouter: s.mux,
		ErrorHandlerFunc: func(w http.ResponseWriter, _ *http.Request, err error) {
			writeError(w, invalidArgument("%v", err))
		},
	})
	s.handler = http.HandlerFunc(s.serveHTTP)
	return s, nil
}

// bootstrap creates the root organization, its root users and their keys.
func (s *Server) bootstrap(now time.Time) error {
	st := s.state
	st.mu.Lock()
	defer st.mu.Unlock()
	o := st.newOrg("turnkeytest root organization", "", now)
	if id := s.seededID("root organization"); id != "" { // WithSeed
		delete(st.orgs, o.id)
		o.id = id
		st.orgs[o.id] = o
	}
	r := Root{OrganizationID: o.id, OrganizationName: o.name}
	for i := range 1 + s.cfg.extraRootUsers {
		name := "root"
		if i > 0 {
			name = fmt.Sprintf("root-%d", i+1)
		}
		key, err := s.newRootAPIKey(i)
		if err != nil {
			return fmt.Errorf("turnkeytest: %w", err)
		}
		u := st.newUser(o, name, nil, nil, now)
		if id := s.seededID("root user " + strconv.Itoa(i)); id != "" { // WithSeed
			delete(o.users, u.id)
			u.id = id
			o.users[u.id] = u
		}
		k := &apiKey{name: name + " key", publicKey: key.PublicKey(), curve: stamp.CurveP256, credType: gen.CredentialTypeAPIKeyP256}
		if err := st.addKey(u, k, now); err != nil {
			return err
		}
		o.quorum.userIDs = append(o.quorum.userIDs, u.id)
		if i == 0 {
			r.UserID, r.UserName, r.APIKey = u.id, u.name, key
		} else {
			r.QuorumUserIDs = append(r.QuorumUserIDs, u.id)
			r.QuorumKeys = append(r.QuorumKeys, key)
		}
	}
	o.quorum.threshold = s.cfg.quorumThreshold
	s.root = r
	return nil
}

// Handler returns the simulator as an http.Handler, to mount in another
// server (the paths are /public/v1/...). It is the handler the server's own
// listener uses, faults included.
func (s *Server) Handler() http.Handler { return s.handler }

// Close stops the listener, closes the open connections and waits for the
// requests being handled to end. It may be called more than once.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		if s.srv != nil {
			_ = s.srv.Close()
		}
		s.inflight.Wait()
	})
}

// Root returns the bootstrap organization, its root user and API key.
func (s *Server) Root() Root {
	r := s.root
	r.QuorumUserIDs = append([]string(nil), r.QuorumUserIDs...)
	r.QuorumKeys = append([]*stamp.APIKey(nil), r.QuorumKeys...)
	return r
}

// Client returns an sdk client for s.URL that stamps with the root user's API
// key and acts on the root organization, polling fast (5ms doubling to 50ms,
// for at most 10s), retrying fast (4 attempts, 5ms doubling to 100ms), and
// trusting the simulator's enclave signer for export and import bundles.
// opts are applied after these, so they win.
func (s *Server) Client(opts ...sdk.Option) (*sdk.Client, error) {
	base := []sdk.Option{
		sdk.WithBaseURL(s.URL),
		sdk.WithStamper(s.root.APIKey),
		sdk.WithOrganizationID(s.root.OrganizationID),
		sdk.WithPolling(sdk.PollOptions{InitialDelay: 5 * time.Millisecond, MaxDelay: 50 * time.Millisecond, MaxWait: 10 * time.Second}),
		sdk.WithRetry(sdk.RetryOptions{MaxAttempts: 4, InitialBackoff: 5 * time.Millisecond, MaxBackoff: 100 * time.Millisecond, MaxRetryAfter: 30 * time.Second}),
		sdk.WithEnclaveSigner(s.EnclaveSignerPublicKey()),
	}
	return sdk.New(append(base, opts...)...)
}

// EnclaveSignerPublicKey returns the hex public key of the simulator's
// enclave signer, which signs its export and import bundles: pass it to
// enclave.WithSignerPublicKey to accept them.
func (s *Server) EnclaveSignerPublicKey() string { return s.signer.PublicKeyHex() }

// Stats returns the counters of the server.
func (s *Server) Stats() Stats {
	s.stats.mu.Lock()
	defer s.stats.mu.Unlock()
	out := s.stats.s
	out.Faults = maps.Clone(out.Faults)
	return out
}

// handlers implements gen.StrictServerInterface: the simulated operations
// are its own methods, spread over the files of their domain; the others are
// promoted from unimplemented and answer 501.
type handlers struct {
	// Every endpoint is simulated today, so unimplemented has no methods;
	// it stays so that an endpoint the spec gains answers 501 until then.
	//lint:ignore U1000 see above
	unimplemented
	s *Server
}

var _ gen.StrictServerInterface = (*handlers)(nil)
