"""The address other devices use to reach this site: the join link on the projector and in the QR code.

Normally that is the address the request came in on. For a dry run on the local network the facilitator's
laptop opens the site at 127.0.0.1, which a phone cannot reach, so `PUBLIC_URL` (set by `scripts/start --lan`,
or by hand) names the address the phones should use.
"""
from __future__ import annotations

from flask import current_app, url_for


def external_url(endpoint: str, **values) -> str:
    """A full link to a page of this site that another device can open."""
    base = current_app.config.get("PUBLIC_URL")
    if not base:
        return url_for(endpoint, _external=True, **values)
    return base.rstrip("/") + url_for(endpoint, **values)


def trial_run() -> bool:
    """True when the site is served to other devices over plain HTTP: fine to try out, not for real use."""
    return str(current_app.config.get("PUBLIC_URL") or "").startswith("http://")
