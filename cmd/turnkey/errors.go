package main

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/sdk"
)

// rpcCodes names the gRPC status codes that Turnkey's error bodies carry.
var rpcCodes = [...]string{
	"OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
	"ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
	"ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
	"UNAUTHENTICATED",
}

// describe is the message printed for err on stderr, after "turnkey
// <command>: ": for API and activity errors, what happened and what to do
// next. The command name is the only prefix: the "sdk: " that the SDK's
// errors begin with is dropped, and a transport error is told by its cause
// (which names the URL) without the SDK's operation prefix.
func describe(err error) string {
	var submitErr *sdk.SubmitError
	if errors.As(err, &submitErr) {
		// Keep what wraps it (a --timeout), say what the cause was.
		return strings.TrimSuffix(err.Error(), submitErr.Error()) + describeUnknownOutcome(submitErr)
	}
	var (
		apiErr  *sdk.APIError
		actErr  *sdk.ActivityError
		waitErr *sdk.WaitError
		netErr  *sdk.TransportError
	)
	switch {
	case errors.As(err, &apiErr):
		var b strings.Builder
		fmt.Fprintf(&b, "API error: status %d", apiErr.StatusCode)
		if t := http.StatusText(apiErr.StatusCode); t != "" {
			b.WriteString(" " + t)
		}
		if apiErr.Code != 0 {
			fmt.Fprintf(&b, ", code %d", apiErr.Code)
			if apiErr.Code > 0 && apiErr.Code < len(rpcCodes) {
				fmt.Fprintf(&b, " (%s)", rpcCodes[apiErr.Code])
			}
		}
		if apiErr.Message != "" {
			fmt.Fprintf(&b, ": %s", apiErr.Message)
		}
		if apiErr.Operation != "" {
			fmt.Fprintf(&b, " [%s]", apiErr.Operation)
		}
		return b.String()
	case errors.As(err, &actErr):
		msg := unprefixed(err.Error())
		if actErr.Status == gen.ActivityStatusConsensusNeeded {
			msg += fmt.Sprintf("\nother members of the quorum can approve it with:\n  turnkey request approve_activity --body '{\"fingerprint\":%q}'", actErr.Fingerprint)
		}
		return msg
	case errors.As(err, &waitErr):
		return fmt.Sprintf("%s\nthe activity may still finish; look at it with:\n  turnkey request get_activity --body '{\"activityId\":%q}'", unprefixed(err.Error()), waitErr.ActivityID)
	case errors.As(err, &netErr):
		return fmt.Sprintf("cannot reach the API: %v", netErr.Err)
	}
	return unprefixed(err.Error())
}

// unprefixed drops the "sdk: " that the SDK's errors begin with.
func unprefixed(msg string) string { return strings.TrimPrefix(msg, "sdk: ") }

// describeUnknownOutcome explains a submit whose outcome is unknown: running
// the command again would create a second activity.
func describeUnknownOutcome(e *sdk.SubmitError) string {
	msg := describe(e.Err) + "\nthe activity may have been created (request fingerprint " + e.Fingerprint + "); running the command again creates a NEW activity."
	if e.ActivityID != "" {
		return msg + fmt.Sprintf("\nlook at it with:\n  turnkey request get_activity --body '{\"activityId\":%q}'", e.ActivityID)
	}
	return msg + "\nlook for it with:\n  turnkey request list_activities"
}
