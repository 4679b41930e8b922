"""The deployment's commands are real: every ``manage.py`` command the Dockerfile's entrypoint
and the Makefile run exists and accepts its arguments, gunicorn's timeout outlasts the coach's,
and ``make worker`` migrates before the worker starts."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command, get_commands, load_command_class

ROOT = Path(settings.BASE_DIR)
DOCKERFILE = (ROOT / "Dockerfile").read_text()
MAKEFILE = (ROOT / "Makefile").read_text()


def _entrypoint() -> tuple[str, str]:
    """The script the Dockerfile writes with a heredoc, and where it writes it."""
    match = re.search(r"^COPY --chmod=755 <<'EOF' (\S+)\n(.*?)^EOF$", DOCKERFILE, re.S | re.M)
    assert match, "the Dockerfile writes its entrypoint script with COPY <<'EOF'"
    return match.group(1), match.group(2)


def _manage_calls(text: str) -> list[list[str]]:
    """Each ``manage.py <command> <args>`` in shell text, up to the first redirection or operator."""
    return [shlex.split(args) for args in re.findall(r"manage\.py ([^;&|>\n]+)", text)]


def _check_calls(calls: list[list[str]]) -> set[str]:
    commands = get_commands()
    for name, *args in calls:
        assert name in commands, f"manage.py {name} is not a management command"
        command = load_command_class(commands[name], name)
        command.create_parser("manage.py", name).parse_args(args)  # exits (SystemExit) on an unknown option
    return {name for name, *_ in calls}


def test_the_entrypoint_runs_real_commands_for_both_processes():
    path, script = _entrypoint()
    web = script[script.index("web)"):script.index("worker)")]
    worker = script[script.index("worker)"):script.index("*)")]
    assert _check_calls(_manage_calls(web)) == {"migrate", "createcachetable", "load_catalog"}
    assert _check_calls(_manage_calls(worker)) == {"migrate", "generate_weekly_reports", "db_worker"}
    assert _manage_calls(worker)[1:] == [["generate_weekly_reports", "--schedule"], ["db_worker"]]
    assert "exec python manage.py db_worker" in worker
    assert "--worker-class gthread" in web and '--timeout "$timeout"' in web and "exec gunicorn hypertrophy.wsgi" in web
    # The image runs the script: ENTRYPOINT names it on PATH, the default command is the web.
    assert path.startswith("/usr/local/bin/")
    assert re.search(rf'^ENTRYPOINT \["{Path(path).name}"\]$', DOCKERFILE, re.M)
    assert re.search(r'^CMD \["web"\]$', DOCKERFILE, re.M)
    sh = shutil.which("sh")
    assert sh
    subprocess.run([sh, "-n"], input=script, text=True, check=True)  # valid shell


@pytest.mark.parametrize("coach_timeout", ["20", "45.5", "120"])
def test_gunicorn_timeout_outlasts_the_coach(coach_timeout):
    _, script = _entrypoint()
    line = next(line.strip() for line in script.splitlines() if line.strip().startswith("timeout="))
    path = f"{Path(sys.executable).parent}:{os.environ['PATH']}"  # `python` is this interpreter
    env = {**os.environ, "COACH_TIMEOUT_SECONDS": coach_timeout, "PATH": path}
    env.pop("GUNICORN_TIMEOUT", None)
    out = subprocess.run(["sh", "-c", f'{line}; echo "$timeout"'], env=env, text=True, capture_output=True, check=True)
    assert int(out.stdout.strip()) > float(coach_timeout)


def test_make_worker_migrates_then_schedules_then_runs_the_db_worker():
    recipe = re.search(r"^worker: (.*)\n((?:\t.*\n)+)", MAKEFILE, re.M)
    assert recipe and "migrate" in recipe.group(1).split()
    assert _check_calls(_manage_calls(recipe.group(2))) == {"generate_weekly_reports", "db_worker"}
    migrate = re.search(r"^migrate: .*\n((?:\t.*\n)+)", MAKEFILE, re.M)
    assert _check_calls(_manage_calls(migrate.group(1))) == {"migrate", "createcachetable", "load_catalog"}
    assert "worker" in re.search(r"^\.PHONY: (.*)$", MAKEFILE, re.M).group(1).split()
    make = shutil.which("make")
    assert make
    dry = subprocess.run([make, "-n", "worker"], cwd=ROOT, text=True, capture_output=True, check=True).stdout
    order = [dry.index(f"manage.py {name}") for name in ("migrate", "generate_weekly_reports --schedule", "db_worker")]
    assert order == sorted(order)


@pytest.mark.django_db
def test_scheduling_the_weekly_reports_twice_enqueues_one_run():
    from django_tasks_db.models import DBTaskResult

    first, second = StringIO(), StringIO()
    call_command("generate_weekly_reports", "--schedule", stdout=first)
    call_command("generate_weekly_reports", "--schedule", stdout=second)
    assert first.getvalue().startswith("Scheduled the weekly-report task")
    assert "already scheduled" in second.getvalue()
    assert DBTaskResult.objects.count() == 1
