"""Writes for reports: requests, the render lifecycle, the sweeper and branding.

Lifecycle of a `ReportRequest` (nothing is ever lost):

    pending ──claim──▶ rendering ──▶ ready
       ▲                  │  └─────▶ failed (permanent error, or attempts exhausted)
       └── retry/sweep ───┘

- A request is stored first; its task is queued only once the transaction commits, and
  a broker outage leaves it pending for the sweeper (the user is told it is queued).
- A worker claims it with one conditional UPDATE (pending, or rendering past its lease)
  that also counts the attempt and takes a fresh claim token; 0 rows: someone else has
  it, or it is finished, and there is nothing to do.
- While it renders, the worker renews its claim every REPORT_HEARTBEAT_SECONDS
  (`_heartbeat`); a claim not renewed for REPORT_LEASE_SECONDS (its worker was killed) is
  put back to pending by the sweeper, which runs every REPORT_SWEEP_INTERVAL_SECONDS on a
  queue of its own: a killed render is ready again within a minute.
- The file is written to a temporary name and moved onto `reports/<id>.pdf` while the
  row is locked and still held by the same claim, so a re-render replaces the file and
  a stale renderer can never overwrite a newer one.
"""

from __future__ import annotations

import io
import logging
import os
import threading
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from celery import current_app
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as KombuOperationalError

from assessments.models import Assessment
from audit.services import record
from common.errors import ConflictError, InputError
from common.validation import full_clean
from organizations.models import Branding, Organization
from roadmap.models import Roadmap

from . import branding as branding_rules
from . import chart_export, rendering
from .models import (
    FORMATS_OF_KIND,
    LANGUAGE_CODES,
    ReportAudience,
    ReportFormat,
    ReportKind,
    ReportRequest,
    ReportStatus,
    report_language,
)
from .pdf import AccessibilityError
from .templatetags.report_i18n import mid_sentence

RENDER_TASK = "reports.tasks.render_report"
logger = logging.getLogger("reports")

PUBLISH_RETRY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
BROKER_ERRORS = (KombuOperationalError, ConnectionError, OSError)
PERMANENT_ERRORS = (rendering.ReportUnavailable, AccessibilityError)


# --- requests -------------------------------------------------------------------------


@transaction.atomic
def report_request_create(
    *,
    assessment: Assessment,
    kind: str,
    user,
    audience: str = ReportAudience.CLIENT,
    file_format: str = ReportFormat.PDF,
    language: str | None = None,
) -> ReportRequest:
    """Store a request (recorded in the audit log) and queue its rendering once the
    transaction commits. Who may ask for which audience is the caller's check
    (`selectors.request_action`). The document is written in `language`; without one,
    in the active language (the requester's)."""
    check_audience(audience)
    check_kind(assessment=assessment, kind=kind)
    check_format(kind=kind, file_format=file_format)
    if language:
        check_language(language)
    else:
        language = report_language(translation.get_language())
    report = ReportRequest.objects.create(
        assessment=assessment,
        kind=kind,
        audience=audience,
        file_format=file_format,
        language=language,
        requested_by=user,
    )
    record(
        action="report.requested",
        user=user,
        organization_id=assessment.organization_id,
        obj=report,
        object_type="report",
        summary=f"{_english_title(report)} report of {assessment.title} requested",
        changes={
            "kind": [None, kind],
            "audience": [None, audience],
            "file_format": [None, file_format],
            "language": [None, language],
            "assessment": [None, assessment.pk],
        },
    )
    transaction.on_commit(lambda: enqueue(report.pk))
    return report


def _english_title(report: ReportRequest) -> str:
    """The title for the audit log, which is written in English."""
    with translation.override("en"):
        return report.title


def check_audience(audience: str) -> None:
    if audience not in ReportAudience.values:
        choices = ", ".join(ReportAudience.values)
        raise InputError(
            "audience",
            "invalid_choice",
            _("Unknown report audience %(value)s; use one of: %(choices)s.")
            % {"value": repr(audience), "choices": choices},
        )


def check_language(language: str) -> None:
    if language not in LANGUAGE_CODES:
        raise InputError(
            "language",
            "invalid_choice",
            _("Unknown report language %(value)s; use one of: %(choices)s.")
            % {"value": repr(language), "choices": ", ".join(LANGUAGE_CODES)},
        )


