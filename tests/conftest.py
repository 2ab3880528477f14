pytest_plugins = ["fakes.fixtures"]
