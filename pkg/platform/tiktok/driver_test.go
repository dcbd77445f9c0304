package tiktok_test

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
	"fanout/pkg/platform/tiktok"
	"fanout/pkg/platform/tiktok/tiktoktest"
)

func TestMain(m *testing.M) { platformtest.Main(m) }

// newDriver points the driver at the fake at baseURL, its waits bounded by
// to.
func newDriver(baseURL string, to flow.Timeouts) platform.Driver {
	return tiktok.New(tiktok.Config{BaseURL: baseURL, Timeouts: to})
}

func TestPublishCaptionReplacesFileNameAndDefaultDisclosure(t *testing.T) {
	site := flowtest.Serve(t, tiktoktest.New)
	req := platformtest.Request("Spring rain")
	req.Description = "Rain on the window"
	req.Tags = []string{"#spring", "slow living", "", "vlog"}
	_, posts, err := flowtest.Publish(t, site.Kernel, newDriver(site.URL(), flowtest.Timeouts), req)
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
	if _, _, err := flowtest.Publish(t, site.Kernel, newDriver(site.URL(), flowtest.Timeouts), req); err != nil {
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
	_, posts, err := flowtest.Publish(t, site.Kernel, newDriver(site.URL(), flowtest.Timeouts), req)
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}
	if len(posts) != 1 || !posts[0].ScheduleAt.Equal(req.ScheduleAt) {
		t.Fatalf("posts = %+v, want one scheduled at %v", posts, req.ScheduleAt)
	}
}

func TestDeclarationAliases(t *testing.T) {
	for in, want := range map[string]string{"": tiktok.DefaultDeclaration, "内容由AI生成": tiktok.DefaultDeclaration, "含AI生成内容": tiktok.DefaultDeclaration, "Branded content": "Branded content"} {
		if got := tiktok.Declaration(in, tiktok.DefaultDeclaration); got != want {
			t.Errorf("Declaration(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPublishUnofferedDeclarationIsInvalid(t *testing.T) {
	site := flowtest.Serve(t, tiktoktest.New)
	req := platformtest.Request("Unknown disclosure")
	req.Declaration = "内容取材网络"
	_, posts, err := flowtest.Publish(t, site.Kernel, newDriver(site.URL(), flowtest.Timeouts), req)
	if !errors.Is(err, platform.ErrInvalidRequest) || !strings.Contains(err.Error(), "Your brand") {
		t.Fatalf("Publish = %v, want ErrInvalidRequest listing the offered disclosures", err)
	}
	if len(posts) != 0 {
		t.Errorf("posts = %+v, want none", posts)
	}
}

// TestDriver runs the conformance suite and flow's cases (a refused
// request, an upload that keeps failing, a login nobody scans) against the
// fake site.
func TestDriver(t *testing.T) {
	flowtest.Exercise(t, flowtest.Harness{
		NewDriver: newDriver,
		NewSite:   func(t *testing.T) platformtest.Site { return flowtest.Site(flowtest.Serve(t, tiktoktest.New).Kernel) },
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
		Conformance: platformtest.Harness{
			Timeout: 60 * time.Second,
			// The time picker offers minutes in steps of 5.
			ScheduleStep: 5 * time.Minute,
			// TikTok's disclosures are its own; "Your brand" is one besides the
			// default AI-generated content.
			Declaration: "Your brand",
		},
	})
}
