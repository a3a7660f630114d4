# Runs a command in a pseudo-terminal and relays bytes: this process's stdin to the terminal,
# the terminal's output to this process's stdout. Exits with the command's exit status.
# Used by test/support/pty.ts (tests of the interactive shell); needs only Python's stdlib.
import os
import pty
import select
import sys

pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])

inputs = [fd, 0]
while True:
    ready, _, _ = select.select(inputs, [], [])
    if fd in ready:
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        os.write(1, data)
    if 0 in ready:
        data = os.read(0, 65536)
        if data:
            os.write(fd, data)
        else:
            inputs.remove(0)

_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
