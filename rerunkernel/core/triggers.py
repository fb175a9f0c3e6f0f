"""Why a session runs again, and how many requests become one run.

Widget observers and the file watcher live on other threads and must not run the script
themselves (docs/ARCHITECTURE.md, "Reruns on the main thread"); they only record a trigger
here. Requests merge while one is waiting (the newest parent wins, button clicks
accumulate), and a request that arrives while a run is going marks that run stale so it can
stop at its next element call.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

IDLE, SCHEDULED, RUNNING = "idle", "scheduled", "running"


@dataclass
class Trigger:
    """One reason to run. `parent` is the message that caused it (for busy/idle).

    `fragments` names the fragments that alone need to run again (a widget inside one
    changed, its `run_every` came due); None is the whole script. Merged with a request for
    the whole script, it is the whole script.
    """

    reason: str = "rerun"
    parent: Any = None
    clicked: set[str] = field(default_factory=set)
    changed: set[str] = field(default_factory=set)
    fragments: tuple[str, ...] | None = None

    def merge(self, newer: Trigger) -> Trigger:
        fragments = None
        if self.fragments is not None and newer.fragments is not None:
            fragments = tuple(dict.fromkeys(self.fragments + newer.fragments))
        return Trigger(
            reason=newer.reason,
            parent=newer.parent if newer.parent is not None else self.parent,
            clicked=self.clicked | newer.clicked,
            changed=self.changed | newer.changed,
            fragments=fragments,
        )


class RerunRequests:
    """A small locked state machine: idle → scheduled → running (→ running again) → idle."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._state = IDLE
        self._pending: Trigger | None = None
        self.generation = 0

    @property
    def state(self) -> str:
        return self._state

    @property
    def stale(self) -> bool:
        """A newer trigger is waiting: the current run's result would be out of date."""
        return self._state == RUNNING and self._pending is not None

    @property
    def has_pending(self) -> bool:
        return self._pending is not None

    def request(self, trigger: Trigger) -> bool:
        """Record a trigger; True when the caller must schedule a run (nobody else will)."""
        with self._lock:
            self.generation += 1
            self._pending = trigger if self._pending is None else self._pending.merge(trigger)
            if self._state == IDLE:
                self._state = SCHEDULED
                return True
            return False

    def begin(self, trigger: Trigger | None = None) -> Trigger | None:
        """Start running: take what is pending (merged with `trigger`, if the caller has one)."""
        with self._lock:
            pending, self._pending = self._pending, None
            if trigger is not None:
                pending = trigger if pending is None else pending.merge(trigger)
            self._state = RUNNING if pending is not None else IDLE
            return pending

    def next(self) -> Trigger | None:
        """A run ended: return the next trigger to run, or go idle."""
        with self._lock:
            pending, self._pending = self._pending, None
            self._state = RUNNING if pending is not None else IDLE
            return pending

    def abandon(self) -> None:
        """Stop running without serving what is pending (an interrupt): drop it, go idle."""
        with self._lock:
            self._pending = None
            self._state = IDLE
