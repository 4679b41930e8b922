"""Static files storage for production: hashed, compressed, and ES module imports rewritten.

``app.js`` imports ``./outbox.js``; without import aggregation the hashed ``app.<hash>.js``
would still ask for the unhashed file, which the service worker does not precache, and
the page script would fail to load offline.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    support_js_module_import_aggregation = True
