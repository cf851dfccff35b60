"""Writes for assessments: banks, assessments, respondents, answers."""

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from celery import current_app
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.services import record
from common import outbox
from common.errors import ConflictError, FieldError, InputError
from organizations.services import unit_named

from . import answers as answer_rules
from . import evidence as evidence_rules
from .bank import Bank, BankError
from .bank_files import bank_document
from .emails import reminder_email
from .models import (
    Answer,
    Assessment,
    Dimension,
    EvidenceFile,
    ExecutiveRole,
    Question,
    QuestionBank,
    ReminderSend,
    Respondent,
    ScoreSnapshot,
    Verification,
)
from .models import new_invitation_token as _new_token
from .selectors import assessment_scores, parse_respondent_lines, respondent_status

logger = logging.getLogger("assessments")
# By name from the registry: the task module imports this one.
INVITATION_TASK = "assessments.tasks.send_invitation"
REMINDER_TASK = "assessments.tasks.send_reminder"

# --- question banks -------------------------------------------------------------------


@transaction.atomic
def question_bank_load(
    bank: Bank, *, source: str, translations: dict[str, dict] | None = None
) -> tuple[QuestionBank, bool]:
    """Store a parsed bank once. Returns (bank, created).

    Re-loading the same content is a no-op; different content under a published
    version is refused, because assessments already answered it. `translations`
    ({language: `bank.bank_texts`}, validated by `bank.translate_bank`) are texts only:
    they are added to, or replace those of, a published version (its keys, weights and
    scoring never change with them).
    """
    translations = translations or {}
    existing = QuestionBank.objects.filter(version=bank.version).first()
    if existing is not None:
        if existing.checksum != bank.checksum:
            raise BankError(
                f"{source}: bank version {bank.version} is already published with different "
                "content; published banks cannot be changed — give the change a new version"
            )
        fields = []
        if not existing.document:
            # Published before banks kept their file content: the same content, kept now.
            existing.document = bank_document(bank)
            fields.append("document")
        merged = {**(existing.translations or {}), **translations}
        if merged != existing.translations:
            existing.translations = merged
            fields.append("translations")
        if fields:
            existing.save(update_fields=fields)
        return existing, False
    stored = QuestionBank.objects.create(
        version=bank.version,
        title=bank.title,
        description=bank.description,
        checksum=bank.checksum,
        source=source,
        definition=_bank_definition(bank),
        document=bank_document(bank),
        translations=translations,
    )
    position = 0
    for dim_position, dimension in enumerate(bank.dimensions):
        dim_row = Dimension.objects.create(
            bank=stored,
            key=dimension.key,
            kind=dimension.kind,
            title=dimension.title,
            description=dimension.description,
            weight=dimension.weight,
            position=dim_position,
        )
        for question in dimension.questions:
            Question.objects.create(
                bank=stored,
                dimension=dim_row,
                key=question.key,
                text=question.text,
                help=question.help,
                weight=question.weight,
                allow_na=question.allow_na,
                tags=list(question.tags),
                levels=list(question.levels),
                position=position,
            )
            position += 1
    return stored, True


def _bank_definition(bank: Bank) -> dict:
    definition = {
        "version": bank.version,
        "maturity_levels": [vars(level) for level in bank.maturity_levels],
        "pitfalls": [vars(pitfall) for pitfall in bank.pitfalls],
        "dimensions": [
            {"key": d.key, "kind": d.kind, "title": d.title, "weight": d.weight}
            for d in bank.dimensions
        ],
    }
    if bank.predecessor is not None:
        # What became of each question of the bank this one replaces, for trends across
        # versions (only banks that declare one: 2026.1's stored definition is unchanged).
        definition["predecessor"] = {
            "version": bank.predecessor.version,
            "changes": [
                {
                    "from": c.predecessor,
                    "change": c.change,
                    "to": list(c.successors),
                    "reason": c.reason,
                }
                for c in bank.predecessor.changes
            ],
        }
    return definition


# --- assessments and respondents ------------------------------------------------------


def check_due_date(due_date: date | None, *, today: date | None = None) -> None:
    """A due date is never set in the past (clearing it, None, is always allowed)."""
    today = today or timezone.localdate()
    if due_date is not None and due_date < today:
        raise InputError("due_date", "past", _("The due date cannot be in the past."))


