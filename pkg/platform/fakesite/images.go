package fakesite

import (
	"net/http"
)

// Image is one image of an image note (图文) as every site records it: its
// hash, size and name, in the note's order.
type Image struct {
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
	Name   string `json:"name"`
}

// TextNoImages refuses a note without images; TextUnknownImage one that
// names an image the site never received (assumed wording: no working
// tool meets them).
const (
	TextNoImages     = "请上传图片"
	TextUnknownImage = "图片不存在，请重新上传"
)

// HandleImageUpload serves the upload of a note's images at path (POST,
// multipart "file", one image a request, as the pages send them in
// order), to logged-in API calls only, answering {"image_id": id}. An
// upload FailNextUpload fails gets HTTP 500 with Texts.UploadFailed.
func (k *Kernel[P]) HandleImageUpload(path string) {
	k.HandleFunc("POST "+path, k.API(func(w http.ResponseWriter, r *http.Request) {
		api := k.cfg.API
		f, ok := k.receiveLocked(w, r)
		if !ok {
			return
		}
		id := RandomID(8)
		k.covers[id] = f
		k.mu.Unlock()
		WriteJSON(w, http.StatusOK, api.OK(map[string]string{"image_id": id}))
	}))
}

// Images returns the images a note names, in its order, or the site's
// refusal when it names none or one the site never received; max is the
// site's ceiling (its refusal tooMany).
func (k *Kernel[P]) Images(ids []string, max int, tooMany string) ([]Image, string) {
	switch {
	case len(ids) == 0:
		return nil, TextNoImages
	case len(ids) > max:
		return nil, tooMany
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	out := make([]Image, 0, len(ids))
	for _, id := range ids {
		f := k.covers[id]
		if f == nil {
			return nil, TextUnknownImage
		}
		out = append(out, Image{SHA256: f.SHA256, Size: f.Size, Name: f.Name})
	}
	return out, ""
}
