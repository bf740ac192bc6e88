import wfm


def test_version_and_units():
    assert wfm.__version__ == "0.1.0"
    assert wfm.minutes(30) == 1800.0
    assert wfm.hours(1.5) == 5400.0


def test_modules_mirror_cpp_namespaces():
    for name in ("queueing", "forecast", "schedule", "simulation"):
        assert hasattr(wfm, name)
