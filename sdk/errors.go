package sdk

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/turnkey-go/turnkey/gen"
)

// Sentinel errors, matched with errors.Is against *APIError and *ActivityError.
var (
	// ErrUnauthenticated: the stamp was missing, malformed or from an unknown key (HTTP 401, rpc code 16).
	ErrUnauthenticated = errors.New("sdk: unauthenticated")
	// ErrPermissionDenied: a policy denied the request (HTTP 403, rpc code 7).
	ErrPermissionDenied = errors.New("sdk: permission denied")
	// ErrNotFound: the resource does not exist (HTTP 404, rpc code 5).
	ErrNotFound = errors.New("sdk: not found")
	// ErrInvalidArgument: the request was malformed (HTTP 400, rpc code 3).
	ErrInvalidArgument = errors.New("sdk: invalid argument")
	// ErrRateLimited: too many requests (HTTP 429, rpc code 8).
	ErrRateLimited = errors.New("sdk: rate limited")
	// ErrUnimplemented: the endpoint is not implemented by the server (HTTP 501, rpc code 12).
	ErrUnimplemented = errors.New("sdk: unimplemented")
	// ErrServer: the server failed (HTTP 5xx).
	ErrServer = errors.New("sdk: server error")

	// ErrActivityFailed matches an activity that ended ACTIVITY_STATUS_FAILED.
	ErrActivityFailed = errors.New("sdk: activity failed")
	// ErrActivityRejected matches an activity that ended ACTIVITY_STATUS_REJECTED.
	ErrActivityRejected = errors.New("sdk: activity rejected")
	// ErrConsensusNeeded matches an activity waiting for more votes
	// (ACTIVITY_STATUS_CONSENSUS_NEEDED): approve or reject it by its fingerprint.
	ErrConsensusNeeded = errors.New("sdk: activity needs consensus")
	// ErrUnexpectedStatus matches an activity that stopped in a status this
	// client does not wait through (for example one needing authenticators).
	ErrUnexpectedStatus = errors.New("sdk: activity stopped in an unexpected status")
	// ErrMissingResult is returned when a COMPLETED activity lacks the result
	// its operation documents.
	ErrMissingResult = errors.New("sdk: completed activity has no result")

	errNilCallStamper = errors.New("sdk: WithCallStamper: nil stamper")
)

// APIError is a non-2xx answer of the API.
type APIError struct {
	Operation  string        // e.g. "create_wallet"
	StatusCode int           // HTTP status
	Code       int           // rpc status code from the body, 0 if absent
	Message    string        // message from the body
	Details    []gen.Any     // details from the body
	Body       []byte        // the raw body
	RetryAfter time.Duration // from the Retry-After header, 0 if absent
}

func newAPIError(op string, status int, body []byte, retryAfter time.Duration) *APIError {
	e := &APIError{Operation: op, StatusCode: status, Body: body, RetryAfter: retryAfter}
	var s gen.Status
	if json.Unmarshal(body, &s) == nil {
		if s.Code != nil {
			e.Code = int(*s.Code)
		}
		if s.Message != nil {
			e.Message = *s.Message
		}
		if s.Details != nil {
			e.Details = *s.Details
		}
	}
	if e.Message == "" {
		e.Message = strings.TrimSpace(string(truncate(body, 200)))
	}
	return e
}

func truncate(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}

// Error describes the failure without the raw body.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "sdk: %s: HTTP %d", e.Operation, e.StatusCode)
	if e.Code != 0 {
		fmt.Fprintf(&b, " (code %d)", e.Code)
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	return b.String()
}

// Is matches the sentinel errors by HTTP status or rpc code.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrUnauthenticated:
		return e.StatusCode == 401 || e.Code == 16
	case ErrPermissionDenied:
		return e.StatusCode == 403 || e.Code == 7
	case ErrNotFound:
		return e.StatusCode == 404 || e.Code == 5
	case ErrInvalidArgument:
		return e.StatusCode == 400 || e.Code == 3
	case ErrRateLimited:
		return e.StatusCode == 429 || e.Code == 8
	case ErrUnimplemented:
		return e.StatusCode == 501 || e.Code == 12
	case ErrServer:
		return e.StatusCode >= 500
	}
	return false
}