@transaction.atomic
def assessment_create(
    *, organization, bank: QuestionBank, title: str, user, due_date: date | None = None
) -> Assessment:
    check_due_date(due_date)
    assessment = Assessment.objects.create(
        organization=organization, bank=bank, title=title, created_by=user, due_date=due_date
    )
    changes = {"title": [None, title], "bank": [None, bank.version]}
    if due_date is not None:
        changes["due_date"] = [None, due_date.isoformat()]
    record(
        action="assessment.created",
        user=user,
        organization=organization,
        obj=assessment,
        summary=f"Assessment {title} created (bank {bank.version})",
        changes=changes,
    )
    return assessment


@transaction.atomic
def assessment_set_due_date(*, assessment: Assessment, due_date: date | None, user) -> Assessment:
    """Set, move or clear the due date of an open assessment. Reminders recorded for the
    old date and not sent yet are dropped (they are recorded again for the new one)."""
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not locked.is_open:
        raise ConflictError(_("The assessment is closed; its due date can no longer change."))
    if due_date == locked.due_date:
        return locked
    check_due_date(due_date)
    before = locked.due_date
    locked.due_date = due_date
    locked.save(update_fields=["due_date"])
    ReminderSend.objects.filter(
        respondent__assessment=locked, status=ReminderSend.Status.PENDING
    ).delete()
    record(
        action="assessment.due_date_set",
        user=user,
        organization_id=locked.organization_id,
        obj=locked,
        summary=(
            f"Due date of {locked.title} set to {due_date:%d %b %Y}"
            if due_date
            else f"Due date of {locked.title} removed"
        ),
        changes={
            "due_date": [
                before.isoformat() if before else None,
                due_date.isoformat() if due_date else None,
            ]
        },
    )
    return locked


def _record_respondent(respondent: Respondent, action: str, summary: str, **kwargs) -> None:
    record(
        action=action,
        organization_id=respondent.assessment.organization_id,
        obj=respondent,
        summary=summary,
        **kwargs,
    )


@transaction.atomic
def assessment_close(*, assessment: Assessment) -> Assessment:
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not locked.is_open:
        raise ConflictError(_("This assessment is already closed."))
    if not locked.respondents.filter(submitted_at__isnull=False).exists():
        raise ConflictError(_("An assessment can be closed only after at least one submission."))
    locked.status = Assessment.Status.CLOSED
    locked.closed_at = timezone.now()
    locked.save(update_fields=["status", "closed_at"])
    score_snapshot_store(assessment=locked)
    record(
        action="assessment.closed",
        organization_id=locked.organization_id,
        obj=locked,
        summary=f"Assessment {locked.title} closed",
        changes={"status": [Assessment.Status.OPEN, Assessment.Status.CLOSED]},
    )
    return locked


def score_snapshot_store(*, assessment: Assessment) -> ScoreSnapshot:
    """Freeze a closed assessment's scores (re-running replaces, never duplicates)."""
    summary = assessment_scores(assessment).summary
    snapshot, _created = ScoreSnapshot.objects.update_or_create(
        assessment=assessment,
        defaults={
            "organization_id": assessment.organization_id,
            "closed_at": assessment.closed_at,
            "index": summary["overall"]["index"],
            "level": summary["overall"]["level"],
            **{d["key"]: d["score"] for d in summary["dimensions"]},
            "insufficient": [d["key"] for d in summary["dimensions"] if d["insufficient"]],
        },
    )
    return snapshot


def _expiry():
    return timezone.now() + timedelta(days=settings.INVITATION_TTL_DAYS)


@transaction.atomic
def respondent_add(
    *,
    assessment: Assessment,
    name: str,
    email: str,
    role: str,
    title: str = "",
    business_unit: str = "",
    language: str = "",
) -> Respondent:
    """Add a respondent; `language` (of settings.LANGUAGES) is that of their emails and
    questionnaire, by default the active one (the inviter's)."""
    language = _respondent_language(language)
    if not assessment.is_open:
        raise ConflictError(_("Respondents cannot be added to a closed assessment."))
    email = email.strip().lower()
    if assessment.respondents.filter(email=email).exists():
        raise ConflictError(
            _("%(email)s is already a respondent of this assessment.") % {"email": email}
        )
    return _respondent_create(
        assessment=assessment,
        name=name,
        email=email,
        role=role,
        title=title,
        business_unit=business_unit,
        language=language,
    )


