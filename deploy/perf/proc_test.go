package perf_test

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Process-tree accounting from /proc, so the worker (and its Chromium) and
// the minimal pool are measured the same way, each in its own process.

// clockTicks is USER_HZ, the unit of /proc/<pid>/stat times (100 on Linux).
const clockTicks = 100

type procInfo struct {
	ppid int
	cpu  float64 // seconds: utime+stime+cutime+cstime
}

func readProcs() map[int]procInfo {
	out := map[int]procInfo{}
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, d := range dirs {
		pid, err := strconv.Atoi(filepath.Base(d))
		if err != nil {
			continue
		}
		b, err := os.ReadFile(d + "/stat")
		if err != nil {
			continue
		}
		// Fields after the command (which may hold spaces) in parentheses.
		i := bytes.LastIndexByte(b, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(string(b[i+1:]))
		if len(f) < 15 {
			continue
		}
		ppid, _ := strconv.Atoi(f[1])
		var ticks float64
		for _, k := range []int{11, 12, 13, 14} { // utime stime cutime cstime
			v, _ := strconv.ParseFloat(f[k], 64)
			ticks += v
		}
		out[pid] = procInfo{ppid: ppid, cpu: ticks / clockTicks}
	}
	return out
}

// tree returns root and its live descendants.
func tree(root int, procs map[int]procInfo) []int {
	kids := map[int][]int{}
	for pid, p := range procs {
		kids[p.ppid] = append(kids[p.ppid], pid)
	}
	out := []int{root}
	for i := 0; i < len(out); i++ {
		out = append(out, kids[out[i]]...)
	}
	return out
}

// treeCPU is the CPU seconds root's tree has used: the live processes' own
// and their reaped children's (a reaped child's time is in its parent's
// cutime/cstime, so nothing counts twice).
func treeCPU(root int) float64 {
	procs := readProcs()
	var s float64
	for _, pid := range tree(root, procs) {
		s += procs[pid].cpu
	}
	return s
}

// treePSS is root's tree's proportional set size in bytes.
func treePSS(root int) int64 {
	var sum int64
	for _, pid := range tree(root, readProcs()) {
		f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/smaps_rollup")
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if v, ok := strings.CutPrefix(sc.Text(), "Pss:"); ok {
				kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
				sum += kb * 1024
				break
			}
		}
		f.Close()
	}
	return sum
}

// peakPSS samples root's tree every 100 ms until stop is called, which
// returns the peak.
func peakPSS(root int) (stop func() int64) {
	var mu sync.Mutex
	var peak int64
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			if p := treePSS(root); p > 0 {
				mu.Lock()
				peak = max(peak, p)
				mu.Unlock()
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() int64 {
		close(done)
		<-finished
		mu.Lock()
		defer mu.Unlock()
		return peak
	}
}
