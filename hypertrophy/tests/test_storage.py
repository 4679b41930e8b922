"""The production static storage: the workout page's modules bundled into its entry, every script
stripped of its notes (hypertrophy/storage.py). hypertrophy/tests/test_static_production.py runs the result
in Chromium."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from hypertrophy import pwa, storage

SCRIPTS = sorted((Path(settings.BASE_DIR) / "static" / "js").glob("*.js"))


def source(path: str) -> str:
    return Path(finders.find(path)).read_text(encoding="utf-8")


def modules(**files: str):
    return lambda name: files[name.removeprefix("js/").removesuffix(".js")]


def test_a_bundle_runs_its_modules_dependencies_first_and_merges_the_other_imports():
    read = modules(
        entry='import * as box from "./box.js";\nimport { a } from "./a.js";\nimport { b, shared } from "./b.js";\n'
        "a(b(shared));\n",
        a='import { b } from "./b.js";\nimport { other as renamed } from "./shared.js";\n'
        "export function a(x) {\n  return b(x) + renamed;\n}\n",
        b='import * as box from "./box.js";\nexport const b = (x) => box.put(x);\nexport let shared = 1;\n',
    )
    text = storage.bundle("js/entry.js", ("js/a.js", "js/b.js"), read)
    lines = text.splitlines()
    assert lines[:2] == ['import * as box from "./box.js";', 'import { other as renamed } from "./shared.js";']
    assert text.index("const b =") < text.index("function a(x)") < text.index("a(b(shared));")
    assert "export" not in text and '"./a.js"' not in text and '"./b.js"' not in text
    assert storage.imports("js/entry.js", storage.strip_js(text)) == ["js/box.js", "js/shared.js"]


@pytest.mark.parametrize(
    "files, message",
    [
        ({"entry": 'import { a } from "./a.js";\nconst KEY = 1;\n', "a": "export const a = 1;\nconst KEY = 2;\n"}, "'KEY' is declared by both"),
        ({"entry": 'import { a as b } from "./a.js";\n', "a": "export const a = 1;\n"}, "under another name"),
        ({"entry": 'import * as a from "./a.js";\n', "a": "export const a = 1;\n"}, "as a namespace"),
        ({"entry": 'import { a } from "./a.js";\n', "a": 'import { e } from "./entry.js";\nexport const a = 1;\n'}, "cycle"),
        ({"entry": 'import { a } from "./a.js";\n', "a": "const a = 1;\nexport { a };\n"}, "only `export"),
        ({"entry": 'import { x } from "./a.js";\nimport { x } from "./other.js";\n', "a": "export const x = 1;\n"}, "declared by both"),
    ],
)
def test_what_would_break_in_one_scope_is_refused_at_collectstatic(files, message):
    inlined = ("js/a.js", "js/entry.js") if "cycle" in message else ("js/a.js",)
    with pytest.raises(ValueError, match=re.escape(message)):
        storage.bundle("js/entry.js", inlined, modules(**files))


def test_the_workout_bundle_holds_its_modules_and_imports_only_the_shared_ones():
    text = storage.served_js("js/workout.js", source)
    assert storage.imports("js/workout.js", text) == ["js/outbox.js", "js/status.js", "js/rules.js"]
    for module in storage.BUNDLES["js/workout.js"]:
        first = re.search(r"^export (?:async )?function (\w+)", source(module), re.M)[1]
        assert f"function {first}(" in text, module


def test_an_inlined_module_is_imported_by_its_bundle_only():
    """A page script importing cards.js would get a second copy of it beside the bundle's."""
    inlined = {module for modules in storage.BUNDLES.values() for module in modules}
    allowed = inlined | set(storage.BUNDLES)
    for script in SCRIPTS:
        name = f"js/{script.name}"
        if name not in allowed:
            assert not inlined & set(storage.imports(name, script.read_text())), name


def test_comment_lines_blank_lines_and_indentation_go_code_stays():
    source = "// about\nimport { a } from \"./a.js\";\n\nfunction f(x) {\n  // why\n  return x + 1; // kept: not a comment-only line\n}\n"
    assert storage.strip_js(source) == 'import { a } from "./a.js";\nfunction f(x) {\nreturn x + 1; // kept: not a comment-only line\n}\n'


def test_a_template_literal_over_lines_leaves_the_file_alone():
    source = "const s = `one\n  // two\n`;\n"
    assert storage.strip_js(source) == source


def test_every_script_keeps_its_statements():
    """Each of the project's scripts, stripped, has the same code lines (a comment-only line never
    hides code, no multi-line template literal is touched)."""
    assert SCRIPTS
    for script in SCRIPTS:
        text = script.read_text()
        code = [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("//")]
        assert storage.strip_js(text).splitlines() == code or storage.strip_js(text) == text, script.name


def test_the_javascript_budget_with_the_precache():
    """Every script the worker precaches as production serves it, htmx and the worker itself:
    at most 40 KB gzipped (bench/frontend.py measures what Chromium downloads)."""
    from django.test import Client

    scripts = [p for p in pwa.precached_static(bundled=True) if p.endswith(".js")]
    assert "js/workout.js" in scripts and "js/cards.js" not in scripts
    served = [storage.served_js(p, source) if p.startswith("js/") else source(p) for p in scripts]
    total = sum(len(storage.gzip_bytes(text.encode())) for text in served)
    worker = Client().get("/sw.js", headers={"Accept-Encoding": "gzip"})
    assert worker["Content-Encoding"] == "gzip"
    total += len(worker.content)
    assert total <= 40_000, f"{total} bytes of JavaScript gzipped with the precache"


def test_the_precached_files_are_gzipped_with_zopfli_and_the_rest_as_before(tmp_path):
    compressors = storage.StaticStorage(location=tmp_path).create_compressor(extensions=None, quiet=True)
    text = ("const row = document.querySelector('.set-row');\n" * 40 + source("js/outbox.js")).encode()
    for name in ("js/outbox.js", "admin/js/core.js"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(text)
        (written,) = compressors.compress(str(tmp_path / name))
        assert gzip.decompress(Path(written).read_bytes()) == text
    own, other = (len((tmp_path / f"{name}.gz").read_bytes()) for name in ("js/outbox.js", "admin/js/core.js"))
    assert own == len(storage.gzip_bytes(text)) < other == len(gzip.compress(text, compresslevel=9, mtime=0))
