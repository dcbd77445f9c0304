package youtube

// Everything the driver knows about YouTube Studio's pages lives here, so a
// redesign of the site is fixed in one file. The values follow the
// reference uploader (social-auto-upload, uploader/youtube_uploader/main.py,
// summarised in platform-flows.md §3.8, cited as "§3.8 step N"). Names
// marked "assumed" are not in the reference.

// Hosts and URL paths. Studio and the upload page are on two hosts
// (studio.youtube.com, www.youtube.com); a fake serves both on one.
const (
	defaultStudioURL = "https://studio.youtube.com"     // §3.8
	defaultUploadURL = "https://www.youtube.com/upload" // §3.8
	// pathUpload is the upload page on a base URL that is not Studio's (a
	// fake serving both hosts).
	pathUpload = "/upload"
	// markChannel is in Studio's URL once it shows a logged-in channel
	// (§3.8 cookie check: valid iff the URL contains /channel/).
	markChannel = "/channel/"
	// markGoogle and markSignin are in the URL of the Google sign-in page a
	// logged-out tab is sent to (§3.8 cookie check).
	markGoogle = "accounts.google.com"
	markSignin = "/signin"
	// pathVideos is the channel's content list, after /channel/<id>
	// (assumed).
	pathVideos = "/videos"
)

// The upload dialog (§3.8 upload flow).
const (
	// selFileInput is the dialog's file input, the first on the page
	// (§3.8 step 1).
	selFileInput = `input[type="file"]`
	// selTitleArea shows once the details form is there (§3.8 step 1).
	selTitleArea = `#title-textarea`
	// selTitle and selDescription are contenteditable boxes; the title
	// comes prefilled and is replaced (select all, then type; §3.8 steps
	// 2-3).
	selTitle       = `#title-textarea #textbox`
	selDescription = `#description-textarea #textbox`
	// selAutocomplete is the #hashtag / @mention suggestion list a typed
	// '#' opens; it covers the dialog's buttons until Escape closes it
	// (§3.8 step 2; SAU presses Escape only while it shows, since Escape
	// otherwise closes the dialog).
	selAutocomplete = `tp-yt-iron-dropdown`
	// selThumbnailInput takes the cover (§3.8 step 4); selThumbnailImg is
	// the preview the uploaded cover shows in (assumed).
	selThumbnailInput = `#file-loader input[type='file'], ytcp-thumbnail-uploader input[type='file']`
	selThumbnailImg   = `ytcp-thumbnail-uploader img.thumbnail-preview`
	// The audience question, required before Next goes on (§3.8 step 6;
	// the MFK name is the NOT_MFK one's counterpart, assumed).
	selNotMadeForKids = `tp-yt-paper-radio-button[name='VIDEO_MADE_FOR_KIDS_NOT_MFK']`
	selMadeForKids    = `tp-yt-paper-radio-button[name='VIDEO_MADE_FOR_KIDS_MFK']`
	// selShowMore reveals the tags; selTagsInput takes them joined by
	// commas with a trailing comma (§3.8 step 7).
	selShowMore  = `#toggle-button`
	selTagsInput = `#tags-container #text-input`
	// selTagChips are the tags the input turned into chips (assumed).
	selTagChips = `#tags-container ytcp-chip`
	// selNext goes to the next page of the dialog until the visibility
	// radios show (§3.8 step 8); selActiveStep is the stepper's current
	// page (assumed), which changes with each Next.
	selNext       = `#next-button`
	selActiveStep = `ytcp-stepper [aria-selected="true"]`
	// selProgress shows the upload's state (§3.8 step 9).
	selProgress = `.progress-label, span.progress-label, ytcp-video-upload-progress`
	// selUploadError shows when the upload failed, with a file input that
	// chooses the video again (assumed).
	selUploadError = `ytcp-uploads-dialog .error-area`
	// selDone publishes; it is enabled once the checks are over (§3.8
	// step 10).
	selDone = `#done-button`
	// selWatchLink is the published video's link in the dialog that
	// follows Done (§3.8 step 10).
	selWatchLink = `a[href*='youtu.be'], a[href*='watch?v=']`
	// selToast is Studio's message (assumed); an error one is a refusal.
	selToast = `ytcp-toast-manager tp-yt-paper-toast`
	// maxTitle is the title limit in characters (§3.8 step 2, title[:100]).
	maxTitle = 100
	// maxTags and maxTagChars bound the tags: at most 30 tags (the
	// capability table), joined by commas at most 500 characters (§3.8
	// step 7).
	maxTags     = 30
	maxTagChars = 500
)

// textsProgressDone are the words of the progress label once the upload is
// over: processing, checks or complete (§3.8 step 9).
var textsProgressDone = []string{"处理", "检查", "上传完成", "已上传", "Processing", "complete", "Checks", "Finished"}

// visibilityRadio is the radio of each visibility a request may ask for,
// by its name attribute (§3.8 step 8: PUBLIC, UNLISTED, PRIVATE).
var visibilityRadio = map[string]string{"": "PUBLIC", "public": "PUBLIC", "unlisted": "UNLISTED", "private": "PRIVATE"}

// selVisibility is the radio of the visibility named name (§3.8 step 8).
func selVisibility(name string) string {
	return `tp-yt-paper-radio-button[name='` + name + `']`
}

// Schedule, on the visibility page: not in the reference, all assumed. The
// Schedule section expands with its button and takes a date and a time
// typed into its inputs, each committed with Enter; a scheduled video goes
// public at that time.
const (
	selScheduleExpand = `#second-container-expand-button`
	selScheduleDate   = `ytcp-datetime-picker #date-input`
	selScheduleTime   = `ytcp-datetime-picker #time-of-day-input`
	selScheduleError  = `ytcp-datetime-picker .error`
	scheduleDate      = "Jan 2, 2006"
	scheduleTime      = "15:04"
)
