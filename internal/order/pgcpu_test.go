package order_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// pgCPU measures the CPU time that PostgreSQL's server processes serving
// database db spend from now until the returned function is called, by
// reading /proc (a server on this machine, Linux). Unlike throughput, CPU
// per transaction hardly depends on what else the machine is doing, so it
// compares the checkout with pgbench's transaction even on a busy machine.
// It returns 0 when /proc does not show the server's processes.
func pgCPU(db string) func() time.Duration {
	tick := float64(100) // USER_HZ on Linux
	mark := []byte(" " + db + " ")
	read := func() map[int]float64 {
		out := map[int]float64{}
		dirs, _ := filepath.Glob("/proc/[0-9]*")
		for _, d := range dirs {
			cmd, err := os.ReadFile(d + "/cmdline")
			if err != nil || !bytes.HasPrefix(cmd, []byte("postgres:")) || !bytes.Contains(cmd, mark) {
				continue
			}
			stat, err := os.ReadFile(d + "/stat")
			if err != nil {
				continue
			}
			i := bytes.LastIndexByte(stat, ')')
			f := strings.Fields(string(stat[i+1:]))
			if len(f) < 13 {
				continue
			}
			u, _ := strconv.ParseFloat(f[11], 64)
			s, _ := strconv.ParseFloat(f[12], 64)
			pid, _ := strconv.Atoi(filepath.Base(d))
			out[pid] = (u + s) / tick
		}
		return out
	}
	base := read()
	var mu sync.Mutex
	last := map[int]float64{}
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-done:
				return
			case <-time.After(100 * time.Millisecond):
			}
			now := read()
			mu.Lock()
			for p, c := range now {
				last[p] = c
			}
			mu.Unlock()
		}
	}()
	return func() time.Duration {
		close(done)
		now := read()
		mu.Lock()
		defer mu.Unlock()
		for p, c := range now {
			last[p] = c
		}
		var sum float64
		for p, c := range last {
			sum += c - base[p]
		}
		return time.Duration(sum * float64(time.Second))
	}
}

// processCPU is the CPU time this process has used so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
