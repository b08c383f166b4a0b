"""make site-check: the built site (build/site) opened from disk in headless Chromium, as a reader
opens it: the index and every page, each checked for a broken image, a link to a file that is not
there, a console error or uncaught exception, and anything fetched from outside the disk; then a
screenshot of the index and of one script's page (build/site-check/). It also checks a copy of
a page with a missing image and fails unless that copy fails: the check can fail.

    python tools/site_check.py [--site build/site] [--chromium chromium]

Chromium is driven through its DevTools protocol (websocket-client, requirements-site.txt).
Exit status 1 and one line per problem where the site has any."""

import argparse
import base64
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import websocket

REPO = Path(__file__).resolve().parent.parent
# What each page reports of itself once loaded: its images that did not load, its links.
IN_THE_PAGE = """JSON.stringify({
    broken: [...document.images].filter(image => !image.complete || image.naturalWidth === 0)
                                .map(image => image.getAttribute("src")),
    links: [...document.querySelectorAll("a[href]")].map(link => link.href)})"""


class Browser:
    """Headless Chromium and one page of it, spoken to over the DevTools protocol."""

    def __init__(self, chromium):
        self.profile = tempfile.mkdtemp(prefix="site-check-")
        self.process = subprocess.Popen(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--remote-debugging-port=0", f"--user-data-dir={self.profile}",
             "--window-size=1280,1600", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        for line in self.process.stderr:  # "DevTools listening on ws://127.0.0.1:PORT/..."
            if "DevTools listening on" in line:
                port = urllib.parse.urlparse(line.split()[-1]).port
                break
        else:
            raise SystemExit(f"site-check: {chromium} did not start")
        pages = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list"))
        page = next(page for page in pages if page["type"] == "page")
        self.socket = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60)
        self.calls, self.events = 0, []
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable")

    def call(self, method, **params):
        self.calls += 1
        self.socket.send(json.dumps({"id": self.calls, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.calls:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def open(self, url):
        """Load URL; the problems its loading reported (console, exceptions, fetches)."""
        self.events = []
        self.call("Page.navigate", url=url)
        deadline = time.monotonic() + 30
        while not any(event.get("method") == "Page.loadEventFired" for event in self.events):
            if time.monotonic() > deadline:
                return [f"{url}: did not finish loading in 30 s"]
            self.events.append(json.loads(self.socket.recv()))
        time.sleep(0.2)  # scripts run after the load event
        self.call("Runtime.evaluate", expression="1")  # takes the events that came meanwhile
        problems = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                details = params["exceptionDetails"]
                problems.append(f"uncaught exception: {details.get('text')} "
                                f"{details.get('exception', {}).get('description', '')}".strip())
            elif method == "Runtime.consoleAPICalled" and params.get("type") == "error":
                problems.append("console error: " + " ".join(
                    str(argument.get("value", argument.get("description", "")))
                    for argument in params.get("args", [])))
            elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
                problems.append(f"console error: {params['entry']['text']}")
            elif method == "Network.requestWillBeSent":
                fetched = params["request"]["url"]
                if not fetched.startswith(("file:", "data:", "about:")):
                    problems.append(f"fetched from outside the disk: {fetched}")
        return problems

    def look(self):
        """The loaded page's broken images and its links."""
        found = self.call("Runtime.evaluate", expression=IN_THE_PAGE, returnByValue=True)
        return json.loads(found["result"]["value"])

    def screenshot(self, path):
        shot = self.call("Page.captureScreenshot", format="png")
        Path(path).write_bytes(base64.b64decode(shot["data"]))

    def close(self):
        self.socket.close()
        self.process.terminate()
        self.process.wait(timeout=30)
        shutil.rmtree(self.profile, ignore_errors=True)


def check_site(browser, site):
    """Every page of SITE (its .html files but the search and index pages Sphinx adds), opened:
    the problems, one line each, each naming its page."""
    problems = []
    pages = sorted(path for path in site.rglob("*.html")
                   if not path.relative_to(site).parts[0].startswith("_")
                   and path.name not in ("search.html", "genindex.html"))
    for page in pages:
        url = page.resolve().as_uri()
        found = [f"{page.relative_to(site)}: {problem}" for problem in browser.open(url)]
        looked = browser.look()
        found += [f"{page.relative_to(site)}: broken image {source}" for source in looked["broken"]]
        for link in looked["links"]:
            target = urllib.parse.urlparse(link)
            if target.scheme == "file" and not Path(urllib.parse.unquote(target.path)).exists():
                found.append(f"{page.relative_to(site)}: link to a missing file {link}")
        problems += found
    return pages, problems


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, default=REPO / "build" / "site")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    parser.add_argument("--shots", type=Path, default=REPO / "build" / "site-check")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        print(f"site-check: no site in {args.site}: make site builds it", file=sys.stderr)
        return 2
    browser = Browser(args.chromium)
    try:
        pages, problems = check_site(browser, args.site)
        args.shots.mkdir(parents=True, exist_ok=True)
        for name, page in (("index.png", "slides/index.html"),
                           ("page.png", "slides/l303-example-04a.html")):
            browser.open((args.site / page).resolve().as_uri())
            browser.screenshot(args.shots / name)
        with tempfile.TemporaryDirectory() as folder:  # the check must fail on a broken page
            broken = Path(folder) / "site"
            shutil.copytree(args.site, broken)
            page = broken / "slides" / "l303-example-04a.html"
            page.write_text(re.sub(r'(<img[^>]*src=")', r"\1missing-", page.read_text(), count=1))
            _, found = check_site(browser, broken)
            if not any("broken image" in problem for problem in found):
                problems.append("a page with a missing image passed the check")
    finally:
        browser.close()
    for problem in problems:
        print(f"site-check: {problem}")
    print(f"site-check: {len(pages)} pages opened in Chromium, {len(problems)} problems; "
          f"screenshots in {args.shots}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
