"""custseg.bench_engine: the server's CPU seconds come from /proc/<pid>/stat."""

import os
from pathlib import Path

from custseg.bench_engine import CLOCK_TICKS, server_cpu_seconds


def test_the_cpu_fields_are_read_after_a_command_name_with_spaces_and_parentheses():
    # pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt
    # utime stime cutime cstime ...
    line = "4242 (postgres: a (b) c) S 1 4242 4242 0 -1 4194560 10 20 0 0 " \
           f"{3 * CLOCK_TICKS} {CLOCK_TICKS} {5 * CLOCK_TICKS} {2 * CLOCK_TICKS} 20 0 1 0"
    assert server_cpu_seconds(line) == 11


def test_a_busy_process_reads_more_cpu_afterwards():
    stat = Path(f"/proc/{os.getpid()}/stat")
    before = server_cpu_seconds(stat.read_text())
    total = 0
    for number in range(3_000_000):
        total += number * number
    assert total > 0
    assert server_cpu_seconds(stat.read_text()) > before
