"""Writes for organizations: create, update, and a membership set by a command. Every
change is recorded in the organization's audit log (`audit.services.record`), in the
same transaction; invalid input raises `InputError` naming every field."""

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from audit.services import record
from common.errors import InputError
from common.validation import full_clean

from .models import BusinessUnit, Membership, Organization, Role


@transaction.atomic
def organization_create(
    *, user, name: str, industry: str, size_band: str, region: str, is_demo: bool = False
) -> Organization:
    """Create a client organization; its creator becomes its consultant."""
    organization = Organization.objects.create(
        name=name, industry=industry, size_band=size_band, region=region, is_demo=is_demo
    )
    Membership.objects.create(user=user, organization=organization, role=Role.CONSULTANT)
    record(
        action="organization.created",
        user=user,
        organization=organization,
        obj=organization,
        summary=f"Organization {organization.name} created",
        changes={"name": [None, name], "industry": [None, industry], "region": [None, region]},
    )
    return organization


EDITABLE_FIELDS = ("name", "industry", "size_band", "region")


@transaction.atomic
def organization_update(*, organization: Organization, user, changes: dict) -> Organization:
    """Change the organization's name, industry, size band or region: validated (every
    field at once, nothing saved on an error), saved and recorded with old → new. A
    change to nothing records nothing."""
    unknown = sorted(set(changes) - set(EDITABLE_FIELDS))
    if unknown:
        raise InputError(unknown[0], "unknown_field", _("Unknown field."))
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    before = {field: getattr(organization, field) for field in EDITABLE_FIELDS}
    for field, value in changes.items():
        setattr(organization, field, value)
    full_clean(organization, validate_unique=False)
    diff = {
        field: [before[field], getattr(organization, field)]
        for field in EDITABLE_FIELDS
        if getattr(organization, field) != before[field]
    }
    if not diff:
        return organization
    organization.save(update_fields=list(diff))
    record(
        action="organization.updated",
        user=user,
        organization=organization,
        obj=organization,
        summary=f"Organization {organization.name}: "
        + "; ".join(_described(field, *old_new) for field, old_new in diff.items()),
        changes=diff,
    )
    return organization


def _english_label(choice) -> str:
    with translation.override("en"):  # the audit log is written in English
        return str(choice.label)


def _described(field: str, old, new) -> str:
    """'region Europe → Asia-Pacific': choices by their labels."""
    labels = dict(Organization._meta.get_field(field).flatchoices)
    with translation.override("en"):  # the audit log is written in English
        return f"{field.replace('_', ' ')} {labels.get(old, old)} → {labels.get(new, new)}"


@transaction.atomic
def membership_set(*, user, organization: Organization, role: str) -> Membership:
    previous = (
        Membership.objects.filter(user=user, organization=organization)
        .values_list("role", flat=True)
        .first()
    )
    membership, _created = Membership.objects.update_or_create(
        user=user, organization=organization, defaults={"role": role}
    )
    if previous != role:
        record(
            action="membership.set",
            organization=organization,
            obj=membership,
            summary=f"{user.get_username()} is now {_english_label(Role(membership.role))}",
            changes={"role": [previous, role]},
        )
    return membership


# --- business units (DESIGN §10) --------------------------------------------------------

UNIT_NAME_LENGTH = 200


def _unit_name(name) -> str:
    name = " ".join(str(name or "").split())
    if not name:
        raise InputError("name", "required", _("Name the business unit."))
    if len(name) > UNIT_NAME_LENGTH or "\x00" in name:
        raise InputError(
            "name",
            "invalid",
            _("Use up to %(count)s characters, no NUL.") % {"count": UNIT_NAME_LENGTH},
        )
    return name


def _unit_parent(organization_id: int, parent, unit: BusinessUnit | None = None):
    """The parent a unit may have: a unit of the same organization, never the unit itself
    or one of its descendants (the tree has no cycle)."""
    if parent in (None, ""):
        return None
    parent_id = getattr(parent, "pk", parent)
    found = (
        BusinessUnit.objects.filter(organization_id=organization_id, pk=parent_id).first()
        if isinstance(parent_id, int) and not isinstance(parent_id, bool)
        else None
    )
    if found is None:
        raise InputError("parent", "unknown", _("Choose a unit of this organization."))
    if unit is not None:
        ancestor = found
        while ancestor is not None:
            if ancestor.pk == unit.pk:
                raise InputError(
                    "parent", "cycle", _("A unit cannot sit under itself or one of its own units.")
                )
            ancestor = ancestor.parent
    return found


