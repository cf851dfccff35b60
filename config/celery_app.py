import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("ai_scaling_maturity")
app.config_from_object("django.conf:settings", namespace="CELERY")

# Celery kills a prefork pool child that has not reported itself up within this many
# seconds of its start (default 4), and starts another. A child's start does nothing slow
# (Chromium for the charts starts lazily on the first chart, reports/chart_export.py),
# but on a loaded machine even the fork and the child's set-up can take seconds, and
# every kill is followed by another start under the same load (issue 11: more than 20
# kills in a row). 30 s is far above any start we measured (about 1 s on an idle machine,
# and well under 10 s with the machine saturated, Chromium included: perf/RESULTS.md);
# a child that really hangs at start is only replaced 26 s later.
app.conf.worker_proc_alive_timeout = 30
app.autodiscover_tasks()
