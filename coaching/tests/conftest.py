import pytest

from coaching.tests.helpers import FakeLLM


@pytest.fixture
def fake_llm(settings):
    """A fake OpenAI-compatible server, with the coach configured to use it."""
    fake = FakeLLM().start()
    settings.OPENAI_BASE_URL = fake.base_url
    settings.OPENAI_API_KEY = "test-key"
    settings.COACH_MODEL = "fake-coach"
    settings.COACH_TIMEOUT_SECONDS = 5
    yield fake
    fake.stop()


@pytest.fixture(autouse=True)
def _no_llm_by_default(settings):
    """The rule-based coach unless a test asks for the fake server; tasks run at once."""
    settings.OPENAI_BASE_URL = ""
    settings.OPENAI_API_KEY = ""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
