#!/usr/bin/env bash
# Mutation testing of the backup code (apk_desktop/backup/) and the scan import
# (apk_desktop/db/services/evidence.py) with mutmut; configuration in pyproject.toml [tool.mutmut].
# Slow (tens of minutes on two cores), so neither pytest nor CI runs it.
#
#   scripts/mutation-test.sh                                   # everything
#   scripts/mutation-test.sh "apk_desktop.backup.archive.*"    # one module (mutant name glob)
#
# Prints the killed share per module at the end; `uv run --group mutation mutmut results`
# lists the survivors and `... mutmut show NAME` shows one.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.local/bin:$PATH"
export QT_QPA_PLATFORM=offscreen
# Set but naming no point: a mutant calling the pause seam with None then cannot stop the
# test process itself (os.environ.get would return None and match).
export APK_DESKTOP_FAULT_PAUSE_AT=""
uv run --group mutation mutmut run "$@" || true  # a non-zero exit only means survivors
uv run --group mutation mutmut results --all true | uv run --group mutation python scripts/mutation_score.py
