"""The probe registry: probes register themselves by decorator with the catalog ids they cover.

A probe is a plain function ``(snapshot) -> Observation``. It is pure: no network, no
execution of student code, no writing. Probe modules live in the top-level ``probes``
package and are discovered by importing every module in it.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from verifier.findings import Observation
    from verifier.repo.snapshot import Snapshot

ProbeFunc = Callable[["Snapshot"], "Observation"]


@dataclass(frozen=True)
class ProbeSpec:
    """A registered probe: its name, the catalog ids it decides, and the function."""

    name: str
    item_ids: tuple[str, ...]
    func: ProbeFunc
    description: str


class RegistryError(Exception):
    """Two probes claim the same catalog id, or a probe is registered without ids."""


_PROBES: dict[str, ProbeSpec] = {}
_BY_ITEM: dict[str, ProbeSpec] = {}
_DISCOVERED = False


def probe(*item_ids: str, name: str | None = None) -> Callable[[ProbeFunc], ProbeFunc]:
    """Register ``func`` as the probe deciding ``item_ids``.

    One catalog id has exactly one probe, so a verdict never depends on import order.
    """

    if not item_ids:
        raise RegistryError("a probe must name at least one catalog id")

    def register(func: ProbeFunc) -> ProbeFunc:
        probe_name = name or f"{func.__module__.rsplit('.', 1)[-1]}.{func.__name__}"
        doc = (func.__doc__ or "").strip().splitlines()
        spec = ProbeSpec(probe_name, tuple(item_ids), func, doc[0] if doc else "")
        for item_id in item_ids:
            other = _BY_ITEM.get(item_id)
            if other is not None and other.func is not func:
                raise RegistryError(f"{item_id} is claimed by {other.name} and {probe_name}")
        _PROBES[probe_name] = spec
        for item_id in item_ids:
            _BY_ITEM[item_id] = spec
        return func

    return register


def discover(package: str = "probes") -> None:
    """Import every module of the probes package once, so their decorators run."""

    global _DISCOVERED
    if _DISCOVERED:
        return
    pkg = importlib.import_module(package)
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        if not info.name.startswith("_"):
            importlib.import_module(f"{package}.{info.name}")
    _DISCOVERED = True


def all_probes() -> list[ProbeSpec]:
    discover()
    return sorted(_PROBES.values(), key=lambda p: p.name)


def probe_for(item_id: str) -> ProbeSpec | None:
    discover()
    return _BY_ITEM.get(item_id)
