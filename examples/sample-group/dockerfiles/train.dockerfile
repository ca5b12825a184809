FROM python:3.11-slim

RUN apt-get update && apt-get install --no-install-recommends -y build-essential && \
    rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml uv.lock README.md ./
COPY src/ src/
COPY configs/ configs/

RUN pip install --no-cache-dir .

# data/ is mounted at run time: docker run -v $(pwd)/data:/app/data train:latest
ENTRYPOINT ["python", "-u", "src/sample_mlops/train.py"]
