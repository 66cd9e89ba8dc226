//go:build !linux

package stripetest

import "os/exec"

// setProcAttr does nothing where the system cannot tie the child's life to
// the test binary's; Close and Main still stop stripe-mock.
func setProcAttr(*exec.Cmd) {}