def check_kind(*, assessment: Assessment, kind: str) -> None:
    if kind not in ReportKind.values:
        choices = ", ".join(ReportKind.values)
        raise InputError(
            "kind",
            "invalid_choice",
            _("Unknown report kind %(value)s; use one of: %(choices)s.")
            % {"value": repr(kind), "choices": choices},
        )
    if kind == ReportKind.ROADMAP_PROGRESS and not _has_roadmap(assessment.organization_id):
        raise InputError(
            "kind",
            "no_roadmap",
            _("The roadmap progress report needs a roadmap: start one on the roadmap page."),
        )


def check_format(*, kind: str, file_format: str) -> None:
    """PDF for every kind; PowerPoint for the executive summary; Word for the full
    assessment."""
    allowed = FORMATS_OF_KIND[ReportKind(kind)]
    if file_format not in allowed:
        names = ", ".join(f"{f.value} ({f.label})" for f in allowed)
        raise InputError(
            "file_format",
            "invalid_choice",
            _("The %(kind)s is made as: %(formats)s; not %(value)s.")
            % {
                "kind": mid_sentence(ReportKind(kind).label),
                "formats": names,
                "value": repr(file_format),
            },
        )


def _has_roadmap(organization_id: int) -> bool:
    return Roadmap.objects.filter(organization_id=organization_id).exists()


@transaction.atomic
def report_retry(*, report: ReportRequest, user) -> ReportRequest:
    """A failed report starts again from pending, with a fresh count of attempts."""
    updated = ReportRequest.objects.filter(pk=report.pk, status=ReportStatus.FAILED).update(
        status=ReportStatus.PENDING, attempts=0, error="", finished_at=None, claim=""
    )
    if not updated:
        raise ConflictError(_("Only a failed report can be retried."))
    report.refresh_from_db()
    record(
        action="report.retried",
        user=user,
        organization_id=report.assessment.organization_id,
        obj=report,
        object_type="report",
        summary=f"{_english_title(report)} report of {report.assessment.title} retried",
        changes={"status": [ReportStatus.FAILED.value, ReportStatus.PENDING.value]},
    )
    transaction.on_commit(lambda: enqueue(report.pk))
    return report


def enqueue(report_id: int, *, countdown: int | None = None) -> bool:
    """Publish the render task. With the broker down, log it and return False: the
    request stays pending and the sweeper queues it once the broker is back."""
    try:
        # By name from the registry: the task module imports this one.
        current_app.tasks[RENDER_TASK].apply_async(
            args=[report_id], countdown=countdown, retry=True, retry_policy=PUBLISH_RETRY
        )
    except BROKER_ERRORS as exc:
        logger.warning("report %s stays pending: the broker is unreachable (%s)", report_id, exc)
        return False
    ReportRequest.objects.filter(pk=report_id, status=ReportStatus.PENDING).update(
        queued_at=timezone.now()
    )
    return True


# --- rendering (the task) ---------------------------------------------------------------


def claim(report_id: int, *, now: datetime) -> str | None:
    """Take the report for rendering: a token, or None when someone else has it."""
    token = uuid.uuid4().hex
    claimable = Q(status=ReportStatus.PENDING) | Q(
        status=ReportStatus.RENDERING, lease_expires_at__lt=now
    )
    taken = (
        ReportRequest.objects.filter(claimable, pk=report_id)
        .filter(attempts__lt=settings.REPORT_MAX_ATTEMPTS)
        .update(
            status=ReportStatus.RENDERING,
            attempts=F("attempts") + 1,
            claim=token,
            started_at=now,
            lease_expires_at=now + timedelta(seconds=settings.REPORT_LEASE_SECONDS),
        )
    )
    return token if taken else None


def report_render(*, report_id: int) -> str:
    """1. Claim (or stop). 2. Render. 3. Store the file and mark it ready — or record
    the error, and queue another attempt while attempts remain. Returns what happened."""
    now = timezone.now()
    token = claim(report_id, now=now)
    if token is None:
        logger.info("report %s: nothing to do (finished, or claimed elsewhere)", report_id)
        _follow_held_claim(report_id, now)
        return "skipped"
    report = ReportRequest.objects.select_related("assessment__organization", "assessment__bank")
    report = report.get(pk=report_id)
    try:
        # In the report's own language, whoever's worker renders it.
        with _heartbeat(report_id, token), translation.override(report.language):
            rendered = rendering.render_file(
                report.assessment,
                report.kind,
                timezone.localdate(),
                audience=report.audience,
                file_format=report.file_format,
            )
    except SoftTimeLimitExceeded:
        return _failed(report, token, "Rendering took longer than the time limit.")
    except chart_export.ChartExportError as exc:
        return _failed(report, token, str(exc), permanent=exc.permanent)
    except PERMANENT_ERRORS as exc:
        return _failed(report, token, str(exc), permanent=True)
    except Exception as exc:  # anything else may be transient: retried up to the limit
        logger.exception("report %s: rendering failed", report_id)
        return _failed(report, token, f"{type(exc).__name__}: {exc}")
    return _store(report, token, rendered)


