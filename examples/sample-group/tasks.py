"""Project commands: `invoke --list`."""

from invoke import Context, task

PROJECT = "sample_mlops"


@task
def data(ctx: Context) -> None:
    """Download and preprocess the data."""
    ctx.run(f"python -m {PROJECT}.data download", echo=True, pty=True)
    ctx.run(f"python -m {PROJECT}.data preprocess", echo=True, pty=True)


@task
def train(ctx: Context, experiment: str = "") -> None:
    """Train the model, optionally with an experiment config."""
    override = f" experiment={experiment}" if experiment else ""
    ctx.run(f"python src/{PROJECT}/train.py{override}", echo=True, pty=True)


@task
def test(ctx: Context) -> None:
    """Run the tests with coverage."""
    ctx.run("coverage run -m pytest tests/", echo=True, pty=True)
    ctx.run("coverage report -m", echo=True, pty=True)


@task
def docker_build(ctx: Context) -> None:
    """Build the training and API images."""
    ctx.run("docker build -t train:latest -f dockerfiles/train.dockerfile .", echo=True, pty=True)
    ctx.run("docker build -t api:latest -f dockerfiles/api.dockerfile .", echo=True, pty=True)


@task
def serve(ctx: Context) -> None:
    """Serve the API locally on port 8000."""
    ctx.run(f"uvicorn {PROJECT}.api:app --reload --port 8000", echo=True, pty=True)
