// Package tencent is Fanout's Tencent Cloud CSS (云直播) adapter: the signed
// push URL a broadcaster puts into OBS, and the Cloud API 3.0 calls
// (TC3-HMAC-SHA256 signed) that relay that stream to Douyin's RTMP ingest
// (拉流转推, CreateLivePullStreamTask / DeleteLivePullStreamTask).
//
// Push and playback hotlink protection follow Tencent's "自主拼装直播 URL"
// rule: txTime is the expiry as upper-case hex Unix seconds and
// txSecret = md5(key + StreamName + txTime). The string hashed is exactly the
// string put in the URL, so the case of txTime matters.
package tencent

import (
	"crypto/md5"
	"encoding/hex"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// DefaultPushExpiry is how long a push URL stays valid: Tencent recommends
// about a day so a broadcaster can reconnect after a network blip.
const DefaultPushExpiry = 24 * time.Hour

// TxTime is the txTime of a URL that expires at t: its Unix seconds in
// upper-case hex, as in Tencent's worked examples (5C271099).
func TxTime(t time.Time) string { return strings.ToUpper(strconv.FormatInt(t.Unix(), 16)) }

// TxSecret is md5(key + stream + txTime) in lower-case hex. stream is the
// StreamName without the AppName.
func TxSecret(key, stream, txTime string) string {
	sum := md5.Sum([]byte(key + stream + txTime))
	return hex.EncodeToString(sum[:])
}

// Domain is one CSS domain (push or playback) with its hotlink key.
type Domain struct {
	// Host is the domain, e.g. 12345.livepush.myqcloud.com.
	Host string
	// AppName is the path segment before the stream name ("live").
	AppName string
	// Key is the domain's authentication key; empty means the URL is not
	// signed (authentication off).
	Key string
}

// RTMPURL is rtmp://Host/AppName/stream, signed with Key until expires when
// a key is set.
func (d Domain) RTMPURL(stream string, expires time.Time) string {
	app := d.AppName
	if app == "" {
		app = "live"
	}
	u := "rtmp://" + d.Host + "/" + app + "/" + url.PathEscape(stream)
	if d.Key == "" {
		return u
	}
	tt := TxTime(expires)
	return u + "?txSecret=" + TxSecret(d.Key, stream, tt) + "&txTime=" + tt
}