def _follow_held_claim(report_id: int, now: datetime) -> None:
    """Another process holds the claim. When this is the message redelivered because
    that process was killed (late acknowledgement), its claim runs out within
    REPORT_LEASE_SECONDS: publish the message again for the moment it does, rather than
    wait for the sweeper's next run. A live render renews its claim, so a duplicate
    message only hops along, harmlessly, until that render ends."""
    if current_app.conf.task_always_eager:
        return  # in-process: nothing was killed, and a countdown would not wait
    lease = (
        ReportRequest.objects.filter(pk=report_id, status=ReportStatus.RENDERING)
        .values_list("lease_expires_at", flat=True)
        .first()
    )
    if lease is not None:
        enqueue(report_id, countdown=max(1, int((lease - now).total_seconds()) + 1))


def renew_claim(report_id: int, token: str, *, now: datetime) -> bool:
    """Push the lease of a claim still held by `token` forward (a heartbeat)."""
    lease = now + timedelta(seconds=settings.REPORT_LEASE_SECONDS)
    held = ReportRequest.objects.filter(pk=report_id, claim=token, status=ReportStatus.RENDERING)
    return bool(held.update(lease_expires_at=lease))


@contextmanager
def _heartbeat(report_id: int, token: str):
    """Renew the claim from a thread of the rendering process while the block runs, so
    that only a process that is gone (killed, out of memory) loses it. Not when tasks
    run eagerly: there the request that asked for the report renders it."""
    if current_app.conf.task_always_eager:
        yield
        return
    stop = threading.Event()

    def beat():
        try:
            while not stop.wait(settings.REPORT_HEARTBEAT_SECONDS):
                if not renew_claim(report_id, token, now=timezone.now()):
                    return  # superseded: _store will find out and discard
        except Exception:  # a missed beat is survivable: the lease allows for one
            logger.exception("report %s: heartbeat failed", report_id)
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=beat, name=f"report-{report_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def report_path(report_id: int, file_format: str = ReportFormat.PDF) -> str:
    """The one file name a report ever has (storage-relative)."""
    return f"reports/{report_id}.{file_format}"


def _store(report: ReportRequest, token: str, rendered) -> str:
    name = report_path(report.pk, report.file_format)
    final = Path(default_storage.path(name))
    final.parent.mkdir(parents=True, exist_ok=True)
    temporary = final.with_name(f".{report.pk}-{token}.{report.file_format}.tmp")
    temporary.write_bytes(rendered.content)
    with transaction.atomic():
        held = (
            ReportRequest.objects.select_for_update()
            .filter(pk=report.pk, claim=token, status=ReportStatus.RENDERING)
            .exists()
        )
        if not held:  # our lease ran out and another worker took over: leave it theirs
            temporary.unlink(missing_ok=True)
            logger.warning("report %s: claim lost before storing; discarded", report.pk)
            return "superseded"
        os.replace(temporary, final)
        ReportRequest.objects.filter(pk=report.pk).update(
            status=ReportStatus.READY,
            file=name,
            size=rendered.size,
            pages=rendered.pages,
            checksum=rendered.checksum,
            error="",
            finished_at=timezone.now(),
            lease_expires_at=None,
        )
    logger.info("report %s ready: %s pages, %s bytes", report.pk, rendered.pages, rendered.size)
    return "ready"


def _failed(report: ReportRequest, token: str, error: str, *, permanent: bool = False) -> str:
    """Record the error; queue another attempt unless it is permanent or the last one."""
    attempts = ReportRequest.objects.get(pk=report.pk).attempts
    final = permanent or attempts >= settings.REPORT_MAX_ATTEMPTS
    if final and not permanent:
        error = f"Failed after {attempts} attempts. Last error: {error}"
    updated = ReportRequest.objects.filter(pk=report.pk, claim=token).update(
        status=ReportStatus.FAILED if final else ReportStatus.PENDING,
        error=error[:2000],
        finished_at=timezone.now() if final else None,
        lease_expires_at=None,
    )
    if not updated:
        return "superseded"
    logger.warning("report %s attempt %s failed: %s", report.pk, attempts, error)
    if final:
        return "failed"
    transaction.on_commit(lambda: enqueue(report.pk, countdown=settings.REPORT_RETRY_DELAY_SECONDS))
    return "retrying"


