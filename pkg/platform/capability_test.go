package platform_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"fanout/pkg/platform"
)

// The README's capability table is this package's definition, rendered.
func TestREADMECapabilityTableIsGenerated(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), platform.CapabilityTable()) {
		t.Fatalf("README.md lacks the capability table; paste:\n%s", platform.CapabilityTable())
	}
}

func TestRefusals(t *testing.T) {
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	ch := platform.CapabilitiesOf(platform.Channels)
	dy := platform.CapabilitiesOf(platform.Douyin)
	for _, c := range []struct {
		caps  platform.Capabilities
		req   platform.PublishRequest
		field string
	}{
		{dy, platform.PublishRequest{Draft: true}, "options.draft"},
		{dy, platform.PublishRequest{ScheduleAt: now.Add(time.Hour)}, "schedule"},
		{dy, platform.PublishRequest{ScheduleAt: now.Add(15 * 24 * time.Hour)}, "schedule"},
		{ch, platform.PublishRequest{ScheduleAt: now.Add(3*time.Hour + 30*time.Minute)}, "schedule"},
		{dy, platform.PublishRequest{ShortTitle: "短标题"}, "options.short_title"},
		{ch, platform.PublishRequest{ShortTitle: "短"}, "options.short_title"},
		{ch, platform.PublishRequest{ProductLink: "https://x"}, "options.product_link"},
		{platform.CapabilitiesOf(platform.Xiaohongshu), platform.PublishRequest{Collection: "合集"}, "options.collection"},
		{platform.CapabilitiesOf(platform.Bilibili), platform.PublishRequest{Title: "没有标签"}, "tags"},
		{platform.CapabilitiesOf(platform.Baijiahao), platform.PublishRequest{Title: "短标题", Tags: []string{"a"}}, "title"},
		{platform.CapabilitiesOf(platform.Weibo), platform.PublishRequest{Title: "没有封面的微博", Tags: []string{"a"}}, "cover_file_id"},
		{platform.CapabilitiesOf(platform.Weibo), platform.PublishRequest{Title: "定时", CoverPath: "c.png", ScheduleAt: now.Add(3 * time.Hour)}, "schedule"},
		{dy, platform.PublishRequest{Visibility: "unlisted"}, "options.visibility"},
	} {
		rs := c.caps.Refusals(c.req, now)
		if len(rs) != 1 || rs[0].Field != c.field {
			t.Errorf("%+v: refusals %+v, want one on %s", c.req, rs, c.field)
		}
	}
	if rs := ch.Refusals(platform.PublishRequest{Draft: true, ScheduleAt: now.Add(3 * time.Hour), ShortTitle: "七个字的短标题"}, now); len(rs) != 0 {
		t.Errorf("a request Channels can do was refused: %+v", rs)
	}
}