def _unit_taken(organization_id: int, name: str, exclude: int | None = None) -> None:
    others = BusinessUnit.objects.filter(organization_id=organization_id, name__iexact=name)
    if others.exclude(pk=exclude).exists():
        raise InputError(
            "name",
            "duplicate",
            _("%(name)s is already a unit of this organization.") % {"name": name},
        )


@transaction.atomic
def unit_create(*, organization: Organization, name, parent=None, user) -> BusinessUnit:
    name = _unit_name(name)
    Organization.objects.select_for_update().get(pk=organization.pk)
    _unit_taken(organization.pk, name)
    unit = BusinessUnit.objects.create(
        organization=organization, name=name, parent=_unit_parent(organization.pk, parent)
    )
    record(
        action="business_unit.created",
        user=user,
        organization_id=organization.pk,
        obj=unit,
        object_type="business_unit",
        summary=f"Added business unit “{name}”"
        + (f" under “{unit.parent.name}”" if unit.parent else ""),
        changes={"name": [None, name], "parent": [None, unit.parent.name if unit.parent else None]},
    )
    return unit


@transaction.atomic
def unit_update(*, unit: BusinessUnit, data: dict, user) -> BusinessUnit:
    """Rename a unit or move it under another parent (or to the top)."""
    unknown = sorted(set(data) - {"name", "parent"})
    if unknown:
        raise InputError(unknown[0], "unknown", _("Unknown field."))
    Organization.objects.select_for_update().get(pk=unit.organization_id)
    unit = BusinessUnit.objects.select_related("parent").get(pk=unit.pk)
    before = {"name": unit.name, "parent": unit.parent.name if unit.parent else None}
    if "name" in data:
        unit.name = _unit_name(data["name"])
        _unit_taken(unit.organization_id, unit.name, exclude=unit.pk)
    if "parent" in data:
        unit.parent = _unit_parent(unit.organization_id, data["parent"], unit)
    after = {"name": unit.name, "parent": unit.parent.name if unit.parent else None}
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if not changes:
        return unit
    unit.save()
    record(
        action="business_unit.updated",
        user=user,
        organization_id=unit.organization_id,
        obj=unit,
        object_type="business_unit",
        summary=f"Business unit “{unit.name}”: "
        + "; ".join(f"{k} {v[0] or '—'} → {v[1] or '—'}" for k, v in changes.items()),
        changes=changes,
    )
    return unit


@transaction.atomic
def unit_delete(*, unit: BusinessUnit, user) -> None:
    """Delete a unit without sub-units; its respondents and use cases keep no unit."""
    if unit.children.exists():
        raise InputError("unit", "has_children", _("Move or delete its sub-units first."))
    record(
        action="business_unit.deleted",
        user=user,
        organization_id=unit.organization_id,
        obj=unit,
        object_type="business_unit",
        summary=f"Deleted business unit “{unit.name}”",
        changes={"name": [unit.name, None]},
    )
    unit.delete()


def unit_named(organization_id: int, name: str, user=None) -> BusinessUnit | None:
    """The unit a free-text business unit names (case-insensitive), created when the
    organization has none of that name yet; None for a blank name."""
    name = " ".join(str(name or "").split())[:UNIT_NAME_LENGTH]
    if not name or "\x00" in name:
        return None
    unit = BusinessUnit.objects.filter(organization_id=organization_id, name__iexact=name).first()
    if unit is None:
        unit = BusinessUnit.objects.create(organization_id=organization_id, name=name)
        record(
            action="business_unit.created",
            user=user,
            organization_id=organization_id,
            obj=unit,
            object_type="business_unit",
            summary=f"Added business unit “{name}” (named on a respondent or use case)",
            changes={"name": [None, name]},
        )
    return unit