def _respondent_language(language: str = "") -> str:
    """`language` when it is one of settings.LANGUAGES, the active language when it is
    empty; InputError (field `language`) for any other."""
    codes = [code for code, _name in settings.LANGUAGES]
    if not language:
        active = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0].lower()
        return active if active in codes else settings.LANGUAGE_CODE
    if language not in codes:
        raise InputError(
            "language",
            "invalid_choice",
            _("Unknown language %(language)s; use one of: %(languages)s.")
            % {"language": language, "languages": ", ".join(codes)},
        )
    return language


def _respondent_create(
    *, assessment: Assessment, name, email, role, title, business_unit, language
):
    try:
        with transaction.atomic():
            respondent = Respondent.objects.create(
                assessment=assessment,
                name=name,
                email=email,
                role=role,
                title=title,
                business_unit=business_unit,
                language=language,
                unit=unit_named(assessment.organization_id, business_unit),
                token_expires_at=_expiry(),
            )
    except IntegrityError as exc:
        raise ConflictError(
            _("%(email)s is already a respondent of this assessment.") % {"email": email}
        ) from exc
    _record_respondent(
        respondent,
        "respondent.added",
        f"{name} <{email}> added to {assessment.title}",
        changes={"name": [None, name], "email": [None, email], "role": [None, role]},
    )
    return respondent


@transaction.atomic
def respondent_set_language(*, respondent: Respondent, language: str) -> Respondent:
    """The language the respondent chose on the questionnaire (emails follow it too);
    InputError (field `language`) for a language not in settings.LANGUAGES."""
    language = _respondent_language(language or "-")
    if respondent.language != language:
        before = respondent.language
        respondent.language = language
        respondent.save(update_fields=["language"])
        record(
            action="respondent.language_set",
            respondent=respondent,
            organization_id=respondent.assessment.organization_id,
            obj=respondent,
            summary=f"{respondent.name} chose the language {language}",
            changes={"language": [before, language]},
        )
    return respondent


@transaction.atomic
def respondents_add_bulk(
    *, assessment: Assessment, text: str, only_valid: bool = False, language: str = ""
) -> list[Respondent]:
    """Add the respondents pasted as lines `name, email, role, title, unit` (`bulk`).

    All or nothing: a bad line raises InputError naming every bad line ("line 3: …",
    field `lines`) and nothing is added, unless `only_valid`, which adds the good lines
    and leaves the bad ones out. Each added respondent is recorded like respondent_add,
    each in `language` (by default the active one).
    """
    language = _respondent_language(language)
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not locked.is_open:
        raise ConflictError(_("Respondents cannot be added to a closed assessment."))
    parsed = parse_respondent_lines(locked, text)
    if not parsed.rows and not parsed.errors:
        raise InputError("lines", "empty", _("Paste at least one line: name, email, role."))
    if parsed.errors and not only_valid:
        raise InputError.many(FieldError("lines", "invalid_line", str(e)) for e in parsed.errors)
    return [
        _respondent_create(
            assessment=locked,
            name=row.name,
            email=row.email,
            role=row.role,
            title=row.title,
            business_unit=row.business_unit,
            language=language,
        )
        for row in parsed.rows
    ]


def _ensure_link_can_change(respondent: Respondent, action: str) -> None:
    submitted, closed = {
        "revoke": (
            _("%(name)s has already submitted; there is no link to revoke."),
            _("The assessment is closed; there is no link to revoke."),
        ),
        "reissue": (
            _("%(name)s has already submitted; there is no link to reissue."),
            _("The assessment is closed; there is no link to reissue."),
        ),
        "send": (
            _("%(name)s has already submitted; there is no link to send."),
            _("The assessment is closed; there is no link to send."),
        ),
    }[action]
    if respondent.is_submitted:
        raise ConflictError(submitted % {"name": respondent.name})
    if not respondent.assessment.is_open:
        raise ConflictError(closed)


