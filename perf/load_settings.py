"""Settings for perf/api_load_benchmark.py's gunicorn: the production settings module,
read from the same environment, with one extra URL (a bare view) kept out of the app's
own URLconf. The benchmark puts perf/ on the server's PYTHONPATH."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "load_urls"
