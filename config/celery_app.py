import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("ai_scaling_maturity")
app.config_from_object("django.conf:settings", namespace="CELERY")

# Celery kills a prefork pool child that has not reported itself up within this many
# seconds of its start (default 4) and starts another. Chromium used to start in that
# window (worker_process_init): 4-5 s at load average 4 on 2 cores, and with the machine
# saturated every child was killed before it was up, 11 in a row in
# tests/test_report_worker.py (issue 11). It now starts with the first chart
# (reports/chart_export.py), so a child's start is only the fork and Django's per-process
# set-up; 30 s still leaves room for those on a machine busier than any we measured,
# and a child that really hangs at start is only replaced 26 s later than by default.
app.conf.worker_proc_alive_timeout = 30
app.autodiscover_tasks()