@transaction.atomic
def respondent_revoke(*, respondent: Respondent) -> Respondent:
    _ensure_link_can_change(respondent, "revoke")
    if respondent.revoked_at is None:
        respondent.revoked_at = timezone.now()
        respondent.save(update_fields=["revoked_at"])
        _record_respondent(respondent, "respondent.revoked", f"{respondent.name}'s link revoked")
    return respondent


@transaction.atomic
def respondent_reissue(*, respondent: Respondent) -> Respondent:
    """A fresh link (the old one stops working at once); answers are kept."""
    _ensure_link_can_change(respondent, "reissue")
    respondent.token = _new_token()
    respondent.token_expires_at = _expiry()
    respondent.revoked_at = None
    respondent.save(update_fields=["token", "token_expires_at", "revoked_at"])
    _record_respondent(respondent, "respondent.reissued", f"{respondent.name} given a new link")
    return respondent


@transaction.atomic
def invitation_send(*, respondent: Respondent) -> None:
    """Queue the invitation email once the surrounding transaction has committed."""
    _ensure_link_can_change(respondent, "send")
    if not respondent.link_is_usable(timezone.now()):
        raise ConflictError(_("This link is revoked or expired; reissue it before sending."))
    current_app.tasks[INVITATION_TASK].delay_on_commit(respondent.pk)
    _record_respondent(
        respondent,
        "invitation.sent",
        f"Invitation emailed to {respondent.name} <{respondent.email}>",
    )


class SendAll(StrEnum):
    NOT_INVITED = "not_invited"
    NOT_SUBMITTED = "not_submitted"


@dataclass(frozen=True)
class SendAllResult:
    sent: int
    # why → how many: "submitted", "revoked", "expired"
    skipped: dict[str, int]

    @property
    def skipped_count(self) -> int:
        return sum(self.skipped.values())


@transaction.atomic
def invitations_send_all(*, assessment: Assessment, which: SendAll) -> SendAllResult:
    """Queue the invitation email (invitation_send) to every respondent not yet invited
    (never emailed), or every one who has not submitted. Revoked, expired and submitted
    ones are skipped and counted."""
    if not assessment.is_open:
        raise ConflictError(_("The assessment is closed; there is no link to send."))
    which = SendAll(which)
    respondents = assessment.respondents.select_related("assessment").order_by("name", "id")
    if which == SendAll.NOT_INVITED:
        respondents = respondents.filter(invited_at__isnull=True)
    else:
        respondents = respondents.filter(submitted_at__isnull=True)
    now = timezone.now()
    sent, skipped = 0, {}
    for respondent in respondents:
        why = respondent_status(respondent, now=now).key
        if why in ("submitted", "revoked", "expired"):
            skipped[why] = skipped.get(why, 0) + 1
            continue
        invitation_send(respondent=respondent)
        sent += 1
    return SendAllResult(sent=sent, skipped=skipped)


# --- answers --------------------------------------------------------------------------


def _ensure_can_answer(respondent: Respondent) -> None:
    if respondent.is_submitted:
        raise ConflictError(_("Your answers were submitted and can no longer be changed."))
    if not respondent.assessment.is_open:
        raise ConflictError(_("This assessment is closed; answers can no longer be changed."))


_UNCHANGED = object()


@transaction.atomic
def answer_save(
    *,
    respondent: Respondent,
    question: Question,
    value: object,
    comment: object = _UNCHANGED,
    evidence: object = _UNCHANGED,
    from_form: bool = False,
) -> Answer:
    """Validate and store one answer; comment and evidence left out stay as they were.

    Raises `common.errors.InputError` (bad input, nothing saved) or `ConflictError`
    (submitted respondent or closed assessment).
    """
    locked = (
        Respondent.all_kinds.select_for_update().select_related("assessment").get(pk=respondent.pk)
    )
    _ensure_can_answer(locked)
    if question.bank_id != locked.assessment.bank_id:
        raise InputError("question", "unknown", _("No such question in this bank."))
    parsed = answer_rules.parse_value(value, allow_na=question.allow_na, from_form=from_form)
    changes = {"kind": parsed.kind, "level": parsed.level}
    if comment is not _UNCHANGED:
        changes["comment"] = answer_rules.clean_text(
            comment, field="comment", max_length=answer_rules.MAX_COMMENT_LENGTH
        )
    if evidence is not _UNCHANGED:
        changes["evidence"] = answer_rules.clean_text(
            evidence, field="evidence", max_length=answer_rules.MAX_EVIDENCE_LENGTH
        )
    now = timezone.now()
    answer, _created = Answer.objects.update_or_create(
        respondent=locked, question=question, defaults=changes
    )
    if parsed.kind and answer.answered_at is None:
        answer.answered_at = now
        answer.save(update_fields=["answered_at"])
    if parsed.kind:
        _note_answer_time(locked, now)
    record(
        action="answer.saved",
        respondent=locked,
        organization_id=locked.assessment.organization_id,
        obj=answer,
        summary=f"{locked.name} answered {question.key}",
        changes={k: v for k, v in changes.items() if k in ("kind", "level")},
    )
    return answer


