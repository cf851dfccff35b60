# One image for the web app, the Celery worker and Celery beat (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Debian's Chromium: charts are exported to vector images for the PDF reports.
# GNU gettext compiles the German translations below.
RUN apt-get update \
    && apt-get install -y --no-install-recommends chromium gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# The project and its dependencies, from pyproject.toml alone (the project itself
# ships no packages), so this layer is rebuilt only when the dependencies change.
COPY pyproject.toml ./
RUN pip install . && rm -rf build *.egg-info

COPY . .

# The compiled translations (locale/*/LC_MESSAGES/django.mo) are built, never committed.
RUN DJANGO_DEBUG=false DJANGO_SECRET_KEY=compilemessages-build-only-placeholder-never-used-to-sign-anything \
    python manage.py compilemessages --ignore=node_modules

RUN useradd --system --create-home --uid 10001 app \
    && mkdir -p data/media \
    && chown -R app:app data

USER app

# Static files are collected into the image; the secret is a placeholder that only
# lets the settings load, it is never used to sign anything.
RUN DJANGO_DEBUG=false DJANGO_SECRET_KEY=collectstatic-build-only-placeholder-never-used-to-sign-anything \
    python manage.py collectstatic --noinput

EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "-b", "0.0.0.0:8000", "-w", "2"]
