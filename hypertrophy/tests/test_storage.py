"""The production static storage strips the project's scripts of their notes for readers."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from hypertrophy.storage import strip_js


def test_comment_lines_blank_lines_and_indentation_go_code_stays():
    source = "// about\nimport { a } from \"./a.js\";\n\nfunction f(x) {\n  // why\n  return x + 1; // kept: not a comment-only line\n}\n"
    assert strip_js(source) == 'import { a } from "./a.js";\nfunction f(x) {\nreturn x + 1; // kept: not a comment-only line\n}\n'


def test_a_template_literal_over_lines_leaves_the_file_alone():
    source = "const s = `one\n  // two\n`;\n"
    assert strip_js(source) == source


def test_every_script_keeps_its_statements():
    """Each of the project's scripts, stripped, has the same code lines (a comment-only line never
    hides code, no multi-line template literal is touched)."""
    scripts = sorted((Path(settings.BASE_DIR) / "static" / "js").glob("*.js"))
    assert scripts
    for script in scripts:
        text = script.read_text()
        code = [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("//")]
        assert strip_js(text).splitlines() == code or strip_js(text) == text, script.name
