"""Static files for production: the workout page's modules bundled, every script stripped of
its notes, then hashed and compressed (whitenoise), with ES module imports rewritten to the hashed names.

The phone downloads and precaches code, not the notes for its readers, and the JavaScript
budget (40 KB gzipped with the service worker's precache; bench/frontend.py) counts every byte:

- ``BUNDLES``: the workout page's entry script takes in the modules only it uses (cards, grid,
  picker, undo, rest): one file compresses as one (the six apart cost 2.6 KB more gzipped), and
  a phone fetches one file instead of six. The shared modules (outbox, status, rules) stay
  modules of their own, so every page script shares one outbox. Only the production storage
  bundles: under ``DEBUG`` the sources are served as they are, so a developer reads them.
- ``strip_js``: comment-only lines, blank lines and indentation go; nothing else changes (line
  breaks stay: automatic semicolon insertion reads them; a file with a template literal over
  lines is left whole). A token-level minifier saves ~1 KB more, but rJSmin, the one on PyPI
  that keeps names, cuts nested template literals (`${a ? `b ${c}` : ""}`), which the scripts use.
- Zopfli: the files a phone precaches (the project's scripts and styles, htmx) are gzipped with
  Zopfli, the same gzip every browser reads, ~3 % smaller than gzip -9, slower to make (once, at
  collectstatic); the admin's and other packages' files keep whitenoise's gzip.
- Import aggregation: ``app.js`` imports ``./outbox.js``; the hashed ``app.<hash>.js`` must ask
  for ``outbox.<hash>.js``, the file the service worker precaches, or it fails offline.

``served_js`` is the one place that says what a script looks like once served: the storage
writes it, and the service worker's precache list (hypertrophy/pwa.py) follows its imports.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Callable

import zopfli.gzip
from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage

# Entry script → the modules inlined into it (only it may import them).
BUNDLES: dict[str, tuple[str, ...]] = {
    "js/workout.js": ("js/cards.js", "js/grid.js", "js/picker.js", "js/undo.js", "js/rest.js"),
}

# Any project module a script imports (or re-exports from), minified or not.
IMPORTED = re.compile(r"""\b(?:import|export)\b[^;'"]*?\bfrom\s*["'](\./[\w.-]+\.js)["']""")
# An import statement of a source file (one per line, as the project writes them): bundle() rewrites these.
IMPORT = re.compile(r"""^import\s*(?P<what>[^;'"]*?)\s*from\s*["'](?P<src>\./[\w.-]+\.js)["'];?[ \t]*\n?""", re.M)
EXPORT = re.compile(r"^export\s+(?=(?:async\s+)?function\b|const\b|let\b|class\b)", re.M)
DECLARED = re.compile(r"^(?:async\s+)?(?:function\*?|const|let|var|class)\s+([\w$]+)", re.M)


def imports(name: str, text: str) -> list[str]:
    """The static paths of the project modules ``text`` (the script ``name``) imports, in order."""
    base = posixpath.dirname(name)
    return [posixpath.normpath(posixpath.join(base, src)) for src in IMPORTED.findall(text)]


def _specifiers(what: str) -> tuple[str | None, list[tuple[str, str]]]:
    """``* as ns`` or ``{ a, b as c }`` → (namespace, [(imported, local), …])."""
    what = " ".join(what.split())
    if namespace := re.fullmatch(r"\*\s*as\s+([\w$]+)", what):
        return namespace[1], []
    if not (what.startswith("{") and what.endswith("}")):
        raise ValueError(f"unsupported import: {what!r}")
    pairs = []
    for spec in filter(None, (s.strip() for s in what[1:-1].split(","))):
        imported, _, local = spec.partition(" as ")
        pairs.append((imported.strip(), (local or imported).strip()))
    return None, pairs


