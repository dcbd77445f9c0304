package tiktoktest

import (
	"bytes"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
)

// The languages the fake's pages come in. TikTok Studio says which one it
// speaks in <html lang> (a working n8n TikTok node reads it there; the
// codes are assumed). English and Chinese are the two the driver knows;
// German stands for every other language, which the driver must switch
// away from in the menu.
const (
	English = "en"
	Chinese = "zh-Hans"
	German  = "de"
)

var languages = []string{English, Chinese, German}

// LangCookie holds the language a browser chose in the menu (the name is
// assumed). The site ignores the lang query parameter: only the menu
// changes the language (platform-fidelity.md §TikTok, SAU TK:243-254).
const LangCookie = "tt-lang"

// SetLanguage sets the account's language, which the pages speak to a
// browser that chose none in the menu. Default English.
func (s *Site) SetLanguage(lang string) {
	if !slices.Contains(languages, lang) {
		panic(fmt.Sprintf("tiktoktest: unknown language %q", lang))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lang = lang
}

// SetCalendarOffset makes the schedule's calendar open months away from
// the month of the date it holds, as after a date in another month was
// picked, so a test sees the driver page through the months. Default 0.
func (s *Site) SetCalendarOffset(months int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calendarOffset = months
}

// language is the language the pages speak to r's browser: the menu's
// choice, else the account's.
func (s *Site) language(r *http.Request) string {
	if c, err := r.Cookie(LangCookie); err == nil && slices.Contains(languages, c.Value) {
		return c.Value
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lang
}

// localized serves h's page in the browser's language: the pages are
// written in English and app.js translates them by <html lang>, which this
// sets (with the calendar knob next to it).
func (s *Site) localized(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		h(rec, r)
		body := rec.Body.Bytes()
		s.mu.Lock()
		offset := s.calendarOffset
		s.mu.Unlock()
		html := fmt.Sprintf(`<html lang="%s" data-calendar-offset="%d">`, s.language(r), offset)
		body = bytes.Replace(body, []byte(`<html lang="en">`), []byte(html), 1)
		maps.Copy(w.Header(), rec.Header())
		w.WriteHeader(rec.Code)
		_, _ = w.Write(body)
	}
}
