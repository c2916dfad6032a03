package sdk_test

import (
	"os"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/sdk"
)

// changelogVersion returns the newest versioned heading of a changelog (the
// first "## [X.Y.Z] - ..." after "## [Unreleased]") and its date part.
func changelogVersion(changelog string) (version, date string, ok bool) {
	re := regexp.MustCompile(`(?m)^## \[(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)\] - (\d{4}-\d{2}-\d{2}|unreleased)\s*$`)
	m := re.FindStringSubmatch(changelog)
	if m == nil {
		return "", "", false
	}
	return m[1], m[2], true
}

// TestVersionMatchesChangelog: sdk.Version is the newest versioned heading
// of CHANGELOG.md, released (dated) or being prepared ("unreleased"); see
// RELEASING.md.
func TestVersionMatchesChangelog(t *testing.T) {
	b, err := os.ReadFile("../CHANGELOG.md")
	require.NoError(t, err)
	text := string(b)
	unreleased := regexp.MustCompile(`(?m)^## \[Unreleased\]\s*$`).FindStringIndex(text)
	require.NotNil(t, unreleased, "CHANGELOG.md needs an ## [Unreleased] section")
	version, _, ok := changelogVersion(text[unreleased[1]:])
	require.True(t, ok, "CHANGELOG.md needs a heading \"## [X.Y.Z] - YYYY-MM-DD\" (or \"- unreleased\") below Unreleased")
	assert.Equal(t, version, sdk.Version, "sdk.Version must be the newest version of CHANGELOG.md (RELEASING.md)")
}

func TestChangelogVersion(t *testing.T) {
	for in, want := range map[string]string{
		"## [1.2.3] - 2026-12-01\n":      "1.2.3",
		"## [0.2.0] - unreleased\n":      "0.2.0",
		"## [1.0.0-rc.1] - 2027-01-02\n": "1.0.0-rc.1",
		"## [1.2] - 2026-12-01\n":        "",
		"## [1.2.3] - soon\n":            "",
	} {
		got, _, _ := changelogVersion(in)
		assert.Equal(t, want, got, in)
	}
}
