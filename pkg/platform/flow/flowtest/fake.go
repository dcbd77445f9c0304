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

// Fake is what flowtest needs of a platform's fake site, a
// fakesite.Kernel whose posts are of the platform's type P: what Serve
// needs, the controls of platformtest.Site and the posts.
type Fake[P any] interface {
	http.Handler
	SetURL(string)
	platformtest.Controls
	Published() []P
}

// Serve starts the fake site that newSite builds, with Options, for one
// test.
func Serve[S Fake[P], P any](t testing.TB, newSite func(fakesite.Options) S) S {
	t.Helper()
	return fakesite.Serve(t, newSite(Options))
}

// Sites returns the Harness.NewSite that serves the fake site newSite
// builds.
func Sites[S Fake[P], P any](newSite func(fakesite.Options) S) func(t *testing.T) platformtest.Site {
	return func(t *testing.T) platformtest.Site { return site[P]{Serve(t, newSite)} }
}

// site adapts a Fake to platformtest.Site.
type site[P any] struct{ Fake[P] }

func (s site[P]) Published() []platformtest.Post { return Posts(s.Fake.Published()) }

// Publish publishes req with d in a fresh tab logged in to site and
// returns the result and every post the site recorded, for the cases a
// driver test adds to Exercise.
func Publish[P any](t *testing.T, site Fake[P], d platform.Driver, req platform.PublishRequest) (platform.PublishResult, []P, error) {
	t.Helper()
	ctx := platformtest.NewTab(t, site.SessionCookies(), 60*time.Second)
	res, err := d.Publish(ctx, req, (&platformtest.Recorder{}).Func)
	return res, site.Published(), err
}

// Declarations tests a platform's Declaration: each key of want, with def
// as the default, must become its value.
func Declarations(t *testing.T, declaration func(decl, def string) string, def string, want map[string]string) {
	t.Helper()
	for in, w := range want {
		if got := declaration(in, def); got != w {
			t.Errorf("Declaration(%q) = %q, want %q", in, got, w)
		}
	}
}
