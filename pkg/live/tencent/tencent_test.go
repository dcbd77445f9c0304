package tencent_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"fanout/pkg/live/tencent"
	"fanout/pkg/live/tencent/tencenttest"
)

// Tencent's worked example (intl doc 267/31560, "Hotlink Protection URL
// Calculation"): KEY e12c46f2612d5106e2034781ab261ca3, StreamName test,
// txTime 5C271099.
func TestPushURLReproducesTencentExample(t *testing.T) {
	expires := time.Unix(0x5C271099, 0)
	if got := tencent.TxTime(expires); got != "5C271099" {
		t.Fatalf("TxTime = %s, want 5C271099", got)
	}
	if got := tencent.TxSecret("e12c46f2612d5106e2034781ab261ca3", "test", "5C271099"); got != "f85a2ab363fe4deaffef9754d79da6fe" {
		t.Fatalf("TxSecret = %s", got)
	}
	// The case of txTime is part of the hash.
	if got := tencent.TxSecret("e12c46f2612d5106e2034781ab261ca3", "test", "5c271099"); got != "9603387445825a481e6b7496aced5746" {
		t.Fatalf("lower-case TxSecret = %s", got)
	}
	d := tencent.Domain{Host: "livepush.tcloud.com", AppName: "live", Key: "e12c46f2612d5106e2034781ab261ca3"}
	want := "rtmp://livepush.tcloud.com/live/test?txSecret=f85a2ab363fe4deaffef9754d79da6fe&txTime=5C271099"
	if got := d.RTMPURL("test", expires); got != want {
		t.Fatalf("RTMPURL =\n %s\nwant\n %s", got, want)
	}
	if got := (tencent.Domain{Host: "play.example.com"}).RTMPURL("s1", expires); got != "rtmp://play.example.com/live/s1" {
		t.Fatalf("unsigned URL = %s", got)
	}
}

// Tencent's Signature v3 worked example (www.tencentcloud.com/document/api/267/37447,
// cvm DescribeInstances at 1551113065 with the example SecretKey).
func TestTC3ReproducesTencentExample(t *testing.T) {
	payload := []byte(`{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}`)
	canonical := tencent.CanonicalRequest("cvm.tencentcloudapi.com", payload)
	wantCanonical := "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\ncontent-type;host\n" +
		"35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
	if canonical != wantCanonical {
		t.Fatalf("canonical request:\n%q\nwant\n%q", canonical, wantCanonical)
	}
	sts := tencent.StringToSign("cvm", 1551113065, canonical)
	wantSTS := "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
	if sts != wantSTS {
		t.Fatalf("string to sign:\n%q\nwant\n%q", sts, wantSTS)
	}
	const sig = "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
	if got := tencent.Signature("Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", "cvm", 1551113065, sts); got != sig {
		t.Fatalf("signature %s, want %s", got, sig)
	}
	auth := tencent.Authorization("AKID**********************0123456789EXAMPLE", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", "cvm", "cvm.tencentcloudapi.com", 1551113065, payload)
	want := "TC3-HMAC-SHA256 Credential=AKID**********************0123456789EXAMPLE/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=" + sig
	if auth != want {
		t.Fatalf("authorization:\n%s\nwant\n%s", auth, want)
	}
}

func TestRelayAgainstFake(t *testing.T) {
	fake := tencenttest.NewServer(t)
	c := &tencent.Client{Endpoint: fake.URL(), Service: "live", SecretID: fake.SecretID, SecretKey: fake.SecretKey}
	ctx := context.Background()
	now := time.Now()
	id, err := c.CreateRelay(ctx, tencent.Relay{SourceURL: "rtmp://play.example.com/live/dy123456",
		ToURL: "rtmp://push-rtmp.douyincdn.com/third/stream-1?sign=x", Start: now, End: now.Add(24 * time.Hour), Operator: "fanout"})
	if err != nil {
		t.Fatal(err)
	}
	tasks := fake.Tasks()
	if len(tasks) != 1 || tasks[0].TaskID != id || tasks[0].ToURL != "rtmp://push-rtmp.douyincdn.com/third/stream-1?sign=x" {
		t.Fatalf("tasks %+v", tasks)
	}
	if err := c.DeleteRelay(ctx, id, "fanout"); err != nil {
		t.Fatal(err)
	}
	if !fake.Tasks()[0].Deleted {
		t.Fatal("task not deleted")
	}
	// Deleting again is not an error: the task is gone either way.
	if err := c.DeleteRelay(ctx, id, "fanout"); err != nil {
		t.Fatalf("second delete: %v", err)
	}

	// A wrong key is refused by the fake's signature check, and the error
	// carries the code but not the secret.
	bad := *c
	bad.SecretKey = "wrong-key"
	_, err = bad.CreateRelay(ctx, tencent.Relay{SourceURL: "rtmp://a/live/b", ToURL: "rtmp://c/d/e", Start: now, End: now.Add(time.Hour), Operator: "fanout"})
	var ae *tencent.APIError
	if !errors.As(err, &ae) || ae.Code != "AuthFailure.SignatureFailure" {
		t.Fatalf("err %v, want AuthFailure.SignatureFailure", err)
	}
	if _, rejected := fake.Calls(); rejected != 1 {
		t.Fatalf("rejected %d, want 1", rejected)
	}

	// Bad parameters come back as API errors.
	_, err = c.CreateRelay(ctx, tencent.Relay{SourceURL: "rtmp://a/live/b", ToURL: "rtmp://c/d/e", Start: now, End: now.Add(8 * 24 * time.Hour), Operator: "fanout"})
	if !errors.As(err, &ae) || ae.Code != "InvalidParameterValue.EndTime" {
		t.Fatalf("err %v, want InvalidParameterValue.EndTime", err)
	}
}