def _note_answer_time(respondent: Respondent, now: datetime) -> None:
    """First- and last-answer times, for the speeder check (DESIGN §11)."""
    changes = {"last_answer_at": now}
    if respondent.first_answer_at is None:
        changes["first_answer_at"] = now
    Respondent.all_kinds.filter(pk=respondent.pk).update(**changes)


@transaction.atomic
def respondent_submit(*, respondent: Respondent) -> Respondent:
    """Lock the respondent's answers. Unanswered questions are allowed (shown on review)."""
    locked = (
        Respondent.all_kinds.select_for_update().select_related("assessment").get(pk=respondent.pk)
    )
    if locked.is_submitted:
        raise ConflictError(_("These answers were already submitted."))
    _ensure_can_answer(locked)
    if not locked.answers.exclude(kind="").exists():
        raise InputError("answers", "empty", _("Answer at least one question before submitting."))
    locked.submitted_at = timezone.now()
    locked.save(update_fields=["submitted_at"])
    record(
        action="respondent.submitted",
        respondent=locked,
        organization_id=locked.assessment.organization_id,
        obj=locked,
        summary=f"{locked.name} submitted their answers to {locked.assessment.title}",
    )
    return locked


# --- the assessor (DESIGN §11, perception gap) -------------------------------------


@transaction.atomic
def assessor_start(*, assessment: Assessment, user) -> Respondent:
    """The consultant's own questionnaire for the assessment, as assessor (created the
    first time). It opens in the same questionnaire pages as the executives'; its
    answers are stored as an assessor's and never enter the client's scores."""
    existing = Respondent.all_kinds.filter(
        assessment=assessment, kind=Respondent.Kind.ASSESSOR, user=user
    ).first()
    if existing is not None:
        if existing.token_expires_at <= timezone.now() and not existing.is_submitted:
            existing.token_expires_at = _expiry()
            existing.save(update_fields=["token_expires_at"])
        return existing
    if not assessment.is_open:
        raise ConflictError(_("The assessment is closed; an assessor can no longer answer."))
    name = user.get_full_name() or user.get_username()
    assessor = Respondent.all_kinds.create(
        assessment=assessment,
        kind=Respondent.Kind.ASSESSOR,
        user=user,
        name=name,
        # Never mailed: the unique (assessment, email) must not collide with an executive.
        email=f"assessor-{user.pk}@assessor.invalid",
        role=ExecutiveRole.OTHER,
        title="Assessor",
        language=_respondent_language(),  # the consultant's own
        token_expires_at=_expiry(),
    )
    record(
        action="assessor.started",
        user=user,
        organization_id=assessment.organization_id,
        obj=assessor,
        summary=f"{name} started answering {assessment.title} as assessor",
        changes={"kind": [None, Respondent.Kind.ASSESSOR]},
    )
    return assessor


# --- the evidence-backed layer (DESIGN §11) ------------------------------------------

MAX_NOTE_LENGTH = 4000


