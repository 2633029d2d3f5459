"""Peak memory of a process and its children, sampled from /proc (Linux)."""

import os
import threading
import time
from pathlib import Path

PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _parents() -> dict[int, int]:
    """pid -> parent pid of every process (/proc/<pid>/task/*/children is not on every
    kernel, so the tree is worked out from each process's stat line)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # the process ended between listing and reading
            continue
        # The command name in brackets may hold spaces; the parent pid follows the state.
        parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    return parents


def tree_pids(pid: int) -> list[int]:
    """`pid` and every descendant (a prefork pool's children)."""
    children: dict[int, list[int]] = {}
    for child, parent in _parents().items():
        children.setdefault(parent, []).append(child)
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def cpu_seconds(pid: int) -> float | None:
    """User and system CPU time of one process so far, or None if it has gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def _pss_bytes(pid: int) -> int:
    """Proportional set size: the process's own pages, plus its share of the pages it
    shares with others. A prefork pool shares most of its parent's memory copy-on-write;
    adding up resident sizes would count those pages once per process."""
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) * 1024
    raise ValueError("no Pss line")


def memory_bytes(pids: list[int]) -> int:
    """The memory the process tree takes (PSS summed; resident size where the kernel has
    no smaps_rollup)."""
    total = 0
    for pid in pids:
        try:
            total += _pss_bytes(pid)
        except (OSError, ValueError):
            try:
                total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_BYTES
            except (OSError, IndexError, ValueError):  # gone since the tree was read
                continue
    return total


class PeakMemory:
    """Samples a process tree's memory (PSS) every `interval` seconds in a thread, and
    the CPU time each of its processes has used (as last seen alive).

    The tree is re-read once a second: scanning all of /proc at every sample would cost
    the machine being measured more than the reading itself.
    """

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        self.pid = pid
        self.interval = interval
        self.peak_bytes = 0
        self.last_bytes = 0
        self._cpu: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        pids: list[int] = []
        read_at = 0.0
        while not self._stop.is_set():
            if time.monotonic() - read_at >= 1.0:
                pids, read_at = tree_pids(self.pid), time.monotonic()
                for pid in pids:
                    used = cpu_seconds(pid)
                    if used is not None:
                        self._cpu[pid] = used
            self.last_bytes = memory_bytes(pids)
            self.peak_bytes = max(self.peak_bytes, self.last_bytes)
            self._stop.wait(self.interval)

    @property
    def cpu_seconds(self) -> float:
        return sum(self._cpu.values())

    def __enter__(self) -> "PeakMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
