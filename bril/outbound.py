"""Calls this server makes to another server on someone's say-so (an organisation's identity provider, its
learning record store).

A beheerder types the address, and the provider's own description names more addresses; neither may
make this server reach its own network. Every address is resolved when it is used (not only when it was
saved, so a name that later points inward is caught too), and each address the name resolves to must be
a public one. Redirects are never followed: a public address could otherwise send the request inward.
No Flask here: the caller says whether addresses on this machine are allowed (tests, demonstrations).
"""
from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

import requests

# Seconds to wait for the other server; a sign-in should fail clearly rather than hang.
TIMEOUT = 10

# The messages name the other server: `who` is "de identiteitsprovider", "de leeromgeving", ...
IDENTITY_PROVIDER = "de identiteitsprovider"
NOT_HTTPS = "Het adres van {who} begint met https://, zoals https://{example}."
INTERNAL = "Dit adres wijst naar een intern netwerk of naar deze server. Vul het openbare adres van {who} in."
UNKNOWN = "Het adres van {who} is niet te vinden. Controleer het adres."
REDIRECTED = "{What} stuurt door naar een ander adres. Vul het adres in waar {who} zelf antwoordt."
EXAMPLES = {IDENTITY_PROVIDER: "login.gemeente.nl"}


class AddressRefused(requests.RequestException):
    """An address this server will not call; the message is Dutch and names nothing of a remote answer."""


def address_problem(url: str, loopback: bool = False, who: str = IDENTITY_PROVIDER) -> str | None:
    """Why this server may not call `url`, in Dutch, naming `who` is there; None when it may. With `loopback`,
    an address on this machine is allowed too (and plain http there); nothing else that is not public ever is."""
    problem = address_refusal(url, loopback)
    return problem and problem.format(who=who, example=EXAMPLES.get(who, "leren.gemeente.nl"))


def address_refusal(url: str, loopback: bool) -> str | None:
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname or parts.username or parts.password:
        return NOT_HTTPS
    try:
        addresses = resolve(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    except (OSError, UnicodeError, ValueError):
        addresses = []
    on_this_machine = bool(addresses) and all(address.is_loopback for address in addresses)
    if parts.scheme == "http":  # only on this machine, and only with the loopback switch (tests, demonstrations)
        return None if loopback and on_this_machine else NOT_HTTPS
    if not addresses:
        return UNKNOWN
    if loopback and on_this_machine:
        return None
    if any(not public(address) for address in addresses):
        return INTERNAL
    return None


def resolve(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """Every address a host name resolves to now (an address written as such is its own answer)."""
    found = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM)
    return [ipaddress.ip_address(info[4][0].split("%")[0]) for info in found]


def public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """An address on the internet: not loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7), link-local
    (169.254/16 with the cloud's metadata service, fe80::/10), unspecified, multicast or reserved."""
    mapped = getattr(address, "ipv4_mapped", None) or getattr(address, "sixtofour", None)
    if mapped is not None and not public(mapped):
        return False
    return address.is_global and not (address.is_loopback or address.is_private or address.is_link_local
                                      or address.is_unspecified or address.is_multicast or address.is_reserved)


class CheckedRequests:
    """Mix into a requests Session: every request's address is checked just before it is sent, and a
    redirect is an error instead of a second request."""

    allow_loopback = False
    who = IDENTITY_PROVIDER

    def request(self, method, url, *args, **kwargs):
        problem = address_problem(url, self.allow_loopback, self.who)
        if problem:
            raise AddressRefused(problem)
        kwargs["allow_redirects"] = False
        kwargs.setdefault("timeout", TIMEOUT)
        response = super().request(method, url, *args, **kwargs)
        if 300 <= response.status_code < 400:
            response.close()
            raise AddressRefused(REDIRECTED.format(What=self.who.capitalize(), who=self.who))
        return response


class CheckedSession(CheckedRequests, requests.Session):
    """A plain requests Session with the checks of CheckedRequests."""

    def __init__(self, allow_loopback: bool = False, who: str = IDENTITY_PROVIDER) -> None:
        super().__init__()
        self.allow_loopback, self.who = allow_loopback, who
