package youtubetest

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"fanout/pkg/platform/fakesite"
)

func TestLoggedOutPagesRedirectToGoogleSignin(t *testing.T) {
	s := fakesite.Serve(t, New(fakesite.Options{}))
	toSignin := func(loc string) bool { return strings.HasPrefix(loc, pathSignin+"?service=youtube&continue=") }
	fakesite.CheckLoggedOut(t, s.Kernel, toSignin, pathChannel, pathChannel+"/videos/upload", pathChannel+"/videos")
}

// TestStudioEntriesLeadToTheChannel: Studio's home and the upload entry
// send a logged-in browser to the channel's pages (§3.8: /channel/ in the
// URL), and an expired session to the sign-in.
func TestStudioEntriesLeadToTheChannel(t *testing.T) {
	s := fakesite.Serve(t, New(fakesite.Options{}))
	c := fakesite.Client(t)
	u, _ := url.Parse(s.URL())
	for _, ck := range s.SessionCookies() {
		c.Jar.SetCookies(u, []*http.Cookie{{Name: ck.Name, Value: ck.Value, Path: "/"}})
	}
	for path, want := range map[string]string{"/": pathChannel, "/upload": pathChannel + "/videos/upload?d=ud"} {
		resp := fakesite.Call(t, c, "GET", s.URL()+path, nil)
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusFound || loc != want {
			t.Errorf("GET %s = %d to %q, want 302 to %q", path, resp.StatusCode, loc, want)
		}
	}
	if resp := fakesite.Call(t, c, "GET", s.URL()+"/channel/UCsomeoneelse/videos", nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("another channel's page = %d, want 404", resp.StatusCode)
	}
	fakesite.CheckSession(t, s.Kernel, c, pathChannel+"/videos/upload")
}

func TestAcceptValidates(t *testing.T) {
	s := New(fakesite.Options{})
	ok := createReq{VideoID: "v", Title: " Spring rain ", Description: "Rain", Tags: []string{"a", "b"},
		Audience: "VIDEO_MADE_FOR_KIDS_NOT_MFK", Privacy: "UNLISTED"}
	accepted := func(p Post) bool {
		return p.Title == "Spring rain" && p.Description == "Rain" && slices.Equal(p.Tags, []string{"a", "b"}) &&
			p.Visibility == "UNLISTED" && !p.MadeForKids && p.ScheduleAt.IsZero() && p.ID != ""
	}
	fakesite.CheckAccept(t, s.Kernel, s.accept, ok, accepted, []fakesite.AcceptCase[createReq]{
		{Name: "NoVideo", Edit: func(r *createReq) { r.VideoID = "x" }, Want: "Select a video"},
		{Name: "StillUploading", Edit: func(r *createReq) { r.VideoID = "busy" }, Want: "still uploading"},
		{Name: "NoTitle", Edit: func(r *createReq) { r.Title = " " }, Want: "needs a title"},
		{Name: "LongTitle", Edit: func(r *createReq) { r.Title = strings.Repeat("t", 101) }, Want: "100 characters"},
		{Name: "LongTags", Edit: func(r *createReq) { r.Tags = []string{strings.Repeat("a", 300), strings.Repeat("b", 200)} }, Want: "500"},
		{Name: "NoAudience", Edit: func(r *createReq) { r.Audience = "" }, Want: "made for kids"},
		{Name: "NoVisibility", Edit: func(r *createReq) { r.Privacy = "" }, Want: "visibility"},
		{Name: "ScheduledPrivate", Edit: func(r *createReq) { r.Privacy, r.Schedule = "PRIVATE", time.Now().Add(time.Hour).Unix() }, Want: "goes public"},
		{Name: "ScheduledInThePast", Edit: func(r *createReq) { r.Privacy, r.Schedule = "PUBLIC", time.Now().Add(-time.Hour).Unix() }, Want: "future"},
		{Name: "UnknownThumbnail", Edit: func(r *createReq) { r.ThumbnailID = "nope" }, Want: "Thumbnail"},
	})
}
