import pytest

from tests.sitebuild import build_site


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The project's real content, built strictly with the publication settings."""
    return build_site(tmp_path_factory.mktemp("site") / "output")
