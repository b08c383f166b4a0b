"""make wheels: does every Python and OS the README promises get every pinned package as a wheel?

For each environment of tools/setup.sh --matrix, each of its Pythons and Linux x86_64, macOS
arm64 and Windows x86_64, uv resolves the requirements from binary wheels only, with no such
interpreter or machine needed. The table goes into figures/MEASUREMENTS.md between its markers,
with a digest of what it resolved (tests/test_setup.py checks it is today's). Exit status 1 when
a pair does not resolve."""

import hashlib
import os
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from l303_files import REPO, write_atomically

PLATFORMS = {  # uv's --python-platform: the OS a student may have
    "x86_64-manylinux_2_28": "Linux x86_64",
    "aarch64-apple-darwin": "macOS arm64",
    "x86_64-pc-windows-msvc": "Windows x86_64",
}
MEASUREMENTS = REPO / "figures" / "MEASUREMENTS.md"
BEGIN = "<!-- make wheels writes from here (tools/wheels.py) -->"
END = "<!-- make wheels wrote up to here -->"
DIGEST_LINE = re.compile(r"requirements digest `([0-9a-f]+)`")


def environments(folder=REPO):
    """[(backend, [python versions], [uv install arguments])] as tools/setup.sh makes them."""
    lines = subprocess.run(["sh", str(REPO / "tools" / "setup.sh"), "--matrix"], cwd=folder,
                           capture_output=True, text=True, check=True).stdout.splitlines()
    return [(backend, pythons.split(), arguments.split())
            for backend, pythons, arguments in (line.split("|") for line in lines)]


def files_named(arguments, folder=REPO):
    """The requirement files the install arguments name, and those they include (-r)."""
    named = [word for word in arguments if word.endswith(".txt")]
    files = []
    while named:
        name = named.pop(0)
        if name in files:
            continue
        files.append(name)
        for line in (folder / name).read_text().splitlines():
            if line.startswith(("-r ", "--requirement ")):
                named.append(line.split(maxsplit=1)[1].strip())
    return files


def digest(folder=REPO):
    """What the table was resolved from: the environments and every file they name, in one hash."""
    hashed = hashlib.sha256()
    for backend, pythons, arguments in environments(folder):
        hashed.update(f"{backend}|{' '.join(pythons)}|{' '.join(arguments)}\n".encode())
        for name in files_named(arguments, folder):
            hashed.update(name.encode() + b"\n" + (folder / name).read_bytes())
    return hashed.hexdigest()[:16]


def resolve(arguments, python, platform, folder=REPO, offline=False):
    """None when uv resolves the arguments to wheels for that Python and platform, else its reason
    in one line ("scipy==1.17.1 has no usable wheels"); OFFLINE: from uv's cache alone."""
    files_then_options = [word for word in arguments if word != "-r"]  # compile takes no -r
    completed = subprocess.run(
        [sys.executable, "-m", "uv", "pip", "compile", *files_then_options,
         "--python-version", python, "--python-platform", platform, "--only-binary", ":all:",
         "--system-certs", "--no-header", "--output-file", os.devnull,
         *(["--offline"] if offline else [])],
        cwd=folder, capture_output=True, text=True, timeout=300, check=False)
    if completed.returncode == 0:
        return None
    lines = [line.strip() for line in completed.stderr.splitlines() if line.strip()]
    because = [line for line in lines
               if "has no usable wheels" in line or "because" in line.lower()]
    reason = (because or lines or [f"uv exited with status {completed.returncode}"])[0]
    return re.sub(r"^(\S+: |cause: |error: )", "", reason)


def check(folder=REPO):
    """{(backend, python, platform): None or the reason it does not resolve}."""
    pairs = [(backend, python, platform, arguments)
             for backend, pythons, arguments in environments(folder)
             for python in pythons for platform in PLATFORMS]
    with ThreadPoolExecutor(max_workers=6) as pool:  # the registry answers; the CPU waits
        reasons = pool.map(lambda pair: resolve(pair[3], pair[1], pair[2], folder), pairs)
        return {pair[:3]: reason for pair, reason in zip(pairs, reasons)}


def table(results, folder=REPO):
    """The markdown table of check()'s results: a row per backend and Python, a column per OS."""
    uv_version = subprocess.run([sys.executable, "-m", "uv", "--version"], capture_output=True,
                                text=True, check=True).stdout.split()[1]
    lines = [(f"Resolved on {time.strftime('%Y-%m-%d')} by uv {uv_version} from binary wheels "
              f"only, requirements digest `{digest(folder)}` (the files and Pythons of "
              f"`tools/setup.sh --matrix`). Linux is manylinux_2_28."), "",
             "| backend | Python | " + " | ".join(PLATFORMS.values()) + " |",
             "|---|---|" + "---|" * len(PLATFORMS)]
    for backend, python in dict.fromkeys(pair[:2] for pair in results):  # check()'s order
        cells = ("wheels" if results[backend, python, platform] is None
                 else f"**no**: {results[backend, python, platform]}" for platform in PLATFORMS)
        lines.append(f"| {backend} | {python} | {' | '.join(cells)} |")
    return "\n".join(lines)


def written_table(text):
    """The table between the markers of MEASUREMENTS.md's text, or None."""
    found = re.search(f"{re.escape(BEGIN)}(.*?){re.escape(END)}", text, re.S)
    return found.group(1).strip() if found else None


def main():
    results = check()
    made = table(results)
    marked = f"{re.escape(BEGIN)}.*?{re.escape(END)}"
    text, replaced = re.subn(marked, lambda _: f"{BEGIN}\n{made}\n{END}", MEASUREMENTS.read_text(),
                             flags=re.S)
    if not replaced:
        raise SystemExit(f"wheels: {MEASUREMENTS.name} has no markers for the table ({BEGIN})")
    write_atomically(MEASUREMENTS, lambda path: Path(path).write_text(text))
    print(made)
    failed = sum(reason is not None for reason in results.values())
    if failed:
        raise SystemExit(f"wheels: {failed} of {len(results)} pairs do not resolve from wheels")
    print(f"wheels: all {len(results)} pairs resolve from wheels (table in {MEASUREMENTS.name})")


if __name__ == "__main__":
    main()
