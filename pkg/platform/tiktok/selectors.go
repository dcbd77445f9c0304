package tiktok

// Everything the driver knows about the pages of www.tiktok.com (the login
// page and TikTok Studio) lives here, so a redesign of the site is fixed in
// one file. The values follow the reference uploader (social-auto-upload,
// tk_uploader); names marked "assumed" are not in the reference. The driver
// asks for the English interface (lang=en) so the texts below apply.

// URL paths, relative to Config.BaseURL.
const (
	pathLogin   = "/login"
	pathUpload  = "/tiktokstudio/upload"
	pathContent = "/tiktokstudio/content"
	langQuery   = "?lang=en"
	markLogin   = "/login"
	markContent = "/tiktokstudio/content"
)

// Login page: the QR option and the QR page.
const (
	selLoginOption = `div[data-e2e="channel-item"]`
	textUseQR      = "Use QR code"
	selQRCode      = `div[data-e2e="qr-code"]` // holds a canvas or an img (assumed)
	textQRExpired  = "QR code expired"
	textRefresh    = "Refresh"
	// selLoginForm is the language select of the login form; the reference
	// treats it as the logged-out marker.
	selLoginForm = `select[class*="SelectFormContainer"]`
	// sessionCookie is the cookie a logged-in TikTok session carries.
	sessionCookie = "sessionid"
)

// textsScanned show once the phone scanned the code (assumed).
var textsScanned = []string{"Scanned", "Confirm login on your phone"}

// Upload page. Older versions put it in an iframe; the driver looks in
// every same-origin frame.
var fileInputSelectors = []string{
	`input[type="file"][accept*="video"]`,
}

const (
	selCaption = `div.public-DraftEditor-content[contenteditable="true"]`
	// selProgress shows the upload percentage (assumed).
	selProgress = `.info-progress-num`
	// selReselect replaces the file; it shows when the upload failed.
	selReselect   = `button[aria-label="Select file"]`
	selPostButton = `div.button-group button`
	textPost      = "Post"
	selToast      = `.TUXTopToast-content` // assumed
	// maxCaption is the caption limit in characters.
	maxCaption = 2200
	// maxTags is how many #hashtags the driver types.
	maxTags = 30
)

// Cover (thumbnail).
const (
	selCoverContainer = `.cover-container`
	selCoverEdit      = `.cover-edit-container`
	textUploadCover   = "Upload cover"
	selCoverInput     = `.upload-image-upload-area input[type="file"]`
	selCoverPanel     = `div.cover-edit-panel:not(.hide-panel)`
	textConfirm       = "Confirm"
)

// Content disclosure. DefaultDeclaration is a switch of its own; the
// others ("Your brand", "Branded content") are options under the
// "Disclose post content" switch (assumed layout).
const (
	textShowMore       = "Show more"
	selSettingRow      = `.setting-row`
	selSwitch          = `[role="switch"]`
	textDisclose       = "Disclose post content"
	selDiscloseOption  = `.disclose-options label`
	DefaultDeclaration = "AI-generated content"
)

// declarationAliases maps other platforms' AI labels to TikTok's.
var declarationAliases = map[string]string{"内容由AI生成": DefaultDeclaration, "含AI生成内容": DefaultDeclaration}

// Schedule.
const (
	textSchedule    = "Schedule"
	selAllow        = `div.TUXButton-content`
	textAllow       = "Allow"
	selPickerInputs = `div.scheduled-picker div.TUXInputBox` // [0] time, [1] date
	selMonthTitle   = `div.calendar-wrapper span.month-title`
	selMonthArrow   = `div.calendar-wrapper span.arrow` // [0] previous, [1] next
	selDay          = `div.calendar-wrapper span.day.valid`
	selHour         = `span.tiktok-timepicker-left`
	selMinute       = `span.tiktok-timepicker-right`
	monthLayout     = "January 2006"
	dateLayout      = "2006-01-02"
	timeLayout      = "15:04"
)

// Content page (posts).
const (
	selPostLinks = `div[data-tt="components_PostTable_Container"] div[data-tt="components_PostInfoCell_Container"] a`
	selPostTable = `div[data-tt="components_PostTable_Container"]`
)
