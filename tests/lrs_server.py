"""Run ralph's LRS API with its file backend (run by tests/lrs.py with .venv-lrs's Python, never imported here).

ralph 5.1.0's file backend writes every request to its one file in "index" mode, which refuses a file that
exists: its second request fails with a 500. The store's own rules (ids it knows, statements it accepts)
live in ralph's API, not in that mode; appending makes it a store that keeps more than one request.
"""
import sys

import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

from ralph.api import app  # noqa: E402  (after the backend's mode is set)

uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
