package platform

import (
	"fmt"
	"strings"
	"time"
)

// Capabilities are what a platform's site lets a publish ask for. They live
// in one place so the API (which refuses a request the platform cannot
// honour, naming the field), the worker (which refuses it again before any
// page is touched), the drivers and the README's table all agree. A request
// is never published some other way than asked: a draft made public, a
// schedule dropped.
type Capabilities struct {
	// Drafts: the site can save a post as a draft instead of publishing.
	Drafts bool
	// ScheduleMinLead and ScheduleMaxLead bound how far ahead a scheduled
	// publish may be; ScheduleStep is the grid its time must fall on (zero:
	// any minute).
	ScheduleMinLead, ScheduleMaxLead, ScheduleStep time.Duration
	// TitleMax is how many characters of the title the site keeps (a longer
	// title is cut); zero means the title is the caption's first line.
	TitleMax int
	// TagsMax is how many tags (topics) are typed; later ones are dropped.
	TagsMax int
	// ShortTitleMin and ShortTitleMax bound the short title where the site
	// has one (zero: none).
	ShortTitleMin, ShortTitleMax int
	// Declarations: the site has a self-declaration (自主声明, AI label); the
	// labels it offers are read from the page, and another platform's
	// wording of one is translated. DefaultDeclaration is applied when the
	// request names none ("" for none).
	Declarations       bool
	DefaultDeclaration string
	// CoverRatios are the cover crops the site asks for.
	CoverRatios []string
	// Collections: the post can join a collection (合集).
	Collections bool
	// ProductLinks: the post can carry a shopping link.
	ProductLinks bool
	// QRLogin: the login can be automated with a QR code; otherwise cookies
	// are imported from a logged-in browser.
	QRLogin bool
}

// minLead is every platform's earliest schedule: the reference uploader's
// two hours.
const minLead = 2 * time.Hour

const day = 24 * time.Hour

// capabilities per platform. Values come from the reference flows
// (platform-flows.md, platform-fidelity.md) and the drivers; where no
// working tool confirms one, the driver's selectors.go says "assumed".
var capabilities = map[Name]Capabilities{
	Douyin: {ScheduleMinLead: minLead, ScheduleMaxLead: 14 * day, TitleMax: 30, TagsMax: 5,
		Declarations: true, DefaultDeclaration: "内容由AI生成",
		CoverRatios: []string{"3:4", "4:3"}, Collections: true, ProductLinks: true, QRLogin: true},
	Kuaishou: {ScheduleMinLead: minLead, ScheduleMaxLead: 14 * day, TagsMax: 3, Declarations: true, Collections: true, QRLogin: true},
	Xiaohongshu: {ScheduleMinLead: minLead, ScheduleMaxLead: 14 * day, TitleMax: 20, TagsMax: 10,
		Declarations: true, DefaultDeclaration: "笔记含AI合成内容", QRLogin: true},
	// Channels' picker has no known ceiling (none enforced; assumed).
	Channels: {Drafts: true, ScheduleMinLead: minLead, ScheduleStep: time.Hour, TagsMax: 10,
		ShortTitleMin: 7, ShortTitleMax: 15, Declarations: true, DefaultDeclaration: "含AI生成内容", CoverRatios: []string{"3:4", "4:3"},
		Collections: true, QRLogin: true},
	TikTok: {ScheduleMinLead: minLead, ScheduleMaxLead: 10 * day, ScheduleStep: 5 * time.Minute, TagsMax: 30,
		Declarations: true, DefaultDeclaration: "AI-generated content"},
}

// CapabilitiesOf returns n's capabilities (the zero value for an unknown
// platform, which can do nothing).
func CapabilitiesOf(n Name) Capabilities { return capabilities[n] }

