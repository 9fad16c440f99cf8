"""Background work for the window: one job at a time per worker, newest wins.

A :class:`Worker` runs jobs — callables ``job(progress, should_cancel) -> value`` — in its own
:class:`QThread`, so the UI thread only ever receives results. A job submitted with
``streams=True`` also gets ``publish(value)`` to hand over partial results as it goes (a bake
streams its frames); they arrive as :attr:`Worker.published` unless the job was superseded.
Submitting a job while one runs asks the running one to stop (bakes poll ``should_cancel``)
and starts the new one as soon as it has; results of superseded jobs are dropped. The bake,
the shot analysis and the export each run on a worker; the camera monitor has its own render
thread (:mod:`see1previs.gui.camera_monitor`).
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal

PROGRESS_INTERVAL_S = 0.1
Job = Callable[[Callable[[float], None], Callable[[], bool]], Any]


class _JobThread(QThread):
    progressed = Signal(float)
    # One tuple (value, exception or None): PySide6 mishandles the reference count of a bare
    # None sent through a queued ``object`` argument, which ends in a crash after many emits.
    done = Signal(object)
    published = Signal(object)

    def __init__(self, job: Job, streams: bool = False, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.job = job
        self.streams = streams
        self.cancel_flag = threading.Event()

    def run(self) -> None:
        last = [0.0, -1.0]  # time, fraction of the last report

        def progress(fraction: float) -> None:
            # Queued signals are all handled before the next repaint: a burst of them would
            # stall the window, so report at most every PROGRESS_INTERVAL_S.
            now = time.monotonic()
            if now - last[0] >= PROGRESS_INTERVAL_S or (fraction >= 1.0 > last[1]):
                last[0], last[1] = now, fraction
                self.progressed.emit(float(fraction))

        try:
            if self.streams:
                value = self.job(progress, self.cancel_flag.is_set, self.published.emit)
            else:
                value = self.job(progress, self.cancel_flag.is_set)
        except BaseException as exc:  # reported to the UI thread, which decides what to show
            exc.see1_traceback = traceback.format_exc()
            self.done.emit((None, exc))
        else:
            self.done.emit((value, None))


class Worker(QObject):
    """Runs jobs in a background thread, one at a time; a new job supersedes the running one."""

    started = Signal(object)  # token
    progress = Signal(object, float)  # token, fraction 0..1
    finished = Signal(object, object)  # token, value
    failed = Signal(object, object)  # token, exception
    cancelled = Signal(object)  # token
    published = Signal(object, object)  # token, a partial result of a streaming job
    busy_changed = Signal(bool)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self._thread: _JobThread | None = None
        self._token: object = None
        self._pending: tuple[object, Job, bool] | None = None
        self._user_cancelled = False

    @property
    def busy(self) -> bool:
        return self._thread is not None

    @property
    def token(self) -> object:
        return self._token

    def submit(self, token: object, job: Job, streams: bool = False) -> None:
        """Run ``job`` as soon as possible; a running job is asked to stop first.

        With ``streams`` the job is called with a third argument, ``publish(value)``.
        """
        self._pending = (token, job, streams)
        if self._thread is not None:
            self._thread.cancel_flag.set()
        else:
            self._start_pending()

    def cancel(self) -> None:
        """Stop the running job and forget the pending one."""
        self._pending = None
        if self._thread is not None:
            self._user_cancelled = True
            self._thread.cancel_flag.set()

    def wait(self, timeout_ms: int = 30000) -> bool:
        """Block until the running job ends (closing the window, tests)."""
        thread = self._thread
        return True if thread is None else thread.wait(timeout_ms)

    def _start_pending(self) -> None:
        token, job, streams = self._pending
        self._pending = None
        self._token = token
        self._user_cancelled = False
        thread = _JobThread(job, streams, self)
        thread.progressed.connect(lambda f, t=token: self.progress.emit(t, f))
        thread.published.connect(lambda value, t=token, th=thread: self._published(t, th, value))
        thread.done.connect(lambda outcome, t=token, th=thread: self._done(t, th, *outcome))
        self._thread = thread
        self.started.emit(token)
        self.busy_changed.emit(True)
        thread.start()

    def _published(self, token: object, thread: _JobThread, value: Any) -> None:
        if thread is self._thread and self._pending is None and not thread.cancel_flag.is_set():
            self.published.emit(token, value)

    def _done(self, token: object, thread: _JobThread, value: Any, exc: BaseException | None):
        thread.wait()
        thread.deleteLater()
        self._thread = None
        superseded = self._pending is not None
        if (exc is not None and _is_cancel(exc)) or self._user_cancelled or superseded:
            self.cancelled.emit(token)
        elif exc is not None:
            self.failed.emit(token, exc)
        else:
            self.finished.emit(token, value)
        if self._pending is not None:
            self._start_pending()
        else:
            self.busy_changed.emit(False)


def _is_cancel(exc: BaseException) -> bool:
    from see1previs.physics.bake import BakeCancelled

    return isinstance(exc, BakeCancelled)
