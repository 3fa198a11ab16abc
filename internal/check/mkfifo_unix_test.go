//go:build unix

package check

import "syscall"

func mkfifo(path string) { syscall.Mkfifo(path, 0o600) }
