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
    from verifier.claims.model import Claim
    from verifier.findings import ClaimResult, Observation
    from verifier.repo.snapshot import Snapshot
    from verifier.report.model import Report

ProbeFunc = Callable[["Snapshot"], "Observation"]
#: A claim checker: (the claim, the snapshot, the whole report) -> ClaimResult.
ClaimFunc = Callable[["Claim", "Snapshot", "Report"], "ClaimResult"]


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


@dataclass(frozen=True)
class ClaimCheckSpec:
    """A registered claim checker and the claim kinds it decides."""

    name: str
    kinds: tuple[str, ...]
    func: ClaimFunc


_CLAIM_CHECKS: dict[str, ClaimCheckSpec] = {}


def claim_check(*kinds: str, name: str | None = None) -> Callable[[ClaimFunc], ClaimFunc]:
    """Register ``func`` as the checker of claims of ``kinds`` (one checker per kind)."""

    if not kinds:
        raise RegistryError("a claim checker must name at least one claim kind")

    def register(func: ClaimFunc) -> ClaimFunc:
        check_name = name or f"{func.__module__.rsplit('.', 1)[-1]}.{func.__name__}"
        for kind in kinds:
            other = _CLAIM_CHECKS.get(kind)
            if other is not None and other.func is not func:
                raise RegistryError(
                    f"claim kind {kind} is checked by {other.name} and {check_name}"
                )
        spec = ClaimCheckSpec(check_name, tuple(kinds), func)
        for kind in kinds:
            _CLAIM_CHECKS[kind] = spec
        return func

    return register


def claim_check_for(kind: str) -> ClaimCheckSpec | None:
    discover()
    return _CLAIM_CHECKS.get(kind)


def all_claim_checks() -> list[ClaimCheckSpec]:
    discover()
    return sorted({s.name: s for s in _CLAIM_CHECKS.values()}.values(), key=lambda s: s.name)


#: Checks of the whole repository that belong to no checklist item (committed secrets, ...):
#: name -> (title, function returning evidence).
_REPO_CHECKS: dict[str, tuple[str, Callable[[Snapshot], list]]] = {}


def repo_check(name: str, title: str) -> Callable[[Callable[..., list]], Callable[..., list]]:
    """Register a repository-wide check whose evidence is reported as a notice."""

    def register(func: Callable[..., list]) -> Callable[..., list]:
        _REPO_CHECKS[name] = (title, func)
        return func

    return register


def all_repo_checks() -> dict[str, tuple[str, Callable[[Snapshot], list]]]:
    discover()
    return dict(sorted(_REPO_CHECKS.items()))
