package youtubetest

import (
	"embed"
	"net/http"

	"fanout/pkg/platform/fakesite"
)

// pages are the site's pages and assets, in its folder web.
//
//go:embed web
var pages embed.FS

// Paths: the pages' are the real ones (§3.8), the API's are shaped like
// Studio's internal API (assumed).
const (
	pathSignin      = "/v3/signin/identifier"
	pathChannel     = "/channel/" + ChannelID
	apiUpload       = "/upload/studio"
	apiUploadStatus = "/upload/studio/status"
	apiThumbnail    = "/youtubei/v1/video_manager/thumbnail"
	apiCreate       = "/youtubei/v1/upload/createvideo"
	apiShare        = "/youtubei/v1/share/get_share_panel"
)

func (s *Site) routes() {
	s.HandleFunc("GET /{$}", s.Authed(redirect(pathChannel)))
	s.HandleFunc("GET /upload", s.Authed(redirect(pathChannel+"/videos/upload?d=ud")))
	s.HandleFunc("GET /channel/{id}", s.Authed(mine(s.Page("dashboard.html"))))
	s.HandleFunc("GET /channel/{id}/videos/upload", s.Authed(mine(s.Layout("upload.html"))))
	s.HandleFunc("GET /channel/{id}/videos", s.Authed(mine(s.PostsPage("videos.html"))))
	s.HandleFunc("GET "+pathSignin, s.LoggedOut("/", s.Page("signin.html")))

	s.HandleUploads(apiUpload, apiUploadStatus, apiThumbnail)
	s.HandleFunc("POST "+apiCreate, s.API(fakesite.Submit(s.Kernel, s.accept, func(p Post) any {
		return map[string]any{"video_id": p.ID}
	})))
	// The dialog after Done asks for the watch link; DelayManage slows it
	// down once per publish.
	s.HandleFunc("GET "+apiShare, s.API(s.Landing(func(w http.ResponseWriter, r *http.Request) {
		fakesite.WriteJSON(w, http.StatusOK, apiResp{Data: map[string]string{"video_id": r.URL.Query().Get("video_id")}})
	})))
}

// redirect sends the browser to path, as Studio's entry pages do.
func redirect(path string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, path, http.StatusFound) }
}

// mine serves h for the fake's channel only.
func mine(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("id") != ChannelID {
			http.NotFound(w, r)
			return
		}
		h(w, r)
	}
}

// apiResp is the envelope of every JSON answer (assumed shape).
type apiResp struct {
	Error *apiError `json:"error,omitempty"`
	Data  any       `json:"data,omitempty"`
}

type apiError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}
