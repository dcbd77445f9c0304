package youtube_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"fanout/pkg/platform"
	"fanout/pkg/platform/flow"
	"fanout/pkg/platform/flow/flowtest"
	"fanout/pkg/platform/platformtest"
	"fanout/pkg/platform/youtube"
	"fanout/pkg/platform/youtube/youtubetest"
)

// TestDriver runs the conformance suite and flow's cases (refused
// requests, a title cut to 100, an upload that keeps failing) against the
// fake Studio. Login is a cookie import: the suite checks it refuses.
func TestDriver(t *testing.T) {
	flowtest.Exercise(t, flowtest.Harness{
		Invalid: map[string]platform.PublishRequest{
			"DraftNotSupported":  flowtest.Request("invalid", func(r *platform.PublishRequest) { r.Draft = true }),
			"NoTitle":            flowtest.Request("invalid", func(r *platform.PublishRequest) { r.Title = " " }),
			"UnknownVisibility":  flowtest.Request("invalid", func(r *platform.PublishRequest) { r.Visibility = "friends" }),
			"ScheduledUnlisted":  flowtest.Request("invalid", func(r *platform.PublishRequest) { r.Visibility, r.ScheduleAt = "unlisted", time.Now().Add(3*time.Hour) }),
			"DeclarationRefused": flowtest.Request("invalid", func(r *platform.PublishRequest) { r.Declaration = "内容由AI生成" }),
		},
		TitleLimit: 100,
		Title:      youtube.Title,
		Conformance: platformtest.Harness{
			CookieLogin:  true,
			SuccessToast: true,
		},
		NewDriver: newDriver,
		NewSite:   flowtest.Sites(youtubetest.New),
	})
}

// TestPublishVisibilityAudienceAndTags: the title replaces the prefilled
// file name (a #word in it opens the suggestions, which are closed), the
// description keeps its lines, the tags become chips, and unlisted and
// made for kids are what the site records.
func TestPublishVisibilityAudienceAndTags(t *testing.T) {
	site := flowtest.Serve(t, youtubetest.New)
	req := platformtest.Request("Spring rain #Shorts")
	req.Description = "Rain on the window\nand on the roof"
	req.Tags = []string{"#spring", "slow living", "", "vlog"}
	req.Visibility = "unlisted"
	kids := true
	req.MadeForKids = &kids
	res, posts, err := flowtest.Publish(t, site, newDriver(site.URL(), flowtest.Timeouts), req)
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}
	if len(posts) != 1 {
		t.Fatalf("posts = %+v, want 1", posts)
	}
	p := posts[0]
	if p.Title != "Spring rain #Shorts" || p.Description != req.Description || !slices.Equal(p.Tags, []string{"spring", "slowliving", "vlog"}) {
		t.Errorf("post = %+v, want the typed title, description and tags", p)
	}
	if p.Visibility != "UNLISTED" || !p.MadeForKids || !p.ScheduleAt.IsZero() {
		t.Errorf("post visibility %q, made for kids %v, schedule %v; want UNLISTED, true, none", p.Visibility, p.MadeForKids, p.ScheduleAt)
	}
	if want := "/watch?v=" + p.ID; !strings.HasSuffix(res.URL, want) {
		t.Errorf("result URL = %q, want the watch link ending in %q", res.URL, want)
	}
}

// TestTags: tags are cleaned, at most 30, and dropped whole beyond 500
// characters joined by commas.
func TestTags(t *testing.T) {
	var many []string
	for i := range 40 {
		many = append(many, strings.Repeat("t", 9)+string(rune('a'+i%26)))
	}
	if got := youtube.Tags(many); len(got) != 30 {
		t.Errorf("Tags(40 short) = %d tags, want 30", len(got))
	}
	long := []string{strings.Repeat("a", 300), strings.Repeat("b", 199), "c", "dd"}
	got := youtube.Tags(long)
	if len(got) != 2 || len(strings.Join(got, ",")) != 500 {
		t.Errorf("Tags(long) = %d tags of %d characters, want the first two (500)", len(got), len(strings.Join(got, ",")))
	}
}

// TestLoginRefusesNamingCookieImport: Google's sign-in is by hand; Login
// says how to add the account instead, without opening a page.
func TestLoginRefusesNamingCookieImport(t *testing.T) {
	err := youtube.New(youtube.Config{}).Login(t.Context(), func(platform.Challenge) error {
		t.Error("no challenge expected")
		return nil
	})
	if !errors.Is(err, platform.ErrInvalidRequest) || !strings.Contains(err.Error(), "PUT /api/v1/accounts/{id}/cookies") {
		t.Fatalf("Login = %v, want ErrInvalidRequest naming the cookie import", err)
	}
}

// newDriver points the driver at the fake at baseURL, its waits bounded by
// to.
func newDriver(baseURL string, to flow.Timeouts) platform.Driver {
	return youtube.New(youtube.Config{BaseURL: baseURL, Timeouts: to})
}
