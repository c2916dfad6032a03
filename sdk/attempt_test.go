package sdk

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/stamp"
)

// countingDial records how many dials it was asked for; its connections
// lead nowhere.
type countingDial struct{ n atomic.Int32 }

func (d *countingDial) dial(context.Context, string, string) (net.Conn, error) {
	d.n.Add(1)
	c1, c2 := net.Pipe()
	_ = c2.Close()
	return c1, nil
}

// gotConn is what net/http does when it hands the attempt of ctx a
// connection.
func gotConn(ctx context.Context) {
	httptrace.ContextClientTrace(ctx).GotConn(httptrace.GotConnInfo{Reused: true})
}

// A dial for an attempt that already has a connection is left out; one for
// an attempt still waiting, or made outside any attempt, is made; an attempt
// sent again (GetBody) may dial again.
func TestDialLeftOutForAttemptWithConnection(t *testing.T) {
	var d countingDial
	var b connBudget
	dial := b.dial(d.dial)

	conn, err := dial(context.Background(), "tcp", "x:1")
	require.NoError(t, err, "no attempt in the context: an ordinary dial")
	require.NoError(t, conn.Close())

	s, actx := newAttemptState(context.Background(), &b, []byte(`{"a":1}`))
	defer s.end()
	conn, err = dial(actx, "tcp", "x:1")
	require.NoError(t, err, "the attempt has no connection: it needs this one")
	assert.EqualValues(t, 2, d.n.Load())

	gotConn(actx)
	// A dial's context is detached from the request's cancellation but keeps
	// its values, as net/http's is.
	_, err = dial(context.WithoutCancel(actx), "tcp", "x:1")
	assert.ErrorIs(t, err, errConnNotNeeded, "the attempt got a connection")
	assert.EqualValues(t, 2, d.n.Load(), "no dial was made")

	again, err := s.getBody()
	require.NoError(t, err)
	got, err := io.ReadAll(again)
	require.NoError(t, err)
	assert.Equal(t, `{"a":1}`, string(got), "the same bytes")
	require.NoError(t, conn.Close(), "so that the attempt does not wait for it")
	conn, err = dial(actx, "tcp", "x:1")
	require.NoError(t, err, "sent again: it may need a new connection")
	require.NoError(t, conn.Close())
	assert.EqualValues(t, 3, d.n.Load())
	assert.Zero(t, b.open.Load(), "every connection closed")
}

// While there are as many connections as attempts in flight, a dial waits:
// the connection that comes free serves its attempt and the dial is left
// out. A new attempt (more demand than connections) lets it go ahead.
func TestDialWaitsForConnectionComingFree(t *testing.T) {
	var d countingDial
	var b connBudget
	dial := b.dial(d.dial)
	first, fctx := newAttemptState(context.Background(), &b, nil)
	conn, err := dial(fctx, "tcp", "x:1")
	require.NoError(t, err)
	defer conn.Close()
	first.end() // its connection is on its way back to the pool

	s, actx := newAttemptState(context.Background(), &b, nil)
	defer s.end()
	done := make(chan error, 1)
	go func() {
		_, err := dial(actx, "tcp", "x:1")
		done <- err
	}()
	gotConn(actx) // the connection came free and went to it
	assert.ErrorIs(t, <-done, errConnNotNeeded)
	assert.EqualValues(t, 1, d.n.Load(), "one connection for two attempts one after the other")

	// Two attempts at once and one connection: the second dials.
	u, uctx := newAttemptState(context.Background(), &b, nil)
	defer u.end()
	v, _ := newAttemptState(context.Background(), &b, nil)
	defer v.end()
	c2, err := dial(uctx, "tcp", "x:1")
	require.NoError(t, err)
	require.NoError(t, c2.Close())
	assert.EqualValues(t, 2, d.n.Load())
	assert.EqualValues(t, 1, b.open.Load())
}

// A dial that waited dialHold without its attempt getting a connection goes
// ahead, even while the connections look enough.
func TestDialWaitIsBounded(t *testing.T) {
	var d countingDial
	var b connBudget
	dial := b.dial(d.dial)
	s, actx := newAttemptState(context.Background(), &b, nil)
	defer s.end()
	b.open.Add(1) // a connection that never comes free
	conn, err := dial(actx, "tcp", "x:1")
	require.NoError(t, err)
	require.NoError(t, conn.Close())
	require.NoError(t, conn.Close(), "closing twice counts once")
	assert.EqualValues(t, 1, d.n.Load())
	assert.EqualValues(t, 1, b.open.Load())
	s.end()
	s.end()
	assert.Zero(t, b.inflight.Load(), "ending twice counts once")
}

// The attempt's context is its parent's in every other way: values,
// cancellation and its cause.
func TestAttemptContextIsItsParent(t *testing.T) {
	type key struct{}
	parent, cancel := context.WithCancelCause(context.WithValue(context.Background(), key{}, "v"))
	s, actx := newAttemptState(parent, nil, nil)
	assert.Equal(t, "v", actx.Value(key{}))
	assert.Same(t, s, attemptOf(actx))
	child, stop := context.WithCancel(actx)
	defer stop()
	cause := context.DeadlineExceeded
	cancel(cause)
	<-child.Done()
	assert.ErrorIs(t, context.Cause(child), cause)
	assert.ErrorIs(t, actx.Err(), context.Canceled)
}

// Many calls at once on a cold client, with a server that closes some
// connections after answering, all succeed: a dial left out never fails a
// call that still needed it, and no attempt stays counted.
// (BenchmarkConcurrent measures how many connections are opened.)
func TestConcurrentCallsWithDialsLeftOut(t *testing.T) {
	var served atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if served.Add(1)%7 == 0 {
			w.Header().Set("Connection", "close")
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"organizationId":"o","organizationName":"n","userId":"u","username":"x"}`)
	}))
	defer srv.Close()
	key, err := stamp.GenerateAPIKey(stamp.CurveP256)
	require.NoError(t, err)
	c, err := New(WithBaseURL(srv.URL), WithStamper(key), WithOrganizationID("o"))
	require.NoError(t, err)
	require.NotNil(t, c.conns)
	var wg sync.WaitGroup
	var failed atomic.Int32
	for range 32 {
		wg.Go(func() {
			for range 10 {
				if _, err := c.Whoami(context.Background(), gen.WhoamiRequest{}); err != nil {
					failed.Add(1)
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	assert.Zero(t, failed.Load())
	assert.EqualValues(t, 320, served.Load())
	assert.Zero(t, c.conns().inflight.Load(), "every attempt ended")
}
