package tiktok

import (
	"testing"
	"time"
)

// The calendar's title is the month's name only, in the page's language
// (SAU TK:99; the CN uploader's 一月 … 十二月).
func TestMonthReadsTheNameOnly(t *testing.T) {
	for title, want := range map[string]time.Month{"December": time.December, " january ": time.January,
		"十二月": time.December, "一月": time.January, "十一月": time.November} {
		if got, ok := month(title); !ok || got != want {
			t.Errorf("month(%q) = %v, %v; want %v", title, got, ok, want)
		}
	}
	// A year or another language is no title the driver knows.
	for _, title := range []string{"December 2026", "Dezember", "12月", ""} {
		if got, ok := month(title); ok {
			t.Errorf("month(%q) = %v, want none", title, got)
		}
	}
}

// The year a title shows is counted from now: the one that puts the month
// nearest.
func TestNearestCountsTheYearFromNow(t *testing.T) {
	at := func(y int, m time.Month) time.Time { return time.Date(y, m, 28, 12, 0, 0, 0, time.UTC) }
	months := func(y int, m time.Month) int { return y*12 + int(m) - 1 }
	for _, c := range []struct {
		now  time.Time
		m    time.Month
		want int
	}{
		{at(2026, time.December), time.January, months(2027, time.January)},
		{at(2027, time.January), time.December, months(2026, time.December)},
		{at(2026, time.June), time.June, months(2026, time.June)},
		{at(2026, time.March), time.May, months(2026, time.May)},
		{at(2026, time.February), time.November, months(2025, time.November)},
	} {
		if got := nearest(c.m, c.now); got != c.want {
			t.Errorf("nearest(%v, %v) = %d-%02d, want %d-%02d", c.m, c.now.Format("2006-01"), got/12, got%12+1, c.want/12, c.want%12+1)
		}
	}
}
