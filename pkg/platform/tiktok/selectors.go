package tiktok

// Everything the driver knows about the pages of www.tiktok.com (the login
// page, the home page's menu and TikTok Studio) lives here and in lang.go
// (the texts, per language), so a redesign of the site is fixed in two
// files. The values follow the reference uploader (social-auto-upload,
// tk_uploader, "SAU TK:line") or two other uploaders that work on the real
// site today: a working n8n TikTok node ("n8n") and a third-party uploader
// for the Chinese interface ("CN uploader"). Names marked "assumed" are in
// none of them.

// URL paths, relative to Config.BaseURL.
const (
	pathHome    = "/" // the language menu (SAU TK:245)
	pathLogin   = "/login"
	pathUpload  = "/tiktokstudio/upload"
	pathContent = "/tiktokstudio/content"
	// langQuery asks for English where SAU does (the login page and the
	// session check, TK:24, TK:67); the site may ignore it, so a publish
	// reads the language the pages speak instead (see language).
	langQuery   = "?lang=en"
	markLogin   = "/login"
	markContent = "/tiktokstudio/content"
)

// Login page: the QR option and the QR page. SAU logs in by hand (TK:52-70)
// and the supported way in is a cookie import; all of this is assumed.
const (
	selLoginOption = `div[data-e2e="channel-item"]` // assumed
	textUseQR      = "Use QR code"                  // assumed
	selQRCode      = `div[data-e2e="qr-code"]`      // holds a canvas or an img (assumed)
	textQRExpired  = "QR code expired"              // assumed
	textRefresh    = "Refresh"                      // assumed
	// selLoginForm is the language select of the login form; SAU treats it
	// as the logged-out marker (TK:28-34).
	selLoginForm = `select[class*="SelectFormContainer"]`
	// sessionCookie is the cookie a logged-in TikTok session carries.
	sessionCookie = "sessionid"
)

// textsScanned show once the phone scanned the code (assumed).
var textsScanned = []string{"Scanned", "Confirm login on your phone"}

// The language menu on the home page (SAU TK:243-254): More, then
// Language, then English (US) in the list.
const (
	selNavMore        = `[data-e2e="nav-more-menu"]`
	selLanguageSelect = `[data-e2e="language-select"]`
	selLanguageList   = `#creator-tools-selection-menu-header`
	textEnglishUS     = "English (US)"
)

// Upload page. Older versions put it in an iframe (SAU TK:300-305); the
// driver looks in every same-origin frame and sets the video on its file
// input, as the CN uploader and n8n do.
var fileInputSelectors = []string{
	`input[type="file"][accept*="video"]`,
}

const (
	selCaption = `div.public-DraftEditor-content[contenteditable="true"]` // SAU TK:201
	// selProgress shows the upload percentage (assumed).
	selProgress = `.info-progress-num`
	// selReselect replaces the file; it shows when the upload failed
	// (SAU TK:143, TK:292).
	selReselect = `button[aria-label="Select file"]`
	// selPostButton is Post: the first div.button-group button for SAU
	// (TK:260, TK:286), button[data-e2e="post_video_button"] for n8n and
	// the CN uploader. It reads Schedule (预约发布) once a schedule is set,
	// so the driver finds it by its data-e2e, not its text.
	selPostButton = `div.button-group button[data-e2e="post_video_button"]`
	// selPostConfirm is the dialog that asks to confirm a post while the
	// site's checks of the video run (CN uploader: "继续发布？" →
	// 立即发布; SAU TK:257 names div.common-modal-confirm-modal).
	selPostConfirm = `div.common-modal-confirm-modal div.common-modal-footer button`
	// selToast is the site's top message; its box's class tells an error
	// from a success (flow.DefaultErrorToast; assumed).
	selToast = `.TUXTopToast-content`
	// maxCaption is the caption limit in characters.
	maxCaption = 2200
	// maxTags is how many #hashtags the driver types.
	maxTags = 30
)

// Cover (thumbnail), SAU TK:232-241.
const (
	selCoverContainer = `.cover-container`
	selCoverEdit      = `.cover-edit-container`
	selCoverInput     = `.upload-image-upload-area input[type="file"]`
	selCoverPanel     = `div.cover-edit-panel:not(.hide-panel)`
)

// Content disclosure. DefaultDeclaration is the AI-generated content
// switch, [data-e2e="aigc_container"] with its div.Switch__root (the click
// target) and .Switch__content (aria-checked); turning it on asks to
// confirm in a dialog whose primary button turns it on (n8n:
// .common-modal-footer button[data-type="primary"]; CN uploader: 开启). The
// others are options under the "Disclose post content" switch (assumed
// layout).
const (
	selMoreButton      = `.more-btn` // Show more (n8n; CN uploader div.more-btn)
	selAIGC            = `[data-e2e="aigc_container"]`
	selSwitchRoot      = `.Switch__root`
	selSwitchState     = `.Switch__content`
	selModalConfirm    = `div.TUXModal.common-modal .common-modal-footer button[data-type="primary"]`
	selSettingRow      = `.setting-row`            // assumed
	selDiscloseOption  = `.disclose-options label` // assumed
	DefaultDeclaration = "AI-generated content"
)

// Declarations are the disclosures TikTok offers, by the names a request
// gives them (English, whatever language the page speaks).
const (
	declYourBrand      = "Your brand"
	declBrandedContent = "Branded content"
)

// declarationAliases maps other platforms' AI labels (and the Chinese
// page's) to TikTok's.
var declarationAliases = map[string]string{"内容由AI生成": DefaultDeclaration, "含AI生成内容": DefaultDeclaration,
	"AI 生成的内容": DefaultDeclaration, "你的品牌": declYourBrand, "品牌内容": declBrandedContent}

// Schedule (SAU TK:85-139).
const (
	selAllow        = `div.TUXButton-content`                // TK:90
	selPickerInputs = `div.scheduled-picker div.TUXInputBox` // [0] time, [1] date
	selMonthTitle   = `div.calendar-wrapper span.month-title`
	selMonthArrow   = `div.calendar-wrapper span.arrow` // [0] previous, [1] next
	selDay          = `div.calendar-wrapper span.day.valid`
	selHour         = `span.tiktok-timepicker-left`
	selMinute       = `span.tiktok-timepicker-right`
	dateLayout      = "2006-01-02"
	timeLayout      = "15:04"
)

// Content page (posts), SAU TK:272-278.
const (
	selPostLinks = `div[data-tt="components_PostTable_Container"] div[data-tt="components_PostInfoCell_Container"] a`
	selPostTable = `div[data-tt="components_PostTable_Container"]`
)