@transaction.atomic
def verification_set(
    *, assessment: Assessment, question: Question, level: object, note: object, user
) -> Verification:
    """The consultant's verified level (1–5) of a question, with a note saying what
    evidence backs it. InputError (level, note) on bad input, nothing saved."""
    if question.bank_id != assessment.bank_id:
        raise InputError("question", "unknown", _("No such question in this bank."))
    try:
        parsed = int(str(level).strip())
    except ValueError:
        parsed = 0
    if not 1 <= parsed <= 5:
        raise InputError("level", "out_of_range", _("Choose a verified level from 1 to 5."))
    cleaned = answer_rules.clean_text(note, field="note", max_length=MAX_NOTE_LENGTH)
    existing = Verification.objects.filter(assessment=assessment, question=question).first()
    before = existing.level if existing else None
    verification, _created = Verification.objects.update_or_create(
        assessment=assessment,
        question=question,
        defaults={"level": parsed, "note": cleaned, "verified_by": user},
    )
    record(
        action="verification.set",
        user=user,
        organization_id=assessment.organization_id,
        obj=verification,
        summary=f"{question.key} verified at level {parsed} in {assessment.title}",
        changes={"level": [before, parsed]},
    )
    return verification


@transaction.atomic
def evidence_upload(*, assessment: Assessment, question: Question, upload, user) -> EvidenceFile:
    """Store an evidence file under a random name after checking its content
    (`evidence.check_file`); InputError (field `file`) and nothing stored otherwise."""
    if question.bank_id != assessment.bank_id:
        raise InputError("question", "unknown", _("No such question in this bank."))
    if upload is None:
        raise InputError("file", "required", _("Choose a file to upload."))
    size = upload.size or 0
    data = b"" if size > evidence_rules.MAX_BYTES else upload.read()
    checked = evidence_rules.check_file(upload.name or "", size, data)
    upload.seek(0)
    stored = EvidenceFile(
        assessment=assessment,
        question=question,
        original_name=(upload.name or "")[:200],
        content_type=checked.content_type,
        size=size,
        uploaded_by=user,
    )
    stored.file.save("evidence", upload, save=False)
    stored.save()
    record(
        action="evidence.uploaded",
        user=user,
        organization_id=assessment.organization_id,
        obj=stored,
        summary=f"Evidence {stored.original_name} added to {question.key} in {assessment.title}",
        changes={"file": [None, stored.original_name]},
    )
    return stored


# --- quality checks (DESIGN §11) ----------------------------------------------------


def quality_acknowledge(*, assessment: Assessment, user, warnings: list, purpose: str) -> None:
    """The consultant saw these warnings and went on anyway (a report or an export)."""
    record(
        action="quality.acknowledged",
        user=user,
        organization_id=assessment.organization_id,
        obj=assessment,
        summary=f"Went on with {purpose} of {assessment.title} despite "
        f"{len(warnings)} quality warning{'s' if len(warnings) != 1 else ''}: "
        + "; ".join(w.title for w in warnings),
        changes={"warnings": [None, [w.key for w in warnings]], "purpose": [None, purpose]},
    )


# --- reminders (DESIGN §12) -----------------------------------------------------------
#
# 1. Record: one INSERT ... SELECT per configured offset adds a pending ReminderSend for
#    every respondent now due one (ON CONFLICT DO NOTHING: the unique (respondent,
#    offset) makes a second beat, worker or retried task a no-op).
# 2. Claim: one conditional UPDATE takes every pending reminder (or one whose lease has
#    passed) under a fresh claim token; a concurrent sweep takes none of the same rows.
# 3. Queue: one send task per claimed reminder, streamed from the database.
# 4. Send (the task): take the row from QUEUED to SENDING with the same token (0 rows:
#    another sweep re-claimed it, do nothing), check it is still due, send, mark it sent.
#    A failed send goes back to pending, retried by the next sweep up to
#    REMINDER_MAX_ATTEMPTS times. The queries do not depend on how many assessments there are.


@dataclass(frozen=True)
class ReminderSweep:
    recorded: int
    claimed: int
    queued: int
    failed: int
    claim: str


def reminder_windows(offsets: list[int], today: date) -> list[tuple[int, date, date | None]]:
    """(offset, latest due date, earliest due date exclusive) per offset: reminder `o` is
    due for an assessment due on d when d - o <= today, unless a later reminder (the next
    smaller offset) is already due too; so a due date set late skips the reminders that
    are past and sends only the latest one."""
    ordered = sorted(set(offsets), reverse=True)
    windows = []
    for index, offset in enumerate(ordered):
        later = ordered[index + 1] if index + 1 < len(ordered) else None
        after = today + timedelta(days=later) if later is not None else None
        windows.append((offset, today + timedelta(days=offset), after))
    return windows


