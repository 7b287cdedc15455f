"""Which addresses the watcher may connect to, decided after DNS resolution.

A sources file, a feed entry or a redirect can point anywhere, including the machine itself (127.0.0.1),
the office network (10.x, 192.168.x) or a cloud metadata service (169.254.169.254). Names are resolved
here, every resulting address is checked, and the fetcher connects to the checked address itself (the
name is sent as ``Host`` and TLS server name), so a second lookup cannot swap in another address.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..errors import FetchError

__all__ = ["Resolver", "address_refusal", "resolve_allowed", "system_resolver"]

#: host name, port -> the addresses it resolves to (tests inject their own)
Resolver = Callable[[str, int], Sequence[str]]


def system_resolver(host: str, port: int) -> list[str]:
    """Addresses from the operating system's resolver, IPv4 first, without duplicates."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    found = [str(info[4][0]) for info in infos]
    return sorted(dict.fromkeys(found), key=lambda a: ":" in a)


def address_refusal(address: str) -> str | None:
    """Why an address must not be fetched without ``--allow-private``; None when it is a public address."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return f"{address!r} is not an IP address"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_link_local:
        return "a link-local address (cloud metadata services live there)"
    if ip.is_private:
        return "a private network address"
    if ip.is_multicast or ip.is_unspecified or ip.is_reserved or not ip.is_global:
        return "not a public address"
    return None


def _within(address: str, networks: Sequence[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    return any(ip.version == n.version and ip in n for n in networks)


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class Target:
    """Where to connect for one URL: the checked address, and the host name it was found under."""

    host: str
    address: str
    port: int


def resolve_allowed(url: str, host: str, port: int, resolver: Resolver, allow_private: bool,
                    allow_networks: Sequence[str] = ()) -> Target:
    """Resolve ``host`` and pick an address the policy allows; raises :class:`FetchError` when none is.

    Every address a name resolves to must be allowed: a name that resolves to one public and one private
    address is refused, as a rebinding trick could rotate between them.
    """
    try:
        addresses = [str(ipaddress.ip_address(host.strip("[]")))] if _is_ip(host) else list(resolver(host, port))
    except (OSError, UnicodeError) as exc:
        raise FetchError(url, f"cannot resolve host {host!r} ({exc})", transient=True) from exc
    if not addresses:
        raise FetchError(url, f"host {host!r} resolves to no address", transient=True)
    if not allow_private:
        networks = [ipaddress.ip_network(n, strict=False) for n in allow_networks]
        for address in addresses:
            refusal = address_refusal(address)
            if refusal and not _within(address, networks):
                raise FetchError(url, f"refused: {host} resolves to {address}, {refusal} "
                                      "(pass --allow-private to fetch from such addresses)")
    return Target(host=host, address=addresses[0], port=port)
