// Command rss runs a command and reports its wall time and peak resident
// memory (from getrusage), so bench scripts need nothing beyond Go.
//
//	go run ./bench/rss [-max-mb N] [-records N] -- annals validate records.jsonl
//
// With -records it also reports records per second.
// With -max-mb it exits 1 when the peak exceeds N MiB. The command's own
// exit code is reported, not propagated: benchmarks feed invalid data on
// purpose.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"time"
)

func main() {
	maxMB := flag.Float64("max-mb", 0, "fail when peak RSS exceeds this many MiB (0: no limit)")
	label := flag.String("label", "", "label printed in front of the figures")
	records := flag.Int("records", 0, "records the command handles, to report records/s")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: rss [-max-mb N] [-label L] -- command [args...]")
		os.Exit(2)
	}
	cmd := exec.Command(flag.Arg(0), flag.Args()[1:]...)
	cmd.Stdout, cmd.Stderr = nil, os.Stderr
	start := time.Now()
	err := cmd.Run()
	elapsed := time.Since(start)
	if cmd.ProcessState == nil {
		fmt.Fprintln(os.Stderr, "rss:", err)
		os.Exit(2)
	}
	ru, _ := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	peak := float64(ru.Maxrss) / 1024 // Linux reports KiB
	rate := ""
	if *records > 0 {
		rate = fmt.Sprintf("\trecords/s=%.0f", float64(*records)/elapsed.Seconds())
	}
	fmt.Printf("%s\texit=%d\twall=%.2fs%s\tpeak_rss=%.1f MiB\n", *label, cmd.ProcessState.ExitCode(), elapsed.Seconds(), rate, peak)
	if *maxMB > 0 && peak > *maxMB {
		fmt.Fprintf(os.Stderr, "rss: peak RSS %.1f MiB exceeds the limit of %.0f MiB\n", peak, *maxMB)
		os.Exit(1)
	}
}