// retryable reports whether the status may succeed when sent again.
func (e *APIError) retryable() bool {
	return e.StatusCode == 429 || (e.StatusCode >= 500 && e.StatusCode != 501)
}

// ActivityError is an activity that reached a status other than COMPLETED:
// FAILED, REJECTED or CONSENSUS_NEEDED.
type ActivityError struct {
	ActivityID  string
	Type        gen.ActivityType
	Status      gen.ActivityStatus
	Fingerprint string // approve or reject the activity with it
	Code        int    // from activity.failure, 0 if absent
	Message     string // from activity.failure
	Activity    *gen.Activity
}

func newActivityError(act *gen.Activity) *ActivityError {
	e := &ActivityError{ActivityID: act.ID, Type: act.Type, Status: act.Status, Fingerprint: act.Fingerprint, Activity: act}
	if f := act.Failure; f != nil {
		if f.Code != nil {
			e.Code = int(*f.Code)
		}
		if f.Message != nil {
			e.Message = *f.Message
		}
	}
	return e
}

// Error names the activity, its status and the failure's message.
func (e *ActivityError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "sdk: activity %s (%s) ended %s", e.ActivityID, e.Type, e.Status)
	if e.Status == gen.ActivityStatusConsensusNeeded {
		fmt.Fprintf(&b, "; approve or reject fingerprint %s", e.Fingerprint)
	}
	if e.Code != 0 {
		fmt.Fprintf(&b, " (code %d)", e.Code)
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	return b.String()
}

// Is matches ErrActivityFailed, ErrActivityRejected, ErrConsensusNeeded or
// ErrUnexpectedStatus by status.
func (e *ActivityError) Is(target error) bool {
	switch target {
	case ErrActivityFailed:
		return e.Status == gen.ActivityStatusFailed
	case ErrActivityRejected:
		return e.Status == gen.ActivityStatusRejected
	case ErrConsensusNeeded:
		return e.Status == gen.ActivityStatusConsensusNeeded
	case ErrUnexpectedStatus:
		switch e.Status {
		case gen.ActivityStatusFailed, gen.ActivityStatusRejected, gen.ActivityStatusConsensusNeeded:
			return false
		}
		return true
	}
	return false
}

// WaitError is returned when waiting for an activity stops before it reached a
// terminal status: the maximum wait or the context ran out, or a poll got an
// answer that retrying cannot fix (401, 403, 404, ...). Failed polls that may
// succeed later (429, 5xx, transport errors) do not end a wait; they are
// retried until it runs out. errors.Is and errors.As reach both Err and
// LastErr.
type WaitError struct {
	ActivityID string
	// Activity is the last state seen; it may still complete later.
	Activity *gen.Activity
	// Err is what ended the wait: context.DeadlineExceeded (MaxWait or the
	// context's deadline), context.Canceled, or the poll's error.
	Err error
	// LastErr is the last failed poll's error, nil if every poll got an
	// answer.
	LastErr error
}

// Error names the activity, its last status and what ended the wait.
func (e *WaitError) Error() string {
	status := gen.ActivityStatus("unknown")
	if e.Activity != nil {
		status = e.Activity.Status
	}
	msg := fmt.Sprintf("sdk: stopped waiting for activity %s (last status %s): %v", e.ActivityID, status, e.Err)
	if e.LastErr != nil && e.LastErr != e.Err {
		msg += fmt.Sprintf(" (last poll: %v)", e.LastErr)
	}
	return msg
}

// Unwrap returns Err and LastErr.
func (e *WaitError) Unwrap() []error {
	switch {
	case e.LastErr == nil || e.LastErr == e.Err:
		return []error{e.Err}
	case e.Err == nil:
		return []error{e.LastErr}
	}
	return []error{e.Err, e.LastErr}
}

// TransportError is a failure to get any HTTP answer: connection refused or
// reset, a timeout of the attempt, a body cut short.
type TransportError struct {
	Operation string
	Err       error
}

// Error names the operation and the cause.
func (e *TransportError) Error() string {
	return fmt.Sprintf("sdk: %s: %v", e.Operation, e.Err)
}

// Unwrap returns the cause.
func (e *TransportError) Unwrap() error { return e.Err }
