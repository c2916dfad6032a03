package sdk

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/gen"
)

// BenchFixture reads a recorded answer of testdata/bench (see
// sdk/fixtures_test.go). It is exported for the package's external tests
// only.
func BenchFixture(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "bench", name))
	if err != nil {
		tb.Fatalf("bench fixture %s: %v (record with go test ./sdk/ -run TestRecordBenchFixtures -record-fixtures)", name, err)
	}
	return b
}

// fixtureDirs are the directories of realistic answers the decoding tests
// run on: ours, and the shared bench fixtures beside the repository (or
// TURNKEY_BENCH_FIXTURES) as a cross-check where they are present.
func fixtureDirs(t *testing.T) []string {
	dirs := []string{filepath.Join("testdata", "bench")}
	shared := os.Getenv("TURNKEY_BENCH_FIXTURES")
	if shared == "" {
		shared = filepath.Join("..", "..", "shared", "bench-fixtures")
	}
	if _, err := os.Stat(shared); err == nil {
		dirs = append(dirs, shared)
	} else {
		t.Logf("no shared bench fixtures at %s: only testdata/bench is decoded", shared)
	}
	return dirs
}

// TestFixturesDecode checks that realistic API answers decode, through the
// client's decoder, into the generated types without losing their parts.
func TestFixturesDecode(t *testing.T) {
	for _, dir := range fixtureDirs(t) {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			read := func(name string) []byte {
				b, err := os.ReadFile(filepath.Join(dir, name))
				require.NoError(t, err)
				return b
			}
			var who gen.WhoamiReply
			require.NoError(t, decodeJSON(read("whoami.json"), &who))
			assert.NotEmpty(t, who.Username)
			assert.NotEmpty(t, who.OrganizationID)

			var sign gen.ActivityResponse
			require.NoError(t, decodeJSON(read("sign_raw_payload_completed.json"), &sign))
			require.NotNil(t, sign.Activity.Result.SignRawPayloadResult)
			assert.Len(t, sign.Activity.Result.SignRawPayloadResult.R, 64)
			require.NotNil(t, sign.Activity.Intent.SignRawPayloadIntentV2)
			assert.Equal(t, gen.HashFunctionNoOp, sign.Activity.Intent.SignRawPayloadIntentV2.HashFunction)
			require.NotEmpty(t, sign.Activity.Votes)
			assert.NotEmpty(t, sign.Activity.Votes[0].UserID)

			var wallet gen.ActivityResponse
			require.NoError(t, decodeJSON(read("create_wallet_completed.json"), &wallet))
			require.NotNil(t, wallet.Activity.Result.CreateWalletResult)
			assert.NotEmpty(t, wallet.Activity.Result.CreateWalletResult.Addresses)

			var list gen.ListActivitiesReply
			require.NoError(t, decodeJSON(read("list_activities_10.json"), &list))
			assert.Len(t, list.Activities, 10)
			for _, a := range list.Activities {
				assert.Equal(t, gen.ActivityStatusCompleted, a.Status)
				assert.NotEmpty(t, a.Fingerprint)
			}
		})
	}
}

func TestDecodeIgnoresUnknownMembers(t *testing.T) {
	var who gen.WhoamiReply
	require.NoError(t, decodeJSON([]byte(`{"organizationId":"o","organizationName":"n","userId":"u","username":"x","newField":{"a":1}}`), &who))
	assert.Equal(t, "u", who.UserID)
	assert.Error(t, decodeJSON([]byte(`{"userId": 5}`), &who), "a wrong type is an error")
}

// benchmarkDecode measures decodeActivities (the generated decoders) and,
// as the reference, JSON v2's reflection on one fixture, decoding into a
// fresh value each time as the client does.
func benchmarkDecode[T any](b *testing.B, fixture string) {
	data := BenchFixture(b, fixture)
	for _, path := range []struct {
		name   string
		decode func([]byte, any) error
	}{{"generated", decodeJSON}, {"reflection", decodeActivitiesReflect}} {
		b.Run(path.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				out := new(T)
				if err := path.decode(data, out); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkDecodeGetActivity(b *testing.B) {
	benchmarkDecode[gen.ActivityResponse](b, "create_wallet_completed.json")
}

// BenchmarkDecodeSignRawPayload decodes the answer BenchmarkInterleaved's
// sign_raw_payload calls get.
func BenchmarkDecodeSignRawPayload(b *testing.B) {
	benchmarkDecode[gen.ActivityResponse](b, "sign_raw_payload_completed.json")
}

func BenchmarkDecodeListActivities(b *testing.B) {
	benchmarkDecode[gen.ListActivitiesReply](b, "list_activities_10.json")
}

// Both decoders treat duplicate names and invalid UTF-8 alike.
func TestDecodersAgree(t *testing.T) {
	for _, in := range []string{
		`{"userId":"a","userId":"b","username":"x"}`,
		"{\"userId\":\"a\xffb\",\"username\":\"x\"}",
	} {
		var v1, v2 gen.WhoamiReply
		require.NoError(t, decodeAnswer([]byte(in), &v1), in)
		require.NoError(t, decodeActivities([]byte(in), &v2), in)
		assert.Equal(t, v1, v2, in)
	}
}
