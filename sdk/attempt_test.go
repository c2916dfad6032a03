package sdk

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

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

// A dial for an attempt that has ended is left out; one for an attempt in
// flight with no connection to spare, or made outside any attempt, is made.
func TestDialLeftOutForEndedAttempt(t *testing.T) {
	var d countingDial
	var b connBudget
	dial := b.dial(d.dial)

	conn, err := dial(context.Background(), "tcp", "x:1")
	require.NoError(t, err, "no attempt in the context: an ordinary dial")
	require.NoError(t, conn.Close())

	s := newAttemptState(context.Background(), &b)
	conn, err = dial(s, "tcp", "x:1")
	require.NoError(t, err, "the attempt has no connection: it needs this one")
	assert.EqualValues(t, 2, d.n.Load())
	assert.EqualValues(t, 1, b.open.Load())
	require.NoError(t, conn.Close())
	assert.Zero(t, b.open.Load())

	s.end()
	// A dial's context is detached from the request's cancellation but keeps
	// its values, as net/http's is.
	_, err = dial(context.WithoutCancel(s), "tcp", "x:1")
	assert.ErrorIs(t, err, errConnNotNeeded, "the attempt was served")
	assert.EqualValues(t, 2, d.n.Load(), "no dial was made")
}

// While there are as many connections as attempts in flight, a dial waits:
// the connection that comes free serves its attempt, which ends, and the dial
// is left out. More attempts than connections let a dial go ahead at once.
func TestDialWaitsForConnectionComingFree(t *testing.T) {
	var d countingDial
	b := connBudget{hold: time.Minute} // however slow the machine
	dial := b.dial(d.dial)
	first := newAttemptState(context.Background(), &b)
	conn, err := dial(first, "tcp", "x:1")
	require.NoError(t, err)
	defer conn.Close()
	first.end() // its connection is on its way back to the pool

	s := newAttemptState(context.Background(), &b)
	done := make(chan error, 1)
	go func() {
		_, err := dial(s, "tcp", "x:1")
		done <- err
	}()
	// Time for a dial that would not wait to go ahead (then this test
	// fails); this one waits however long this takes.
	time.Sleep(20 * time.Millisecond)
	s.end() // the connection came free, served it, and the call is over
	assert.ErrorIs(t, <-done, errConnNotNeeded)
	assert.EqualValues(t, 1, d.n.Load(), "one connection for two attempts one after the other")

	// Two attempts at once and one connection: the second dials.
	u := newAttemptState(context.Background(), &b)
	defer u.end()
	v := newAttemptState(context.Background(), &b)
	defer v.end()
	c2, err := dial(u, "tcp", "x:1")
	require.NoError(t, err)
	require.NoError(t, c2.Close())
	assert.EqualValues(t, 2, d.n.Load())
	assert.EqualValues(t, 1, b.open.Load())
}

// A dial that waited dialHold without its attempt ending goes ahead, even
// while the connections look enough; one whose context ends stops waiting.
func TestDialWaitIsBounded(t *testing.T) {
	var d countingDial
	b := connBudget{hold: time.Millisecond}
	dial := b.dial(d.dial)
	s := newAttemptState(context.Background(), &b)
	b.open.Add(1) // a connection that never comes free
	conn, err := dial(s, "tcp", "x:1")
	require.NoError(t, err)
	require.NoError(t, conn.Close())
	require.NoError(t, conn.Close(), "closing twice counts once")
	assert.EqualValues(t, 1, d.n.Load())
	assert.EqualValues(t, 1, b.open.Load())

	ctx, cancel := context.WithCancel(s)
	cancel()
	_, err = dial(ctx, "tcp", "x:1")
	assert.ErrorIs(t, err, context.Canceled)
	assert.EqualValues(t, 1, d.n.Load())

	s.end()
	s.end()
	assert.Zero(t, b.inflight.Load(), "ending twice counts once")
}

// The attempt's context is its parent's in every other way: values,
// cancellation and its cause.
func TestAttemptContextIsItsParent(t *testing.T) {
	type key struct{}
	parent, cancel := context.WithCancelCause(context.WithValue(context.Background(), key{}, "v"))
	s := newAttemptState(parent, new(connBudget))
	assert.Equal(t, "v", s.Value(key{}))
	assert.Same(t, s, attemptOf(context.WithValue(s, key{}, "w")))
	child, stop := context.WithCancel(s)
	defer stop()
	cause := context.DeadlineExceeded
	cancel(cause)
	<-child.Done()
	assert.ErrorIs(t, context.Cause(child), cause)
	assert.ErrorIs(t, s.Err(), context.Canceled)
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