// CheckSchedule reports why at cannot be a scheduled publish time on a
// platform with c, seen at now, or "" when it can.
func (c Capabilities) CheckSchedule(at, now time.Time) string {
	switch {
	case at.Before(now.Add(c.ScheduleMinLead)):
		return fmt.Sprintf("must be at least %s ahead", c.ScheduleMinLead)
	case c.ScheduleMaxLead > 0 && at.After(now.Add(c.ScheduleMaxLead)):
		return fmt.Sprintf("must be at most %d days ahead", c.ScheduleMaxLead/day)
	case c.ScheduleStep > 0 && !at.Truncate(c.ScheduleStep).Equal(at):
		return fmt.Sprintf("must fall on a %s step (e.g. %s)", c.ScheduleStep, at.Truncate(c.ScheduleStep).Add(c.ScheduleStep).Format("15:04"))
	}
	return ""
}

// Refusal is one thing a request asks for that a platform cannot do. Field
// is the request field at fault, in /api/v1's names.
type Refusal struct {
	Field  string
	Reason string
}

// Refusals lists what req asks for that c cannot honour (seen at now).
// Nothing here is cut or dropped silently: each is refused, so the user
// decides instead of getting a post they did not ask for.
func (c Capabilities) Refusals(req PublishRequest, now time.Time) []Refusal {
	var out []Refusal
	if req.Draft && !c.Drafts {
		out = append(out, Refusal{"options.draft", "drafts are not supported; publish or schedule instead"})
	}
	if !req.ScheduleAt.IsZero() {
		if why := c.CheckSchedule(req.ScheduleAt, now); why != "" {
			out = append(out, Refusal{"schedule", why})
		}
	}
	if req.ShortTitle != "" {
		n := len([]rune(req.ShortTitle))
		switch {
		case c.ShortTitleMax == 0:
			out = append(out, Refusal{"options.short_title", "the platform has no short title"})
		case n < c.ShortTitleMin || n > c.ShortTitleMax:
			out = append(out, Refusal{"options.short_title", fmt.Sprintf("must be %d–%d characters", c.ShortTitleMin, c.ShortTitleMax)})
		}
	}
	if req.ProductLink != "" && !c.ProductLinks {
		out = append(out, Refusal{"options.product_link", "the platform has no product links"})
	}
	if req.Collection != "" && !c.Collections {
		out = append(out, Refusal{"options.collection", "the platform has no collections"})
	}
	if req.Declaration != "" && !c.Declarations {
		out = append(out, Refusal{"options.declaration", "the platform has no self-declaration"})
	}
	return out
}

// CapabilityTable renders the capabilities of every platform as the
// README's Markdown table, so the table is generated from this one
// definition (a test keeps the README in step).
func CapabilityTable() string {
	yes := func(b bool) string {
		if b {
			return "yes"
		}
		return "—"
	}
	lim := func(n int) string {
		if n == 0 {
			return "—"
		}
		return fmt.Sprint(n)
	}
	var b strings.Builder
	b.WriteString("| platform | drafts | schedule | title | tags | short title | declaration (default) | covers | collections | product links | QR login |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, n := range Names() {
		c := CapabilitiesOf(n)
		short := func(d time.Duration) string {
			return strings.TrimSuffix(strings.TrimSuffix(d.String(), "0s"), "0m")
		}
		sched := fmt.Sprintf("%s or more ahead", short(c.ScheduleMinLead))
		if c.ScheduleMaxLead > 0 {
			sched = fmt.Sprintf("%s to %d days ahead", short(c.ScheduleMinLead), c.ScheduleMaxLead/day)
		}
		if c.ScheduleStep > 0 {
			sched += fmt.Sprintf(", on %s steps", short(c.ScheduleStep))
		}
		shortTitle := "—"
		if c.ShortTitleMax > 0 {
			shortTitle = fmt.Sprintf("%d–%d", c.ShortTitleMin, c.ShortTitleMax)
		}
		decl := yes(c.Declarations)
		if c.DefaultDeclaration != "" {
			decl = c.DefaultDeclaration
		}
		covers := "yes"
		if len(c.CoverRatios) > 0 {
			covers = strings.Join(c.CoverRatios, ", ")
		}
		title := lim(c.TitleMax)
		if c.TitleMax == 0 {
			title = "first line"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", n, yes(c.Drafts), sched, title,
			lim(c.TagsMax), shortTitle, decl, covers, yes(c.Collections), yes(c.ProductLinks), yes(c.QRLogin))
	}
	return b.String()
}
