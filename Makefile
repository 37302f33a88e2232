# Lienzo: `make run` starts the app with demo data, `make test` runs every test.
# Both bootstrap .venv from pyproject.toml pinned by constraints.txt.

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test bench load pressure outage lock messages clean

$(STAMP): pyproject.toml constraints.txt scripts/find-python
	@python="$$(scripts/find-python)" || exit 1; \
	if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
		rm -rf $(VENV); echo "Creating $(VENV) with $$python"; "$$python" -m venv $(VENV); \
	fi
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -c 'import tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]; print("\n".join(p["dependencies"] + p["optional-dependencies"]["dev"]))' > $(VENV)/requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -r $(VENV)/requirements.txt
	@touch $(STAMP)

run: $(STAMP)
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} $(PY) manage.py load_demo
	DEBUG=$${DEBUG:-1} $(PY) manage.py load_demo_customers
	@echo ""
	@echo "  Lienzo is running at http://$(HOST):$(PORT)/ (with a task worker for PDFs and mail)"
	@echo "  Demo login: username 'demo', password 'lienzo-demo'"
	@echo ""
	DEBUG=$${DEBUG:-1} $(PY) scripts/serve.py $(HOST):$(PORT)

test: $(STAMP)
	scripts/system-deps
	$(PY) -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(PY) scripts/bench.py
	$(PY) scripts/bench_customers.py

# 60 s of several users on one canvas through gunicorn on 127.0.0.1 (LOAD_SECONDS, LOAD_USERS).
load: $(STAMP)
	$(PY) scripts/load.py

# Five people print 2,000-note canvases at once; the log-in page's latency meanwhile (PostgreSQL).
pressure: $(STAMP)
	$(PY) scripts/pdf_pressure.py

# Stops and restarts the local PostgreSQL under a running app (root; not part of `make test`).
outage: $(STAMP)
	$(PY) scripts/db_outage.py

# Refresh constraints.txt from a clean install of the declared ranges.
lock:
	rm -rf .venv-lock
	"$$(scripts/find-python)" -m venv .venv-lock
	.venv-lock/bin/python -c 'import tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]; print("\n".join(p["dependencies"] + p["optional-dependencies"]["dev"]))' > .venv-lock/requirements.txt
	.venv-lock/bin/pip install --quiet -r .venv-lock/requirements.txt
	{ echo "# Exact versions for every package Lienzo installs. Regenerate with \`make lock\`."; \
	  .venv-lock/bin/pip freeze --exclude pip --exclude setuptools; } > constraints.txt
	rm -rf .venv-lock

# Extract and compile translations (needs gettext).
messages: $(STAMP)
	DEBUG=1 $(PY) manage.py makemessages --locale es --no-obsolete --add-location file
	DEBUG=1 $(PY) manage.py makemessages --locale es --domain djangojs --no-obsolete --add-location file --ignore .venv --ignore static/vendor
	DEBUG=1 $(PY) manage.py compilemessages --locale es --ignore .venv

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
