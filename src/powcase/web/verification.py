"""Verifying every chain takes a while on a large register: it runs in a background thread of this
process, and its page refreshes itself (``<meta http-equiv="refresh">``, no script) with the number
of cases checked so far, until the verdict. A job belongs to the account that started it and is
held in memory only (lost on restart: verify again)."""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from powcase.app.office import Office

HELD = 20


@dataclass
class VerifyJob:
    id: str
    owner: str
    total: int
    checked: int = 0
    finished: bool = False
    breaks: list[str] = field(default_factory=list)
    log: list[str] = field(default_factory=list)
    failure: str | None = None

    def step(self, n: int = 1) -> None:
        self.checked += n

    def run(self, office: Office) -> None:
        try:
            breaks, log = office.verify(self.step)
            self.breaks, self.log = [str(b) for b in breaks], list(log)
        except Exception as exc:  # a verify that could not finish is a finding, shown as such
            self.failure = f"{type(exc).__name__}: {exc}"
        finally:
            self.finished = True


class VerifyJobs:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._jobs: OrderedDict[str, VerifyJob] = OrderedDict()

    def start(self, office: Office, wait: float) -> VerifyJob:
        """Start verifying; wait up to ``wait`` seconds, so that a small register answers at once."""
        job = VerifyJob("VJ-" + secrets.token_hex(8), office.user.name, office.pw.count_cases())
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > HELD:
                self._jobs.popitem(last=False)
        worker = threading.Thread(target=job.run, args=(office,), name=job.id, daemon=True)
        worker.start()
        worker.join(wait)
        return job

    def get(self, job_id: str, owner: str) -> VerifyJob | None:
        with self._lock:
            job = self._jobs.get(job_id)
        return job if job is not None and job.owner == owner else None
