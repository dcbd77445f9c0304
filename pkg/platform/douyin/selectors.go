package douyin

// Everything the driver knows about the pages of creator.douyin.com lives
// here, so a redesign of the site is fixed in one file. The values follow the
// reference uploader (social-auto-upload, douyin_uploader); where it tries
// several selectors in turn, so does the driver, in the same order.

// URL paths, relative to Config.BaseURL.
const (
	pathCreator   = "/creator-micro"
	pathUpload    = "/creator-micro/content/upload"
	pathPublishV1 = "/creator-micro/content/publish"
	pathPublishV2 = "/creator-micro/content/post/video"
	pathManage    = "/creator-micro/content/manage"
	// markUpload is what the URL keeps while the upload page is shown; a
	// logged-out tab is redirected away from it.
	markUpload = "content/upload"
	markManage = "/content/manage"
)

// Login page.
const (
	textQRLogin    = "扫码登录"
	textPhoneLogin = "手机号登录"
	textQRExpired  = "二维码失效"
	selQRRole      = `img[aria-label="二维码"]`
	// sessionCookie is the cookie a logged-in creator session carries.
	sessionCookie = "sessionid"
)

// qrImageSelectors find the QR code image; the first that matches wins.
var qrImageSelectors = []string{
	`div#animate_qrcode_container img[src^="data:image"]`,
	`div[class*="animate_qrcode_container"] img[src^="data:image"]`,
	`div[class*="scan_qrcode_login_content"] img[src^="data:image"]`,
	`img[aria-label="二维码"]`,
}

// textsScanned show once the phone scanned the code but did not confirm yet.
var textsScanned = []string{"扫码成功", "请在手机上确认"}

// Upload page and upload progress.
var fileInputSelectors = []string{
	`input.upload-btn-input, div[class^='container'] input[accept]`,
	`div[class^='container'] input[type='file'], div[class^='container'] input.upload-input`,
	`div[class^='container'] input`,
}

const (
	selProgress     = `div.progress-div`
	selUploadFailed = `div.progress-div > div`
	textFailed      = "上传失败"
	selReupload     = `div.progress-div [class^="upload-btn-input"]`
	selUploadDone   = `[class^="long-card"] div`
	textUploadDone  = "重新上传"
	textUploading   = "上传中"
)

// Publish form.
const (
	selTitle       = `input[placeholder*="填写作品标题"]`
	selDescription = `div.zone-container[contenteditable="true"]`
	selPublish     = `button`
	textPublish    = "发布"
	selToast       = `.semi-toast-content`
	// maxTitle is the title limit in characters; the site cuts longer titles.
	maxTitle = 30
	// maxTags is how many #tags the site accepts on a video.
	maxTags = 5
)

// selOverlays are onboarding tours and mention pop-ups that cover the form
// and swallow clicks; the driver removes them before it clicks.
const selOverlays = `.shepherd-element, .shepherd-modal-overlay-container, [class*="mention-wrapper"]`

// Self-declaration (自主声明). The publish fails on the real site without it.
var declarationEntryTexts = []string{"请选择自主声明", "请选择声明类型", "添加自主声明", "自主声明", "作品声明"}

const (
	selModal              = `.semi-modal-content`
	textDeclarationDialog = "请选择声明类型"
	selDeclarationOption  = `label.semi-radio`
	selDeclarationText    = `.semi-radio-addon`
	selPrimaryButton      = `button.semi-button-primary`
	textConfirm           = "确定"
	// DefaultDeclaration is the declaration used when neither the request
	// nor the Config names one: videos Fanout publishes are often generated.
	DefaultDeclaration = "内容由AI生成"
)

// Cover (封面).
var coverEntryTexts = []string{"编辑封面", "选择封面", "设置封面"}

const (
	selCoverArea  = `[class*="cover"]`
	selCoverModal = `div.dy-creator-content-modal`
	selCoverInput = `.semi-upload:has(.semi-upload-drag-area-main-text) input.semi-upload-hidden-input`
	textCoverDone = "完成"
	classDisabled = "semi-button-disabled"
)

// Schedule (定时发布).
const (
	selScheduleRadio = `[class^='radio']`
	textSchedule     = "定时发布"
	selScheduleInput = `.semi-input[placeholder="日期和时间"]`
	scheduleLayout   = "2006-01-02 15:04"
)

// Shopping-cart product link.
const (
	textAddTag      = "添加标签"
	selSelect       = `.semi-select`
	selListbox      = `[role="listbox"]`
	selOption       = `[role="option"]`
	textCart        = "购物车"
	selProductLink  = `input[placeholder="粘贴商品链接"]`
	textAddLink     = "添加链接"
	textNoProduct   = "未搜索到对应商品"
	selProductTitle = `input[placeholder="请输入商品短标题"]`
	textFinishEdit  = "完成编辑"
	maxProductTitle = 10
	selManageTitles = `[class*="info-title-text"], [class*="video-card"] [class*="title"]`
	selManageLoaded = `[class*="video-list"], [class*="empty"]`
)
