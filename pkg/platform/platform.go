// Package platform defines what a platform driver does. Each subpackage drives
// one creator site with chromedp inside a browser tab that the worker prepares
// (isolated browser context, the account's cookies loaded); drivers never own
// the browser, never touch Postgres or Redis and keep no state between calls.
package platform

import (
	"context"
	"time"
)

// Name identifies a platform in the API, in the database and in queue names.
// Names are stored, so they never change once released.
type Name string

// The platforms Fanout knows. A name is accepted by the API only when it is in
// Names; a worker serves only the platforms whose driver it registered.
const (
	Douyin      Name = "douyin"
	Kuaishou    Name = "kuaishou"
	Xiaohongshu Name = "xiaohongshu"
	Channels    Name = "channels" // WeChat Channels, 视频号
	TikTok      Name = "tiktok"
	Bilibili    Name = "bilibili" // over Bilibili's HTTP upload protocol, no browser
	YouTube     Name = "youtube"
	Baijiahao   Name = "baijiahao" // 百家号
	Weibo       Name = "weibo"
)

// Names lists every platform the API accepts, in display order.
func Names() []Name {
	return []Name{Douyin, Kuaishou, Xiaohongshu, Channels, TikTok, Bilibili, YouTube, Baijiahao, Weibo}
}

// Valid reports whether n is a platform Fanout supports.
func (n Name) Valid() bool {
	for _, k := range Names() {
		if k == n {
			return true
		}
	}
	return false
}

// Driver drives one platform's creator site. Every method runs in ctx, a
// chromedp tab context, must honour its cancellation promptly, and bounds every
// wait: a page that never shows what the driver waits for ends in an error
// (a *web.SelectorError when an element is missing), never a hang.
type Driver interface {
	// Name is the platform this driver serves.
	Name() Name
	// Login runs the QR-code login. It calls onChallenge with every QR code it
	// shows (phase qrcode, again after a refresh), when the code was scanned and
	// when it expired; it returns nil once the site considers the tab logged in
	// and the session cookie the platform needs is present. The caller saves the
	// tab's cookies afterwards.
	Login(ctx context.Context, onChallenge func(Challenge) error) error
	// CheckLogin reports whether the cookies loaded in the tab are still a
	// valid session. A false answer is not an error.
	CheckLogin(ctx context.Context) (bool, error)
	// Publish uploads and publishes one video. onProgress is called at every
	// step; StepSubmitted is reported before the final publish click, so a
	// caller that saw it must use FindPublished on a retry instead of posting
	// again. Errors wrap ErrLoginRequired, ErrRejected, ErrUploadFailed or are
	// a *web.SelectorError where that is the cause.
	Publish(ctx context.Context, req PublishRequest, onProgress func(Progress) error) (PublishResult, error)
	// FindPublished looks on the platform's content-management page for a post
	// matching req (by title). It is how a retry after StepSubmitted learns
	// whether the earlier attempt went through.
	FindPublished(ctx context.Context, req PublishRequest) (PublishResult, bool, error)
}

// Phase is where a QR login stands. The values are part of the API.
type Phase string

// Login phases, in the order a successful login passes them.
const (
	PhaseQRCode    Phase = "qrcode"
	PhaseScanned   Phase = "scanned"
	PhaseExpired   Phase = "expired"
	PhaseSucceeded Phase = "succeeded"
	PhaseFailed    Phase = "failed"
)

// Challenge is what a login shows the user: the QR code to scan and the phase.
type Challenge struct {
	Phase Phase
	// QRCode is the QR image as a data URL (data:image/png;base64,...), set
	// in PhaseQRCode.
	QRCode  string
	Message string
}

// Step names a point in a publish that a task records. After StepSubmitted a
// retry must verify instead of posting again.
type Step string

// Publish steps in order.
const (
	StepOpened    Step = "opened"
	StepUploading Step = "uploading"
	StepUploaded  Step = "uploaded"
	StepFilled    Step = "filled"
	StepSubmitted Step = "submitted"
	StepPublished Step = "published"
)

// Progress reports a step and, while uploading, the percentage the site shows.
type Progress struct {
	Step    Step
	Percent int
	Message string
}

// PublishRequest is one video to one account, already validated and with
// platform limits (title length, tag count) still to be applied by the driver.
type PublishRequest struct {
	VideoPath   string
	Title       string
	Description string
	Tags        []string
	// CoverPath is an optional cover image.
	CoverPath string
	// ScheduleAt, when not zero, asks the platform to publish later (定时发布).
	ScheduleAt time.Time
	// Declaration is the self-declaration (自主声明) to select; empty means the
	// driver's default.
	Declaration string
	// ProductLink and ProductTitle add a shopping-cart link when both are set.
	ProductLink  string
	ProductTitle string
	// ShortTitle is the platform's short title where it has one (WeChat
	// Channels: 6–16 characters); empty means derived from Title.
	ShortTitle string
	// Category is the platform's content category where it asks for one.
	Category string
	// Draft saves the post as a draft (保存草稿) instead of publishing, where
	// the platform supports it.
	Draft bool
	// Collection is the name of the collection (合集) the post joins, where
	// the platform has them; empty means none.
	Collection string
	// Visibility is public, unlisted or private where the platform asks
	// (YouTube); empty means public.
	Visibility string
	// MadeForKids answers YouTube's audience question; nil means the
	// default answer, "not made for kids".
	MadeForKids *bool
	// ImagePaths, when set, make the post an image note (图文) of these
	// images in order instead of a video; VideoPath is then empty.
	ImagePaths []string
}

// PublishResult is what the platform showed after a publish.
type PublishResult struct {
	// URL is the page that confirmed the publish (the manage page).
	URL string `json:"url,omitempty"`
	// Verified is true when the result came from FindPublished rather than
	// from watching the publish itself.
	Verified bool `json:"verified,omitempty"`
}

// Media returns the files the post is made of: an image note's images in
// order, else the video.
func (r PublishRequest) Media() []string {
	if len(r.ImagePaths) > 0 {
		return r.ImagePaths
	}
	return []string{r.VideoPath}
}

// MediaName names what Media is in errors: "images" or "video".
func (r PublishRequest) MediaName() string {
	if len(r.ImagePaths) > 0 {
		return "images"
	}
	return "video"
}