def bundle(entry: str, inlined: tuple[str, ...], read: Callable[[str], str]) -> str:
    """``entry`` with the modules of ``inlined`` it reaches placed before it, in the order an ES
    module graph runs them (dependencies first); their imports of one another vanish and the
    imports of other modules are merged at the top. A module scope becomes one shared scope, so
    two modules declaring the same top-level name is an error here (never a broken page)."""
    order: list[str] = []

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in order:
            return
        if name in path:
            raise ValueError(f"import cycle through {name}: cannot bundle")
        for dep in imports(name, read(name)):
            if dep in inlined:
                visit(dep, (*path, name))
        order.append(name)

    visit(entry, ())
    namespaces: dict[str, set[str]] = {}
    named: dict[str, list[str]] = {}
    locals_: dict[str, str] = {}  # a top-level name → the module that holds it
    bodies: list[str] = []

    def claim(local: str, owner: str) -> None:
        if locals_.setdefault(local, owner) != owner:
            raise ValueError(f"{local!r} is declared by both {locals_[local]} and {owner}: rename one to bundle {entry}")

    for name in order:
        text = read(name)
        for match in IMPORT.finditer(text):
            src = posixpath.normpath(posixpath.join(posixpath.dirname(name), match["src"]))
            namespace, pairs = _specifiers(match["what"])
            if src in inlined:
                if namespace or any(imported != local for imported, local in pairs):
                    raise ValueError(f"{name} imports {src} as a namespace or under another name: cannot bundle")
                continue
            spec_src = "./" + posixpath.relpath(src, posixpath.dirname(entry))
            if namespace:
                if namespace not in namespaces.setdefault(spec_src, set()):
                    claim(namespace, spec_src)
                namespaces[spec_src].add(namespace)
            for imported, local in pairs:
                spec = imported if imported == local else f"{imported} as {local}"
                if spec not in named.setdefault(spec_src, []):
                    claim(local, spec_src)
                    named[spec_src].append(spec)
        body = EXPORT.sub("", IMPORT.sub("", text))
        if re.search(r"^export\b", body, re.M):
            raise ValueError(f"{name}: only `export function|const|let|class` can be bundled")
        for declared in DECLARED.findall(body):
            claim(declared, name)
        bodies.append(body)
    head = [f'import * as {ns} from "{src}";' for src, names in namespaces.items() for ns in sorted(names)]
    head += [f'import {{ {", ".join(specs)} }} from "{src}";' for src, specs in named.items() if specs]
    return "\n".join(head) + "\n" + "\n".join(bodies)


def strip_js(text: str) -> str:
    """``text`` without comment-only lines, blank lines and leading indentation."""
    if any(line.count("`") % 2 for line in text.splitlines()):
        return text
    kept = (line.strip() for line in text.splitlines())
    return "\n".join(line for line in kept if line and not line.startswith("//")) + "\n"


def served_js(name: str, read: Callable[[str], str], *, bundled: bool = True) -> str:
    """The script ``name`` as production serves it (``read`` gives a static path's source)."""
    if bundled and name in BUNDLES:
        return strip_js(bundle(name, BUNDLES[name], read))
    return strip_js(read(name))


# Static paths gzipped with Zopfli.
ZOPFLI = re.compile(r"^(?:js/|css/|django_htmx/htmx-2\.min\.)")


def gzip_bytes(data: bytes) -> bytes:
    """``data`` gzipped as the phone receives the precached files."""
    return zopfli.gzip.compress(data)


class _ZopfliCompressor(Compressor):
    compress_gzip = staticmethod(gzip_bytes)


class _Compressors:
    """Zopfli for the paths ``ZOPFLI`` names, whitenoise's gzip for the rest."""

    def __init__(self, root: str, **kwargs) -> None:
        self.root, self.plain, self.zopfli = root, Compressor(**kwargs), _ZopfliCompressor(**kwargs)

    def should_compress(self, name: str) -> bool:
        return self.plain.should_compress(name)

    def compress(self, path: str) -> list[str]:
        name = os.path.relpath(path, self.root).replace(os.sep, "/")
        return (self.zopfli if ZOPFLI.match(name) else self.plain).compress(path)


class StaticStorage(CompressedManifestStaticFilesStorage):
    support_js_module_import_aggregation = True
    bundles = BUNDLES  # hypertrophy.pwa: the precache follows the bundled imports

    def create_compressor(self, **kwargs):
        return _Compressors(self.location, **kwargs)

    def post_process(self, paths, dry_run=False, **options):
        if not dry_run:
            paths = dict(paths)

            def read(name: str) -> str:  # the source (the copy in STATIC_ROOT may be processed already)
                storage, path = paths[name]
                with storage.open(path) as handle:
                    return handle.read().decode("utf-8")

            scripts = [n for n in paths if n.startswith("js/") and n.endswith(".js")]
            served = {name: served_js(name, read) for name in scripts}
            for name, text in served.items():
                with open(self.path(name), "w", encoding="utf-8") as handle:
                    handle.write(text)
                paths[name] = (self, name)  # hash and compress the served copy, not the source
        yield from super().post_process(paths, dry_run, **options)
