"""Django's model validation in the services' terms: a `ValidationError` from
`full_clean` becomes one `InputError` naming every field and its problem."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from .errors import FieldError, InputError


def input_error_from(error: ValidationError) -> InputError:
    problems = []
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            name = None if field == NON_FIELD_ERRORS else field
            for item in errors:
                problems.extend(_problems(name, item))
    else:
        problems.extend(_problems(None, error))
    return InputError.many(problems)


def _problems(field: str | None, error: ValidationError) -> list[FieldError]:
    return [
        FieldError(field, item.code or "invalid", message)
        for item in error.error_list
        for message in item.messages
    ]


def full_clean(instance, **kwargs) -> None:
    """`instance.full_clean(**kwargs)`, refusing with an InputError."""
    try:
        instance.full_clean(**kwargs)
    except ValidationError as error:
        raise input_error_from(error) from error
