"""`rasa data validate --fail-on-warnings`, except for one warning that is expected here.

The intents a routine's timer and the socket.io channel trigger (`EXTERNAL_*`, see domain.yml) are
never typed by users, so they have no NLU training data on purpose; Rasa warns about that. Every
other warning still fails the check.
"""

from __future__ import annotations

import re
import sys
import warnings

from bot import settings

EXPECTED = re.compile(
    r"The intent 'EXTERNAL_\w+' is listed in the domain file, but is not found in the NLU "
    r"training data\."
)


def main() -> int:
    from rasa.cli.utils import validate_files
    from rasa.shared.importers.importer import TrainingDataImporter

    root = settings.PROJECT_DIR
    importer = TrainingDataImporter.load_from_config(
        config_path=str(root / "config.yml"),
        domain_path=str(root / "domain.yml"),
        training_data_paths=[str(root / "data")],
    )
    # Loading warns about things --fail-on-warnings ignores too; only the checks themselves count.
    importer.get_domain(), importer.get_nlu_data(), importer.get_stories(), importer.get_config()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        validate_files(fail_on_warnings=False, max_history=None, importer=importer)
    problems = [
        str(w.message)
        for w in caught
        if issubclass(w.category, UserWarning)
        and not issubclass(w.category, DeprecationWarning)
        and not EXPECTED.search(str(w.message))
        and "rasa" in (w.filename or "")
    ]
    for problem in problems:
        print(f"warning: {problem}", file=sys.stderr)
    if problems:
        print(f"Validation failed: {len(problems)} warning(s).", file=sys.stderr)
        return 1
    print("Rasa data validation passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
