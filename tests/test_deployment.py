"""What deploying needs: the docker-compose stack, production settings that pass
Django's deployment checks and refuse to start without a secret, and every setting
documented for the people who deploy."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

BASE_DIR = Path(__file__).resolve().parents[1]
COMPOSE = BASE_DIR / "docker-compose.yml"
ENV_EXAMPLE = BASE_DIR / ".env.example"
README = BASE_DIR / "README.md"
SETTINGS = BASE_DIR / "config" / "settings.py"

# env("NAME"), env.str("NAME", ...), env.bool(...), env.db_url(...), env.list(...) ...
ENV_READ = re.compile(r"""\benv(?:\.\w+)?\(\s*["']([A-Z][A-Z0-9_]*)["']""")
COMPOSE_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)")


def _compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def _command(service: dict) -> str:
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else command


def _settings_variables() -> set[str]:
    return set(ENV_READ.findall(SETTINGS.read_text()))


def _documented_in_env_example() -> set[str]:
    """Names assigned in .env.example, including commented-out assignments."""
    return set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", ENV_EXAMPLE.read_text(), re.MULTILINE))


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """manage.py with the real settings module (pytest sets the test one) and `env`."""
    full_env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key not in env
    }
    full_env.update(DJANGO_SETTINGS_MODULE="config.settings", **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


# --- docker-compose.yml ---------------------------------------------------------------


def test_compose_defines_the_whole_stack():
    services = _compose()["services"]
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(services)
    assert services["postgres"]["image"].startswith("postgres:15")
    assert services["redis"]["image"].startswith("redis:7")


def test_web_serves_with_gunicorn_after_preparing_the_database():
    command = _command(_compose()["services"]["web"])
    assert "gunicorn config.wsgi" in command
    assert "-b 0.0.0.0:8000" in command
    for step in ("migrate", "collectstatic --noinput", "load_reference_data"):
        assert f"manage.py {step}" in command
    assert command.index("migrate") < command.index("gunicorn")


def test_worker_and_beat_share_the_web_service_definition():
    compose = _compose()
    services = compose["services"]
    shared = compose["x-django"]
    for name in ("web", "worker", "beat"):
        for key in ("build", "image", "env_file", "environment"):
            assert services[name][key] == shared[key], f"{name}.{key} differs from x-django"
    # Through the anchor, not by copy: one edit changes all three.
    assert COMPOSE.read_text().count("<<: *django") == 3


def test_worker_and_beat_run_celery():
    services = _compose()["services"]
    assert _command(services["worker"]).startswith("celery -A config worker")
    assert _command(services["beat"]).startswith("celery -A config beat")


def test_compose_reads_its_environment_from_the_env_file():
    assert _compose()["x-django"]["env_file"] in (".env", [".env"])


def test_every_compose_variable_is_documented_in_env_example():
    without_comments = re.sub(r"^\s*#.*$", "", COMPOSE.read_text(), flags=re.MULTILINE)
    referenced = set(COMPOSE_VARIABLE.findall(without_comments))
    assert referenced, "expected ${VAR} references in docker-compose.yml"
    assert referenced <= _documented_in_env_example()


def test_the_image_runs_as_an_unprivileged_user():
    dockerfile = BASE_DIR.joinpath("Dockerfile").read_text()
    assert "FROM python:3.11-slim" in dockerfile
    users = re.findall(r"^USER\s+(\S+)", dockerfile, re.MULTILINE)
    assert users and users[-1] not in ("root", "0")


def test_the_image_compiles_the_translations_it_ships():
    # .mo files are not committed: an image that skipped compilemessages would be English only.
    dockerfile = BASE_DIR.joinpath("Dockerfile").read_text()
    installs = " ".join(re.findall(r"apt-get install[^&]*", dockerfile))
    assert "gettext" in installs.split()
    assert re.search(r"^RUN .*manage\.py compilemessages", dockerfile, re.MULTILINE | re.DOTALL)


# --- production settings --------------------------------------------------------------


def test_production_settings_pass_the_deployment_checks():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(48),
            "DJANGO_ALLOWED_HOSTS": "example.com",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "env",
    [
        {"DJANGO_DEBUG": "false"},
        {},  # DJANGO_DEBUG unset means production too
        {"DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": ""},
    ],
    ids=["debug-false", "debug-unset", "empty-secret"],
)
def test_production_refuses_to_start_without_a_secret_key(env):
    result = _manage("check", env={"DJANGO_ALLOWED_HOSTS": "example.com", **env})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.parametrize("length", [5, 49])
def test_production_refuses_a_secret_key_under_50_characters(length):
    result = _manage(
        "check",
        env={
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": "k" * length,
            "DJANGO_ALLOWED_HOSTS": "example.com",
        },
    )
    assert result.returncode != 0
    assert "at least 50 characters" in result.stderr


def test_production_starts_with_a_50_character_secret_key():
    result = _manage(
        "check",
        env={
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(38)[:50],
            "DJANGO_ALLOWED_HOSTS": "example.com",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --- documentation --------------------------------------------------------------------


def test_settings_variables_are_found():
    """Guards the pattern the documentation tests rely on."""
    assert {"DJANGO_DEBUG", "DJANGO_SECRET_KEY", "DATABASE_URL", "REDIS_URL"} <= (
        _settings_variables()
    )


def test_every_setting_is_in_the_readme_configuration_table():
    readme = README.read_text()
    configuration = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    missing = sorted(name for name in _settings_variables() if f"| `{name}` |" not in configuration)
    assert not missing, f"add to README.md, Configuration: {missing}"


def test_every_setting_is_in_env_example():
    missing = sorted(_settings_variables() - _documented_in_env_example())
    assert not missing, f"add to .env.example: {missing}"


# --- single sign-on -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"OIDC_ENABLED": "true"}, "OIDC_OP_ISSUER"),
        (
            {
                "OIDC_ENABLED": "true",
                "OIDC_OP_ISSUER": "https://login.example.com",
                "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://login.example.com/authorize",
                "OIDC_OP_TOKEN_ENDPOINT": "https://login.example.com/token",
                "OIDC_OP_USER_ENDPOINT": "https://login.example.com/userinfo",
                "OIDC_OP_JWKS_ENDPOINT": "https://login.example.com/keys",
                "OIDC_RP_CLIENT_ID": "client",
                "OIDC_RP_CLIENT_SECRET": "secret",
                "OIDC_CREATE_USERS": "true",
            },
            "OIDC_ALLOWED_EMAIL_DOMAINS",
        ),
    ],
    ids=["endpoints-missing", "creation-without-domains"],
)
def test_single_sign_on_refuses_to_start_half_configured(env, named):
    result = _manage("check", env={"DJANGO_DEBUG": "true", **env})
    assert result.returncode != 0
    assert named in result.stderr
