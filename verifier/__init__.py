"""verifier: checks an MLOps course report against the group's repository."""

__version__ = "0.1.0"
