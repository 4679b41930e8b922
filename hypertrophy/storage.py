"""Static files storage for production: hashed, compressed, and ES module imports rewritten.

``app.js`` imports ``./outbox.js``; without import aggregation the hashed ``app.<hash>.js``
would still ask for the unhashed file, which the service worker does not precache, and
the page script would fail to load offline.

The project's own scripts (``js/*.js``) lose their comment-only lines, blank lines and
indentation on the way (``strip_js``): the phone downloads and precaches code, not the notes
for its readers, and the JavaScript budget (bench/frontend.py) counts every byte. Nothing else
changes: line breaks stay (automatic semicolon insertion reads them), and a file with a template
literal spanning lines is left as it is.
"""

from pathlib import Path

from whitenoise.storage import CompressedManifestStaticFilesStorage


def strip_js(text: str) -> str:
    """``text`` without comment-only lines, blank lines and leading indentation."""
    if any(line.count("`") % 2 for line in text.splitlines()):
        return text
    kept = (line.strip() for line in text.splitlines())
    return "\n".join(line for line in kept if line and not line.startswith("//")) + "\n"


class StaticStorage(CompressedManifestStaticFilesStorage):
    support_js_module_import_aggregation = True

    def post_process(self, paths, dry_run=False, **options):
        if not dry_run:
            paths = dict(paths)
            for name in paths:
                if name.startswith("js/") and name.endswith(".js") and self.exists(name):
                    path = Path(self.path(name))
                    path.write_text(strip_js(path.read_text(encoding="utf-8")), encoding="utf-8")
                    paths[name] = (self, name)  # hash and compress the stripped copy, not the source
        yield from super().post_process(paths, dry_run, **options)
