package sdk_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/sdk"
)

func TestStampRequestsForTheGeneratedClient(t *testing.T) {
	h := newHarness(t, func(int, recorded) reply { return reply{Body: whoamiBody} })
	c, err := gen.NewClientWithResponses(h.srv.URL, gen.WithRequestEditorFn(sdk.StampRequests(h.key)))
	require.NoError(t, err)
	resp, err := c.WhoamiWithResponse(ctxT(t), gen.WhoamiRequest{OrganizationID: testOrg})
	require.NoError(t, err)
	require.NotNil(t, resp.JSON200, "the harness accepted the stamp: status %d", resp.StatusCode())
	assert.Equal(t, "u", resp.JSON200.UserID)
	require.Len(t, h.requests(), 1)
	assert.Equal(t, testOrg, decode(t, h.requests()[0].Body)["organizationId"])
}
