"""Faults for the report worker tests, loaded into a real worker with
`celery worker --include tests.report_faults` (never by the application itself).

REPORT_FAULT in the worker's environment:
- "slow:<seconds>": each render first writes its process id to REPORT_FAULT_DIR/rendering-
  <pid> and sleeps, so that a test can kill the process in the middle of a render;
- "crash": every render raises, as a bug would.
"""

import os
import time
from pathlib import Path

from celery.signals import worker_process_init


class InjectedCrash(RuntimeError):
    pass


def _faulty(render):
    fault = os.environ.get("REPORT_FAULT", "")

    def slow(*args, **kwargs):
        folder = Path(os.environ["REPORT_FAULT_DIR"])
        (folder / f"rendering-{os.getpid()}").write_text(str(os.getpid()))
        time.sleep(float(fault.split(":", 1)[1]))
        return render(*args, **kwargs)

    def crash(*args, **kwargs):
        raise InjectedCrash("injected crash (tests.report_faults)")

    if fault.startswith("slow:"):
        return slow
    if fault == "crash":
        return crash
    return render


@worker_process_init.connect
def _install(**kwargs) -> None:
    from reports import rendering

    rendering.render_report = _faulty(rendering.render_report)
