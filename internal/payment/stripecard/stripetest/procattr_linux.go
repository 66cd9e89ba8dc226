package stripetest

import (
	"os/exec"
	"syscall"
)

// setProcAttr asks Linux to kill stripe-mock if the test binary dies
// without cleaning up (a test timeout panics past every Cleanup), so that
// no stray mock is left on a shared machine.
func setProcAttr(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
