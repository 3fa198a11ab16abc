//go:build unix

package main

import (
	"os"
	"syscall"
)

// owner is a file's owner, group and number of hard links.
type owner struct{ uid, gid, links int }

func fileOwner(info os.FileInfo) (owner, bool) {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return owner{}, false
	}
	return owner{int(st.Uid), int(st.Gid), int(st.Nlink)}, true
}
