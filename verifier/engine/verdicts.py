"""Tick state × observation → verdict (the table in DESIGN.md)."""

from __future__ import annotations

from verifier.findings import Outcome, Verdict
from verifier.report.model import Tick

_TICKED: dict[Outcome, Verdict] = {
    Outcome.FOUND: Verdict.VERIFIED,
    Outcome.PARTIAL: Verdict.WEAK,
    Outcome.MISSING: Verdict.MISMATCH,
    Outcome.NOT_VERIFIABLE: Verdict.MANUAL,
}

_UNTICKED: dict[Outcome, Verdict] = {
    Outcome.FOUND: Verdict.UNCLAIMED,
    # Something exists but falls short: not worth a hint that the group "did" the item.
    Outcome.PARTIAL: Verdict.ABSENT,
    Outcome.MISSING: Verdict.ABSENT,
    # Nothing is claimed, so there is nothing for a person to check either.
    Outcome.NOT_VERIFIABLE: Verdict.ABSENT,
}


def verdict_for(tick: Tick, outcome: Outcome) -> Verdict:
    """Combine what the report claims with what the repository shows.

    A part-done mark (``[~]``, ``[50%]``) is a claim that work exists, so it is judged like
    a tick: nothing at all in the repository is still a mismatch.
    """

    if tick is Tick.UNTICKED:
        return _UNTICKED[outcome]
    return _TICKED[outcome]
