"""The test suite's own server is the same one in the Makefile, docker-compose.yml and the guard."""

import re

import yaml

from devtools import local_neo4j, throwaway
from explorer.config import PROJECT_ROOT

MAKEFILE = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")


def test_each_compose_service_publishes_the_bolt_port_it_is_started_for():
    services = yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text(encoding="utf-8"))["services"]
    for port, name in local_neo4j.COMPOSE_SERVICES.items():
        assert f"127.0.0.1:{port}:7687" in services[name]["ports"], name


def test_make_test_and_make_accuracy_run_on_the_test_server():
    port = int(re.search(r"^TEST_BOLT_PORT \?= (\d+)$", MAKEFILE, re.M).group(1))
    assert port == throwaway.TEST_BOLT_PORT and local_neo4j.COMPOSE_SERVICES[port] == "neo4j-test"
    assert f"{throwaway.MAY_CLEAR}=$(TEST_URI)" in MAKEFILE
    for target in ("test", "accuracy"):
        recipe = re.search(rf"^{target}:.*\n((?:\t.*\n)+)", MAKEFILE, re.M).group(1)
        assert recipe.lstrip().startswith("@export $(TEST_ENV);"), target
