package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
)

// Profiling for `make bench PROFILE=1`: when ANNALS_CPUPROFILE or
// ANNALS_MEMPROFILE name a file, the command writes a pprof CPU profile or
// an allocation profile there. They are for developers and are not part of
// the command line a user sees.
const (
	envCPUProfile = "ANNALS_CPUPROFILE"
	envMemProfile = "ANNALS_MEMPROFILE"
)

// startProfiles starts what the environment asks for and returns the
// function that writes the profiles out.
func startProfiles() (stop func()) {
	cpu, mem := os.Getenv(envCPUProfile), os.Getenv(envMemProfile)
	if cpu == "" && mem == "" {
		return func() {}
	}
	var cpuFile *os.File
	if cpu != "" {
		f, err := os.Create(cpu)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "annals: %s: %v\n", envCPUProfile, err)
		} else {
			cpuFile = f
		}
	}
	return func() {
		if cpuFile != nil {
			pprof.StopCPUProfile()
			cpuFile.Close()
		}
		if mem != "" {
			f, err := os.Create(mem)
			if err == nil {
				runtime.GC()
				err = pprof.Lookup("allocs").WriteTo(f, 0)
				f.Close()
			}
			if err != nil {
				fmt.Fprintf(os.Stderr, "annals: %s: %v\n", envMemProfile, err)
			}
		}
	}
}