# --- the sweeper (beat) -----------------------------------------------------------------


@dataclass(frozen=True)
class SweepResult:
    requeued: list[int]
    failed: list[int]


def reports_sweep(*, now: datetime | None = None) -> SweepResult:
    """Find what fell through the cracks and queue it again.

    1. Rendering past its lease (the worker died, or its message was lost): failed
       once it has had its attempts, otherwise pending again.
    2. Pending with no message published for REPORT_REQUEUE_PENDING_SECONDS (the broker
       was down, or the message was lost): published again.
    """
    now = now or timezone.now()
    failed = _fail_exhausted(now)
    expired = ReportRequest.objects.filter(status=ReportStatus.RENDERING, lease_expires_at__lt=now)
    reset = list(expired.values_list("pk", flat=True))
    ReportRequest.objects.filter(pk__in=reset, lease_expires_at__lt=now).update(
        status=ReportStatus.PENDING,
        claim="",
        lease_expires_at=None,
        error="The worker rendering it stopped (lost or killed); queued again.",
    )
    stale = now - timedelta(seconds=settings.REPORT_REQUEUE_PENDING_SECONDS)
    pending = ReportRequest.objects.filter(status=ReportStatus.PENDING).filter(
        Q(queued_at__isnull=True) | Q(queued_at__lt=stale) | Q(pk__in=reset)
    )
    requeued = [pk for pk in pending.values_list("pk", flat=True) if enqueue(pk)]
    if requeued or failed:
        logger.info("report sweep: requeued %s, failed %s", requeued, failed)
    return SweepResult(requeued=requeued, failed=failed)


def _fail_exhausted(now: datetime) -> list[int]:
    exhausted = ReportRequest.objects.filter(
        status=ReportStatus.RENDERING,
        lease_expires_at__lt=now,
        attempts__gte=settings.REPORT_MAX_ATTEMPTS,
    )
    ids = list(exhausted.values_list("pk", flat=True))
    exhausted.filter(pk__in=ids).update(
        status=ReportStatus.FAILED,
        finished_at=now,
        lease_expires_at=None,
        error=(
            f"Failed after {settings.REPORT_MAX_ATTEMPTS} attempts: the worker rendering it "
            "stopped each time (killed, out of memory or past the time limit)."
        ),
    )
    return ids


# --- branding -------------------------------------------------------------------------


@transaction.atomic
def branding_save(
    *,
    organization: Organization,
    user,
    firm_name: str,
    color: str,
    logo=None,
    remove_logo: bool = False,
) -> Branding:
    """Save the organization's report branding; a logo is validated and re-encoded.
    The change is recorded in the organization's audit log (old → new; the logo by its
    stored file name)."""
    branding = Branding.objects.filter(organization=organization).first() or Branding(
        organization=organization
    )
    created = branding.pk is None
    before = {"firm_name": branding.firm_name, "color": branding.color}
    branding.firm_name = firm_name.strip()
    branding.color = color.strip().lower()
    branding.updated_by = user
    full_clean(branding, exclude=["logo", "organization"])
    clean = None
    if logo is not None:
        clean = branding_rules.clean_logo(logo.read(), max_bytes=settings.REPORT_LOGO_MAX_BYTES)
    old_logo = branding.logo.name if branding.logo else ""
    if clean is not None:
        # upload_to adds the branding/ folder
        name = f"{organization.pk}-{uuid.uuid4().hex[:12]}.{clean.extension}"
        branding.logo.save(name, _File(clean.content, name), save=False)
    elif remove_logo:
        branding.logo = ""
    branding.save()
    new_logo = branding.logo.name if branding.logo else ""
    after = {"firm_name": branding.firm_name, "color": branding.color}
    changes = {
        f: [None if created else before[f], after[f]]
        for f in after
        if created or before[f] != after[f]
    }
    if old_logo != new_logo:
        changes["logo"] = [old_logo or None, new_logo or None]
    if created or changes:
        record(
            action="branding.created" if created else "branding.updated",
            user=user,
            organization=organization,
            obj=branding,
            summary="Report branding "
            + ("set" if created else "changed")
            + ": "
            + ", ".join(f.replace("_", " ") for f in changes),
            changes=changes,
        )
    if old_logo and old_logo != new_logo:
        default_storage.delete(old_logo)
    return branding


def _File(content: bytes, name: str):
    return File(io.BytesIO(content), name=name)
