package flowtest

import (
	"context"
	"errors"
	"testing"

	"fanout/pkg/platform"
	"fanout/pkg/platform/fakesite"
	"fanout/pkg/platform/platformtest"
)

// ImageNote publishes an image note of three images titled title through
// d to site and checks the site holds exactly one post of them: no video,
// the images in their order. of reads a post's media. It returns
// the request and the post for the platform's own checks.
func ImageNote[P any](t *testing.T, site Fake[P], d platform.Driver, title string, of func(P) fakesite.Media) (platform.PublishRequest, platform.PublishResult, P) {
	t.Helper()
	req := platformtest.NoteRequest(t, title, 3)
	res, posts, err := Publish(t, site, d, req)
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}
	if len(posts) != 1 {
		t.Fatalf("posts = %+v, want 1", posts)
	}
	m := of(posts[0])
	shas := make([]string, len(m.Images))
	for i, im := range m.Images {
		shas[i] = im.SHA256
	}
	if why := platformtest.NoteImagesMatch(t, shas, req.ImagePaths); why != "" {
		t.Error(why)
	}
	if m.VideoSHA256 != "" {
		t.Errorf("post = %+v, want no video", posts[0])
	}
	return req, res, posts[0]
}

// ImageNoteOverLimit checks a note of one image more than n's capabilities
// allow is refused before any page (the context has no tab).
func ImageNoteOverLimit(t *testing.T, d platform.Driver) {
	t.Helper()
	req := platformtest.NoteRequest(t, "太多图片", platform.CapabilitiesOf(d.Name()).ImageNotesMax+1)
	if _, err := d.Publish(context.Background(), req, (&platformtest.Recorder{}).Func); !errors.Is(err, platform.ErrInvalidRequest) {
		t.Fatalf("a note over the limit: err = %v, want ErrInvalidRequest", err)
	}
}
