import pytest

from tests.browser import CHROMIUM, CHROMIUM_ARGS, require_chromium
from tests.sitebuild import build_test_site


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The project's real content, built strictly with the publication settings."""
    return build_test_site(tmp_path_factory.mktemp("site") / "output")


@pytest.fixture(scope="session")
def dev_site(tmp_path_factory):
    """Root-relative URLs, as `invoke build` writes them, so pages load from 127.0.0.1."""
    return build_test_site(tmp_path_factory.mktemp("dev") / "output", settings_file="pelicanconf.py")


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium, driven by Playwright."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
