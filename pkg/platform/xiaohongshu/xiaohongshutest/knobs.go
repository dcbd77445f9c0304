package xiaohongshutest

import (
	"net/http"
	"strings"
	"sync/atomic"

	"fanout/pkg/platform/fakesite"
)

// TitleOnly is the UploadDoneSignal under which the status card goes away
// once the upload finished and only the note's title input, shown then,
// says so: the reference uploader's fallback when it finds no card (SAU
// X:660-665).
const TitleOnly = "title"

// UploadDoneSignals are the ways the status card can say an upload
// finished: the reference uploader takes any of these texts in the card
// (SAU X:641), or the title input without a card (TitleOnly). Which one a
// given upload shows is not recorded (assumed), so the site varies it.
var UploadDoneSignals = []string{"上传成功", "分辨率", "重新上传", "编辑封面", "已上传", "已选择", "100%", TitleOnly}

// NoSuggestion in a topic means the topic list finds nothing for it, so no
// list opens: the reference uploader's "no match" (SAU X:444-445). Which
// words the real association finds is the site's business (assumed: a
// marker stands in for it).
const NoSuggestion = "无候选"

// doneTurn rotates the sign of a finished upload across every upload of
// every site in the process, so that the conformance suite's publishes see
// different signs and a driver that knows only one fails there too.
var doneTurn atomic.Uint64

// UploadDoneSignal makes every finished upload show sig (one of
// UploadDoneSignals); "" restores the rotation.
func (s *Site) UploadDoneSignal(sig string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.doneSignal = sig
}

// QRAsDataURL makes the login page show its QR code as a data URL instead
// of an image URL (the default), the other case the reference uploader
// handles (SAU X:138-142).
func (s *Site) QRAsDataURL(v bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.qrDataURL = v
}

// reset restores the site's own knobs (Kernel.Reset).
func (s *Site) reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.doneSignal = ""
	s.qrDataURL = false
}

// handleDoneSignal tells the publish page how its finished upload shows:
// {"signal": one of UploadDoneSignals}.
func (s *Site) handleDoneSignal(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	sig := s.doneSignal
	s.mu.Unlock()
	if sig == "" {
		sig = UploadDoneSignals[(doneTurn.Add(1)-1)%uint64(len(UploadDoneSignals))]
	}
	fakesite.WriteJSON(w, http.StatusOK, map[string]string{"signal": sig})
}

// handleNewQR answers the login page's request for a QR code with its
// qr_id and, as url, the address of its image (assumed: the reference
// uploader screenshots an image whose src is no data URL, SAU X:138-142),
// or with QRAsDataURL the image itself.
func (s *Site) handleNewQR(w http.ResponseWriter, r *http.Request) {
	token, dataURL, err := s.NewQR(r)
	if err != nil {
		fakesite.WriteJSON(w, http.StatusInternalServerError, apiResp{Code: 500, Msg: err.Error()})
		return
	}
	s.mu.Lock()
	asData := s.qrDataURL
	s.mu.Unlock()
	url := "/qr/" + token + ".png"
	if asData {
		url = dataURL
	}
	fakesite.WriteJSON(w, http.StatusOK, apiResp{Success: true, Data: map[string]string{"qr_id": token, "url": url}})
}

// handleQRImage serves the PNG of a QR code handleNewQR issued.
func (s *Site) handleQRImage(w http.ResponseWriter, r *http.Request) {
	png := s.QRImage(strings.TrimSuffix(r.PathValue("file"), ".png"))
	if png == nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	_, _ = w.Write(png)
}
