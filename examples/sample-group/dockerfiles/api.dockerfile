FROM python:3.11-slim

WORKDIR /app
COPY pyproject.toml uv.lock README.md ./
COPY src/ src/
COPY models/ models/

RUN pip install --no-cache-dir .

ENV MODEL_PATH=/app/models/model.pt
EXPOSE 8000
CMD ["uvicorn", "sample_mlops.api:app", "--host", "0.0.0.0", "--port", "8000"]
