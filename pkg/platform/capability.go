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
	// Schedule: the site can publish at a later time (定时发布).
	Schedule bool
	// ScheduleMinLead and ScheduleMaxLead bound how far ahead a scheduled
	// publish may be; ScheduleStep is the grid its time must fall on (zero:
	// any minute).
	ScheduleMinLead, ScheduleMaxLead, ScheduleStep time.Duration
	// TitleMin is the shortest title the site takes (zero: any); a shorter
	// one is refused rather than padded with words the user did not write.
	TitleMin int
	// TitleMax is how many characters of the title the site keeps (a longer
	// title is cut); zero means the title is the caption's first line.
	TitleMax int
	// NoteTitleMax is the title limit of an image note where it differs
	// from TitleMax (zero: the same).
	NoteTitleMax int
	// TagsMax is how many tags (topics) are typed; later ones are dropped.
	TagsMax int
	// TagsRequired: the site refuses a post without a tag.
	TagsRequired bool
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
	// CoverRequired: the site will not publish without a cover the user
	// gives (no frame is picked for them).
	CoverRequired bool
	// Visibility: the site asks public, unlisted or private, and whether
	// the video is made for kids (YouTube).
	Visibility bool
	// ImageNotesMax is how many images an image note (图文) may have; zero
	// means the site takes no image notes through Fanout.
	ImageNotesMax int
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
	// Douyin: image notes (DouYinNote) of at most 35 images with a title of
	// at most 20 (platform-flows.md §3.1 "Image note" and the limits table).
	Douyin: {Schedule: true, ScheduleMinLead: minLead, ScheduleMaxLead: 14 * day, TitleMax: 30, NoteTitleMax: 20, TagsMax: 5,
		Declarations: true, DefaultDeclaration: "内容由AI生成",
		CoverRatios: []string{"3:4", "4:3"}, Collections: true, ProductLinks: true, ImageNotesMax: 35, QRLogin: true},
	// Kuaishou: image notes through the 图文 tab (§3.3 "Image note"; the
	// original's KSNote sets no ceiling, so 18 is assumed: the smallest
	// known one, Xiaohongshu's).
	Kuaishou: {Schedule: true, ScheduleMinLead: minLead, ScheduleMaxLead: 14 * day, TagsMax: 3, Declarations: true, Collections: true,
		ImageNotesMax: 18, QRLogin: true},
	// Xiaohongshu: image notes on the target=image page (§3.4 "Image note");
	// the original's XiaoHongShuNote sets no ceiling, 18 images is the
	// site's limit as note-publishing tools state it (assumed: no working
	// tool in the reference enforces it).
	Xiaohongshu: {Schedule: true, ScheduleMinLead: minLead, ScheduleMaxLead: 14 * day, TitleMax: 20, TagsMax: 10,
		Declarations: true, DefaultDeclaration: "笔记含AI合成内容", ImageNotesMax: 18, QRLogin: true},
	// Channels' picker has no known ceiling (none enforced; assumed).
	Channels: {Drafts: true, Schedule: true, ScheduleMinLead: minLead, ScheduleStep: time.Hour, TagsMax: 10,
		ShortTitleMin: 7, ShortTitleMax: 15, Declarations: true, DefaultDeclaration: "含AI生成内容", CoverRatios: []string{"3:4", "4:3"},
		Collections: true, QRLogin: true},
	TikTok: {Schedule: true, ScheduleMinLead: minLead, ScheduleMaxLead: 10 * day, ScheduleStep: 5 * time.Minute, TagsMax: 30,
		Declarations: true, DefaultDeclaration: "AI-generated content"},
	// Bilibili: biliup's --dtime (bilibili-upload.md); the window and the
	// 80-character title and 12 tags are the site's form limits (assumed
	// where the reference is silent).
	// A submit without tags is refused (code 21005, bilibili-upload.md).
	Bilibili: {Schedule: true, ScheduleMinLead: minLead, ScheduleMaxLead: 15 * day, TitleMax: 80, TagsMax: 12, TagsRequired: true, QRLogin: true},
	// YouTube: title 100 (platform-flows.md limits table); Studio schedules
	// from its visibility step; login is cookie import only.
	YouTube: {Schedule: true, ScheduleMinLead: minLead, TitleMax: 100, TagsMax: 30, Visibility: true},
	// Baijiahao: title 9–30, no scheduling, a declaration and collections
	// (platform-flows.md §3.7); the site picks a cover when none is given.
	Baijiahao: {TitleMin: 9, TitleMax: 30, Declarations: true, DefaultDeclaration: "含AI生成内容", Collections: true, QRLogin: true},
	// Weibo: title 30, a cover is mandatory, no scheduling (§3.9).
	Weibo: {TitleMax: 30, TagsMax: 10, Declarations: true, DefaultDeclaration: "含AI生成内容", CoverRequired: true,
		Collections: true, QRLogin: true},
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
	if !req.ScheduleAt.IsZero() && !c.Schedule {
		out = append(out, Refusal{"schedule", "the platform cannot schedule a publish; publish now instead"})
	} else if !req.ScheduleAt.IsZero() {
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
	if c.TagsRequired && len(req.Tags) == 0 {
		out = append(out, Refusal{"tags", "the platform requires at least one tag"})
	}
	if c.TitleMin > 0 && req.Title != "" && len([]rune(req.Title)) < c.TitleMin {
		out = append(out, Refusal{"title", fmt.Sprintf("must be at least %d characters", c.TitleMin)})
	}
	if c.CoverRequired && req.CoverPath == "" && len(req.ImagePaths) == 0 {
		out = append(out, Refusal{"cover_file_id", "the platform requires a cover image"})
	}
	if (req.Visibility != "" || req.MadeForKids != nil) && !c.Visibility {
		field := "options.visibility"
		if req.Visibility == "" {
			field = "options.made_for_kids"
		}
		out = append(out, Refusal{field, "the platform has no visibility or audience setting"})
	}
	if n := len(req.ImagePaths); n > 0 {
		switch {
		case c.ImageNotesMax == 0:
			out = append(out, Refusal{"image_file_ids", "the platform takes no image notes through Fanout"})
		case n > c.ImageNotesMax:
			out = append(out, Refusal{"image_file_ids", fmt.Sprintf("at most %d images", c.ImageNotesMax)})
		}
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
	b.WriteString("| platform | drafts | schedule | title | tags | short title | declaration (default) | covers | collections | product links | visibility | image notes | QR login |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, n := range Names() {
		c := CapabilitiesOf(n)
		short := func(d time.Duration) string {
			return strings.TrimSuffix(strings.TrimSuffix(d.String(), "0s"), "0m")
		}
		sched := fmt.Sprintf("%s or more ahead", short(c.ScheduleMinLead))
		if !c.Schedule {
			sched = "—"
		} else if c.ScheduleMaxLead > 0 {
			sched = fmt.Sprintf("%s to %d days ahead", short(c.ScheduleMinLead), c.ScheduleMaxLead/day)
		}
		if c.Schedule && c.ScheduleStep > 0 {
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
		if c.CoverRequired {
			covers = "required"
		}
		title := lim(c.TitleMax)
		if c.TitleMax == 0 {
			title = "first line"
		}
		if c.TitleMin > 0 {
			title = fmt.Sprintf("%d–%d", c.TitleMin, c.TitleMax)
		}
		if c.NoteTitleMax > 0 {
			title += fmt.Sprintf(" (notes %d)", c.NoteTitleMax)
		}
		images := "—"
		if c.ImageNotesMax > 0 {
			images = fmt.Sprintf("1–%d images", c.ImageNotesMax)
		}
		tags := lim(c.TagsMax)
		if c.TagsRequired {
			tags = fmt.Sprintf("1–%d (required)", c.TagsMax)
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", n, yes(c.Drafts), sched, title,
			tags, shortTitle, decl, covers, yes(c.Collections), yes(c.ProductLinks), yes(c.Visibility), images, yes(c.QRLogin))
	}
	return b.String()
}

// NoteTitle is the title limit of an image note on a platform with c:
// NoteTitleMax where the site has its own, else TitleMax.
func (c Capabilities) NoteTitle() int {
	if c.NoteTitleMax > 0 {
		return c.NoteTitleMax
	}
	return c.TitleMax
}
