package flowtest

import (
	"net/http"
	"testing"
	"time"

	"fanout/pkg/platform"
	"fanout/pkg/platform/fakesite"
	"fanout/pkg/platform/platformtest"
)

// Options are the fake sites' options in the driver tests: an upload's
// processing takes 300ms, so the tests spend their time on the flows.
var Options = fakesite.Options{UploadDuration: 300 * time.Millisecond}

// Serve starts the fake site that newSite builds, with Options, for one
// test.
func Serve[S interface {
	http.Handler
	SetURL(string)
}](t testing.TB, newSite func(fakesite.Options) S) S {
	t.Helper()
	return fakesite.Serve(t, newSite(Options))
}

// Site adapts the fake site of kernel k to platformtest.Site, for
// Harness.NewSite.
func Site[P any](k *fakesite.Kernel[P]) platformtest.Site { return site[P]{k} }

type site[P any] struct{ *fakesite.Kernel[P] }

func (s site[P]) Published() []platformtest.Post { return Posts(s.Kernel.Published()) }

// Publish publishes req with d in a fresh tab logged in to the fake site of
// kernel k and returns the result and every post the site recorded, for
// the cases a driver test adds to Exercise.
func Publish[P any](t *testing.T, k *fakesite.Kernel[P], d platform.Driver, req platform.PublishRequest) (platform.PublishResult, []P, error) {
	t.Helper()
	ctx := platformtest.NewTab(t, k.SessionCookies(), 60*time.Second)
	res, err := d.Publish(ctx, req, (&platformtest.Recorder{}).Func)
	return res, k.Published(), err
}