def _record_due_reminders(now: datetime, today: date) -> int:
    ops = connection.ops
    table = connection.ops.quote_name
    reminder, respondent, assessment = (
        ReminderSend._meta.db_table,
        Respondent._meta.db_table,
        Assessment._meta.db_table,
    )
    recorded = 0
    for offset, latest, after in reminder_windows(settings.REMINDER_OFFSETS_DAYS, today):
        params = [
            offset,
            ReminderSend.Status.PENDING,
            ops.adapt_datetimefield_value(now),
            Assessment.Status.OPEN,
            ops.adapt_datefield_value(latest),
            Respondent.Kind.CLIENT,
            ops.adapt_datetimefield_value(now),
        ]
        later = ""
        if after is not None:
            later = "AND a.due_date > %s"
            params.append(ops.adapt_datefield_value(after))
        sql = f"""
            INSERT INTO {table(reminder)}
                (respondent_id, offset_days, due_date, status, claim, attempts, error, created_at)
            SELECT r.id, %s, a.due_date, %s, '', 0, '', %s
            FROM {table(respondent)} r
            JOIN {table(assessment)} a ON a.id = r.assessment_id
            WHERE a.status = %s AND a.due_date IS NOT NULL AND a.due_date <= %s
              AND r.kind = %s
              AND r.submitted_at IS NULL AND r.revoked_at IS NULL AND r.token_expires_at > %s
              {later}
            ON CONFLICT (respondent_id, offset_days) DO NOTHING
        """
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            recorded += max(cursor.rowcount, 0)
    return recorded


def publish_reminder(reminder_id: int, claim: str) -> bool:
    return outbox.publish(REMINDER_TASK, reminder_id, claim)


def reminders_sweep(*, now: datetime | None = None, publish=publish_reminder) -> ReminderSweep:
    """Record, claim and queue the reminders due now (see above). `publish(id, claim)`
    queues one; the benchmark passes its own to time the sweep without sending."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    recorded = _record_due_reminders(now, today)
    token, claimed, failed = outbox.claim(ReminderSend.objects.all(), now=now)
    queued = 0
    if claimed:
        for reminder_id in outbox.claimed_ids(ReminderSend, token):
            queued += bool(publish(reminder_id, token))
    if recorded or claimed or failed:
        logger.info(
            "reminder sweep: recorded %s, claimed %s, queued %s, failed %s",
            recorded,
            claimed,
            queued,
            failed,
        )
    return ReminderSweep(
        recorded=recorded, claimed=claimed, queued=queued, failed=failed, claim=token
    )


def _reminder_still_due(reminder: ReminderSend, now: datetime) -> str | None:
    """Why the reminder must not go out now, or None."""
    respondent = reminder.respondent
    assessment = respondent.assessment
    if respondent.is_submitted:
        return "The respondent has submitted."
    if respondent.revoked_at is not None:
        return "The respondent's link is revoked."
    if respondent.token_expires_at <= now:
        return "The respondent's link has expired."
    if not assessment.is_open:
        return "The assessment is closed."
    return None


def reminder_send(*, reminder_id: int, claim: str, now: datetime | None = None) -> str:
    """Send one reminder held under `claim`: "sent", "skipped", "retry", "failed", or
    "not-claimed" when another sweep holds it now (nothing done)."""
    now = now or timezone.now()
    ours = outbox.take(ReminderSend, reminder_id, claim, now=now)
    if ours is None:
        return "not-claimed"
    reminder = ReminderSend.objects.select_related(
        "respondent__assessment__organization", "respondent__assessment__bank"
    ).get(pk=reminder_id)
    if reminder.respondent.assessment.due_date != reminder.due_date:
        # The due date moved since it was recorded: it is recorded again when due.
        ours.delete()
        return "skipped"
    reason = _reminder_still_due(reminder, now)
    if reason:
        return outbox.skip(ours, reason)
    return outbox.deliver(
        ours,
        attempts=reminder.attempts,
        send=lambda: reminder_email(
            reminder.respondent, due_date=reminder.due_date, today=timezone.localdate(now)
        ),
    )
