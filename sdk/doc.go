// Package sdk is the Go client of the Turnkey API.
//
// A Client has one typed method per documented endpoint, generated from
// api/openapi.yaml: queries return their typed response, and submits send the
// activity type version the spec names (for example CreateSubOrganization
// sends ACTIVITY_TYPE_CREATE_SUB_ORGANIZATION_V7), wait for the activity to
// reach a terminal status and return its typed result with the activity.
//
// Every attempt of every request is stamped over the exact bytes it sends, as
// the innermost step. Queries and polls are retried on network errors, 429
// (honouring Retry-After) and 5xx; a submit is retried only by resending the
// byte-identical body, which Turnkey resolves to the same activity, so a retry
// never creates a duplicate. Other 4xx answers are returned at once as
// *APIError.
//
// A terminal status other than COMPLETED is returned as *ActivityError, which
// matches ErrActivityFailed, ErrActivityRejected or ErrConsensusNeeded with
// errors.Is. Polling waits through errors that may pass (429, 5xx, dropped
// connections); a wait that runs out, or meets an error that cannot pass, is
// a *WaitError carrying the last activity seen and the last error. Redirects
// are never followed.
//
// A submit whose outcome is unknown (its retries ran out, or its wait did)
// returns a *SubmitError with the activity ID when known and the fingerprint
// of the exact request; SubmitError.Resume goes on with the same activity
// instead of creating a second one, which calling the method again would do.
//
// The client is silent unless given a logger (WithLogger) and safe for
// concurrent use.
package sdk
