import os
import tempfile

from hypothesis import HealthCheck, settings

# CI runs derandomized so a red build is reproducible; locally Hypothesis explores freely.
settings.register_profile("ci", derandomize=True, max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=60, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

# Scenes in tests are silent unless a test asks for a voice (tests/test_narration.py): the golden
# frames and the gate's timing are those of the silent course, and nothing is synthesised twice.
os.environ["CALCVIZ_VOICE"] = "none"
os.environ.pop("CALCVIZ_VOICE_RATE", None)
# spoken lines made by tests are kept outside the repository's media/
os.environ.setdefault("CALCVIZ_VOICE_CACHE", os.path.join(tempfile.gettempdir(), f"calcviz-test-voice-{os.getuid()}"))
