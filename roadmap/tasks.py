"""Celery entry points for the roadmap: the weekly digest (thin: ids in, one service)."""

from celery import shared_task

from . import services


@shared_task
def send_digests() -> dict:
    """Beat, weekly (DIGEST_DAY_OF_WEEK at DIGEST_HOUR): record, claim and queue this
    week's digests; running it again in the same week sends nothing more."""
    result = services.digests_sweep()
    return {"week": result.week, "recipients": result.recipients, "queued": result.queued}


@shared_task(acks_late=True)
def send_digest(digest_id: int, claim: str) -> str:
    """Send one claimed digest; safe to run twice (only the holder of the claim sends)."""
    return services.digest_send(digest_id=digest_id, claim=claim)
