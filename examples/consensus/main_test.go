package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

func TestConsensus(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var out bytes.Buffer
	if err := run(ctx, &out); err != nil {
		t.Fatalf("run: %v\noutput:\n%s", err, out.String())
	}
	got := out.String()
	for _, want := range []string{
		"root quorum 2 of 2",
		"is ACTIVITY_STATUS_CONSENSUS_NEEDED",
		"fingerprint ",
		"2. root user 2 approved it",
		"is ACTIVITY_STATUS_COMPLETED with 2 vote(s)",
		"consensus reached",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
}
