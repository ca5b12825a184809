"""Talking to GitHub: the pull request comment of an audit."""
