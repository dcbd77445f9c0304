package kuaishou

import "time"

// Everything the driver knows about the pages of cp.kuaishou.com and
// passport.kuaishou.com lives here, so a redesign of the site is fixed in one
// file. The values follow the reference uploader (social-auto-upload,
// uploader/ks_uploader/main.py, cited K:<line>); where it tries several
// selectors in turn, so does the driver, in the same order. A value no
// working tool confirms is marked "assumed".

// URL paths. The creator paths are relative to Config.BaseURL, the login
// paths to Config.PassportURL.
const (
	pathUpload = "/article/publish/video"
	pathManage = "/article/manage/video"
	// queryPublished is what the site appends to the manage page it shows
	// after an accepted publish; success is landing on it.
	queryPublished = "?status=2&from=publish"
	pathLogin      = "/pc/account/login/"
	pathSTS        = "/rest/infra/sts"
	// loginSID is the passport's id for the creator platform.
	loginSID = "kuaishou.web.cp.api"
)

// Login page (passport) and the logged-out creator pages.
const (
	selLoginForm      = `main#login-form`
	selQRImage        = `div.qr-login img[alt="qrcode"]`
	selPlatformSwitch = `div.platform-switch`
	selQRExpired      = `div.qrcode-status.qrcode-status-timeout`
	selQRRefresh      = `p.qrcode-refresh`
	selQRScanned      = `div.qrcode-status.qrcode-status-scanned` // assumed
	textQRExpired     = "二维码已失效"
	textLoginNow      = "立即登录"
	// selLegacyInvalid and textLegacyInvalid are the older marker of a
	// session that lost its creator rights (机构服务 in the account menu).
	selLegacyInvalid  = `div.names div.container div.name`
	textLegacyInvalid = "机构服务"
	// sessionCookie is the cookie a logged-in creator session carries
	// (assumed).
	sessionCookie = "kuaishou.web.cp.api_st"
)

// Upload page and upload progress.
const (
	// selUploadButton opens the file chooser (K:629-635); the page has no
	// usable file input before the click.
	selUploadButton = `button[class^='_upload-btn']`
	textUploading   = "上传中"
	textFailed      = "上传失败"
	selProgress     = `div.progress-div`
	// selReupload is the file input of a failed upload (K:570-572); the
	// driver clicks what holds it, which opens its chooser.
	selReupload = `div.progress-div [class^="upload-btn-input"]`
	// textGotIt closes the notice over a fresh form (K:639-646).
	textGotIt       = "我知道了"
	selGotItButtons = `button[type="button"]`
)

// The onboarding tour (react-joyride) covers the form and swallows clicks
// (K:438-491).
const (
	selGuideTooltip = `div[id^="react-joyride-step"] div[role="alertdialog"]`
	selGuideSkip    = `[aria-label="Skip"], [data-action="skip"], button[title="Skip"]`
	selGuideLayers  = `#react-joyride-portal, .react-joyride__spotlight`
)

// guideButtonTexts close the tour when it has no skip button.
var guideButtonTexts = []string{"跳过", "我知道了", "关闭", "下一步"}

// Publish form. Kuaishou has no title field: the caption editor follows the
// text 描述, and the driver types the title as its first line.
const (
	textDescription = "描述"
	selEditable     = `[contenteditable="true"]`
	textPublish     = "发布"
	textConfirm     = "确认发布" // K:694-705
	// selToast is the site's messages, ant-design's (assumed); its type is
	// the class of the content inside (selToastError, selToastOK).
	selToast      = `.ant-message-notice-content`
	selToastError = `.ant-message-error, .ant-message-warning`
	selToastOK    = `.ant-message-success, .ant-message-info, .ant-message-loading`
	// maxTags is how many topics the site keeps; the reference uploader
	// types only the first three (K:652-661).
	maxTags = 3
)

// Topics. The reference uploader types each "#tag " and pauses (K:652-661);
// the driver waits instead for the site's topic suggestions, picks with a
// space, and waits for the topic to form. What the suggestions and a formed
// topic look like is assumed.
const (
	selTopicSuggestion = `[class*="topic-suggest"] [class*="topic-item"]` // assumed
	selTopic           = `[contenteditable="false"][class*="topic"]`      // assumed
	// topicWait bounds each of those waits, beyond which the tag stays
	// text: the reference uploader pauses 2s.
	topicWait = 5 * time.Second
)

// The ant-design selects next to their labels: 加入合集 (K:523-560) and
// 作者声明 (only in an unmerged reference PR, #176: assumed). They open on
// mousedown, which the driver's pointer click sends.
const (
	textCollectionLabel  = "加入合集"
	textDeclarationLabel = "作者声明" // assumed
	selSelectSelector    = `.ant-select-selector`
	selSelectOption      = `div.ant-select-item-option`
	selSelectedItem      = `.ant-select-selection-item` // assumed
	// aiDeclaration is the site's wording of the AI label (assumed).
	aiDeclaration = "内容为AI生成"
)

// declarationAliases maps other platforms' wording of a declaration to this
// site's option with the same meaning, so one declaration serves a publish
// to several platforms. The options' wording is assumed.
var declarationAliases = map[string]string{
	"内容由AI生成":              aiDeclaration, // Douyin
	"含AI生成内容":              aiDeclaration, // WeChat Channels
	"笔记含AI合成内容":            aiDeclaration, // Xiaohongshu
	"AI-generated content": aiDeclaration, // TikTok
	"内容取材网络":               "素材来源于网络",
	"个人观点仅供参考":             "个人观点，仅供参考",
	"虚构演绎仅供娱乐":             "演绎情节，仅供娱乐",
	"危险行为请勿模仿":             "危险行为，请勿模仿",
}

// Cover (封面设置), K:574-601.
const (
	textCoverSetting  = "封面设置"
	selCoverModal     = `div[role="document"].ant-modal`
	textUploadCover   = "上传封面"
	textCoverConfirm  = "确认"
	selCoverFileInput = `input[type="file"]`
)

// Schedule (定时发布), K:400-436. The date input is readonly and controlled
// by React, so the driver sets it with the native value setter (PR #205).
const (
	selScheduleRadio = `label.ant-radio-wrapper`
	textSchedule     = "定时发布"
	selScheduleInput = `input[placeholder="选择日期时间"]`
	scheduleLayout   = "2006-01-02 15:04:05"
)

// Manage page (the reference uploader only waits for its URL: assumed).
const (
	selManageTitles = `.video-item__detail__row__title, [class*="video-item"] [class*="title"]`
	selManageLoaded = `[class*="video-list"], [class*="empty"]`
)
