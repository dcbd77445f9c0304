package tiktok_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"fanout/pkg/platform"
	"fanout/pkg/platform/flow"
	"fanout/pkg/platform/flow/flowtest"
	"fanout/pkg/platform/platformtest"
	"fanout/pkg/platform/tiktok"
	"fanout/pkg/platform/tiktok/tiktoktest"
)

// TestDriver runs the conformance suite and flow's cases (a refused
// request, a disclosure the page does not offer, an upload that keeps
// failing, a login nobody scans) against the fake site.
func TestDriver(t *testing.T) {
	flowtest.Exercise(t, flowtest.Harness{
		Invalid: map[string]platform.PublishRequest{
			"ScheduleTooLate": flowtest.Request("invalid", func(r *platform.PublishRequest) {
				r.ScheduleAt = time.Now().AddDate(0, 0, 11).Truncate(5 * time.Minute)
			}),
			"ScheduleOffStep": flowtest.Request("invalid", func(r *platform.PublishRequest) {
				r.ScheduleAt = time.Now().Add(3 * time.Hour).Truncate(5 * time.Minute).Add(2 * time.Minute)
			}),
			"DraftNotSupported": flowtest.Request("invalid", func(r *platform.PublishRequest) { r.Draft = true }),
			"NoTitle":           flowtest.Request("invalid", func(r *platform.PublishRequest) { r.Title = " " }),
		},
		Refused: map[string]flowtest.Refusal{"UnofferedDeclaration": {
			Req: flowtest.Request("Unknown disclosure", func(r *platform.PublishRequest) { r.Declaration = "内容取材网络" }), Want: "Your brand"}},
		Conformance: platformtest.Harness{
			// The time picker offers minutes in steps of 5.
			ScheduleStep: 5 * time.Minute,
			// TikTok's disclosures are its own; "Your brand" is one besides the
			// default AI-generated content.
			Declaration: "Your brand",
			// The fake shows its success toast before the content page.
			SuccessToast: true,
			// AI-generated content is on by default; the fake marks its
			// switch data-option="declaration".
			DefaultOption: "declaration",
			Explicit:      func(r *platform.PublishRequest) { r.Declaration = tiktok.DefaultDeclaration },
		},
		NewDriver: newDriver,
		NewSite:   flowtest.Sites(tiktoktest.New),
	})
}

func TestPublishCaptionReplacesFileNameAndDefaultDisclosure(t *testing.T) {
	site := flowtest.Serve(t, tiktoktest.New)
	req := platformtest.Request("Spring rain")
	req.Description = "Rain on the window"
	req.Tags = []string{"#spring", "slow living", "", "vlog"}
	_, posts, err := flowtest.Publish(t, site, newDriver(site.URL(), flowtest.Timeouts), req)
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}
	if len(posts) != 1 {
		t.Fatalf("posts = %+v, want 1", posts)
	}
	p := posts[0]
	if p.Title != "Spring rain" || p.Description != req.Description || !slices.Equal(p.Tags, []string{"spring", "slowliving", "vlog"}) {
		t.Errorf("post = %+v, want the typed caption (the prefilled file name replaced)", p)
	}
	if p.Declaration != tiktok.DefaultDeclaration {
		t.Errorf("declaration = %q, want the default %q", p.Declaration, tiktok.DefaultDeclaration)
	}
}

func TestFindPublishedReturnsTheVideoURL(t *testing.T) {
	site := flowtest.Serve(t, tiktoktest.New)
	req := platformtest.Request("Find me")
	if _, _, err := flowtest.Publish(t, site, newDriver(site.URL(), flowtest.Timeouts), req); err != nil {
		t.Fatalf("Publish: %v", err)
	}
	ctx := platformtest.NewTab(t, site.SessionCookies(), 30*time.Second)
	res, found, err := newDriver(site.URL(), flowtest.Timeouts).FindPublished(ctx, req)
	if err != nil || !found {
		t.Fatalf("FindPublished = %v, %v; want found", found, err)
	}
	if want := "/video/" + site.Published()[0].ID; !strings.HasSuffix(res.URL, want) {
		t.Errorf("result URL = %q, want the video's page ending in %q", res.URL, want)
	}
}

func TestPublishScheduleNextWeek(t *testing.T) {
	site := flowtest.Serve(t, tiktoktest.New)
	req := platformtest.Request("Scheduled for next week")
	at := time.Now().AddDate(0, 0, 7)
	req.ScheduleAt = time.Date(at.Year(), at.Month(), at.Day(), 21, 35, 0, 0, time.Local)
	_, posts, err := flowtest.Publish(t, site, newDriver(site.URL(), flowtest.Timeouts), req)
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}
	if len(posts) != 1 || !posts[0].ScheduleAt.Equal(req.ScheduleAt) {
		t.Fatalf("posts = %+v, want one scheduled at %v", posts, req.ScheduleAt)
	}
}

func TestDeclarationAliases(t *testing.T) {
	flowtest.Declarations(t, tiktok.Declaration, tiktok.DefaultDeclaration, map[string]string{"": tiktok.DefaultDeclaration,
		"内容由AI生成": tiktok.DefaultDeclaration, "含AI生成内容": tiktok.DefaultDeclaration, "Branded content": "Branded content"})
}

// newDriver points the driver at the fake at baseURL, its waits bounded by
// to.
func newDriver(baseURL string, to flow.Timeouts) platform.Driver {
	return tiktok.New(tiktok.Config{BaseURL: baseURL, Timeouts: to})
}
