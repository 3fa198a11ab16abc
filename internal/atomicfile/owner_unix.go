//go:build unix

package atomicfile

import (
	"os"
	"syscall"
)

// owner is a file's owner, group and number of hard links, and when its
// inode last changed (its ctime, which no one can set back, as touch -r
// sets a modification time back).
type owner struct {
	uid, gid, links int
	changed         int64 // nanoseconds
}

func fileOwner(info os.FileInfo) (owner, bool) {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return owner{}, false
	}
	return owner{int(st.Uid), int(st.Gid), int(st.Nlink), changeTime(st)}, true
}
