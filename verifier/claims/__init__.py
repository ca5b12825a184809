"""Claims in the free-text answers of a report: what they say, where, and how sure.

``extract_claims(report)`` returns :class:`Claim` objects (kind, question, report line, quoted
words, typed value, qualifier, negation); comparing them with the repository is done elsewhere.
"""

from verifier.claims.extract import answer_claims, extract_claims
from verifier.claims.model import CLAIM_KINDS, Claim
from verifier.claims.vocabulary import framework_distributions, load_vocabulary

__all__ = [
    "CLAIM_KINDS",
    "Claim",
    "answer_claims",
    "extract_claims",
    "framework_distributions",
    "load_vocabulary",
]
