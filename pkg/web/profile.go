package web

import (
	"crypto/sha256"
	"encoding/binary"
)

// Profile is how an account's browser presents itself: the same machine,
// language and clock for every task of the account, as a person's own
// computer would, instead of a fresh headless fingerprint per task. It is
// stored with the account; the browser version in the user agent is the
// running Chromium's, so the user agent and the browser's client hints agree.
type Profile struct {
	// OS is "windows" or "macos": the platform the user agent names.
	OS string `json:"os"`
	// Locale is the browser language (navigator.language, Accept-Language).
	Locale string `json:"locale"`
	// TimeZone is an IANA zone the page's clock reports.
	TimeZone string `json:"time_zone"`
	// Width and Height are the window's inner size in CSS pixels.
	Width  int `json:"width"`
	Height int `json:"height"`
}

// desktops are common desktop window sizes.
var desktops = [][2]int{{1920, 1080}, {1536, 864}, {1440, 900}, {1366, 768}, {1680, 1050}, {1600, 900}}

// NewProfile returns the profile for an account: stable for one seed (the
// account id), varied across accounts. Chinese platforms get zh-CN in
// Asia/Shanghai; TikTok (international) gets en-US.
func NewProfile(seed string, international bool) Profile {
	h := sha256.Sum256([]byte(seed))
	n := binary.BigEndian.Uint64(h[:8])
	size := desktops[n%uint64(len(desktops))]
	p := Profile{OS: "windows", Locale: "zh-CN", TimeZone: "Asia/Shanghai", Width: size[0], Height: size[1]}
	if (n>>8)%4 == 0 {
		p.OS = "macos"
	}
	if international {
		p.Locale, p.TimeZone = "en-US", "America/Los_Angeles"
	}
	return p
}

// UserAgent is the user agent of a desktop Chrome of version (e.g.
// "156.0.8078.114") on the profile's OS, without "Headless".
func (p Profile) UserAgent(version string) string {
	osPart := "Windows NT 10.0; Win64; x64"
	if p.OS == "macos" {
		osPart = "Macintosh; Intel Mac OS X 10_15_7"
	}
	return "Mozilla/5.0 (" + osPart + ") AppleWebKit/537.36 (KHTML, like Gecko) Chrome/" + version + " Safari/537.36"
}
