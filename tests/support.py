"""Helpers shared by the tests: the test password and a client that submits forms with their CSRF token."""
from __future__ import annotations

import re

from flask.testing import FlaskClient

PASSWORD = "een lang wachtwoord voor tests"
CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Client(FlaskClient):
    """A test client that submits forms the way a browser does: with the page's CSRF token."""

    def submit(self, url: str, data: dict | None = None, page: str | None = None, **kwargs):
        """GET `page` (default: `url`), take its CSRF token and POST `data` to `url`."""
        html = self.get(page or url).get_data(as_text=True)
        match = CSRF_INPUT.search(html)
        assert match, f"geen formulier met CSRF-token op {page or url}"
        return self.post(url, data={"csrf_token": match.group(1), **(data or {})}, **kwargs)
