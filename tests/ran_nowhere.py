"""make test's last line: the tests that neither part of it ran (build/test-runs/, written by
tests/conftest.py), grouped by test function and reason, or that every test ran somewhere."""

import collections
import json
from pathlib import Path

TEST_RUNS = Path(__file__).resolve().parent.parent / "build" / "test-runs"

parts = {path.stem: json.loads(path.read_text()) for path in sorted(TEST_RUNS.glob("*.json"))}
tests = sorted({test for outcomes in parts.values() for test in outcomes})
nowhere = collections.defaultdict(list)  # (function, why) -> its cases
for test in tests:
    if all(outcomes.get(test) != "ran" for outcomes in parts.values()):
        why = "; ".join(f"{part}: {outcomes.get(test, 'not run there')}"
                        for part, outcomes in parts.items())
        function, _, case = test.partition("[")
        nowhere[function, why].append(case.rstrip("]"))
count = sum(map(len, nowhere.values()))
print(f"make test: {len(tests) - count} of {len(tests)} tests ran in "
      f"{' or '.join(parts) or 'no environment'}; " + (
          f"{count} ran in neither:" if count else "none ran in neither"))
for (function, why), cases in nowhere.items():
    print(f"  {function}" + (f" ({len(cases)} cases)" if cases != [""] else "") + f": {why}")
