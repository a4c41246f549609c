#!/usr/bin/python3
"""Checks deploy/ without a cluster (kubectl is not in Debian 12's archive, so this is a schema
and consistency check, not kubectl's dry run): every manifest parses, has apiVersion, kind and
metadata.name; containers have resources.limits equal to their requests where a Job runs a task;
the Deployment's probes use paths the service answers (the route table in src/serve/api.cpp);
the Job's limits equal the runner's defaults (src/jobs/limits.h); Secrets referenced exist or are
documented; the Dockerfile starts from Debian 12 and builds the playsight target.
Usage: check_manifests.py SOURCE_DIR"""
import pathlib
import re
import sys

import yaml

KNOWN = {
    ("v1", "Secret"), ("v1", "Service"), ("apps/v1", "StatefulSet"), ("apps/v1", "Deployment"),
    ("batch/v1", "Job"),
}


def fail(message):
    print("check_manifests: " + message)
    sys.exit(1)


def containers(document):
    spec = document["spec"]["template"]["spec"]
    return spec["containers"]


def main():
    root = pathlib.Path(sys.argv[1])
    documents = []
    for file in sorted((root / "deploy" / "k8s").glob("*.yaml")):
        for document in yaml.safe_load_all(file.read_text()):
            if document is None:
                continue
            for field in ("apiVersion", "kind", "metadata"):
                if field not in document:
                    fail(f"{file.name}: a document without {field}")
            if "name" not in document["metadata"]:
                fail(f"{file.name}: {document['kind']} without metadata.name")
            if (document["apiVersion"], document["kind"]) not in KNOWN:
                fail(f"{file.name}: unexpected {document['apiVersion']} {document['kind']}")
            documents.append((file.name, document))
    kinds = {document["kind"] for _, document in documents}
    for kind in ("Deployment", "Service", "StatefulSet", "Secret", "Job"):
        if kind not in kinds:
            fail(f"no {kind} in deploy/k8s")

    routes = (root / "src" / "serve" / "api.cpp").read_text()
    served_paths = set(re.findall(r'"(/[a-z0-9/{}._-]*)"', routes))
    limits_header = (root / "src" / "jobs" / "limits.h").read_text()
    secrets = {d["metadata"]["name"] for _, d in documents if d["kind"] == "Secret"}
    for name, document in documents:
        if document["kind"] in ("Deployment", "StatefulSet", "Job"):
            selector = document["spec"].get("selector", {}).get("matchLabels")
            labels = document["spec"]["template"]["metadata"].get("labels", {})
            if selector and any(labels.get(k) != v for k, v in selector.items()):
                fail(f"{name}: the selector does not match the pod labels")
            for container in containers(document):
                limits = container.get("resources", {}).get("limits", {})
                if "cpu" not in limits or "memory" not in limits:
                    fail(f"{name}: container {container['name']} has no cpu and memory limits")
                for source in container.get("env", []):
                    ref = source.get("valueFrom", {}).get("secretKeyRef")
                    if ref and ref["name"] not in secrets:
                        fail(f"{name}: secret {ref['name']} is not in deploy/k8s")
        if document["kind"] == "Deployment":
            container = containers(document)[0]
            for probe, path in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")):
                got = container.get(probe, {}).get("httpGet", {}).get("path")
                if got != path:
                    fail(f"{name}: {probe} should probe {path}, not {got}")
                if got not in served_paths:
                    fail(f"{name}: {probe} probes {got}, which the service does not answer")
        if document["kind"] == "Job":
            container = containers(document)[0]
            resources = container["resources"]
            if resources["limits"] != resources["requests"]:
                fail(f"{name}: a job's requests should equal its limits")
            if resources["limits"]["memory"] != "1Gi" or "1024ull * 1024 * 1024" not in limits_header:
                fail(f"{name}: the memory limit should be the runner's default, 1 GiB")
            if str(resources["limits"]["cpu"]) != "1" or "cpu_share = 1.0" not in limits_header:
                fail(f"{name}: the cpu limit should be the runner's default, 1")
            if document["spec"].get("activeDeadlineSeconds") != 1800 or \
                    "wall_ms = 30 * 60 * 1000" not in limits_header:
                fail(f"{name}: activeDeadlineSeconds should be the runner's default wall, 1800 s")
            if document["spec"].get("backoffLimit") != 0:
                fail(f"{name}: a job killed at a limit should not be retried (backoffLimit: 0)")
            if container["args"][0] not in ("train", "compare", "effect", "audience", "playtest",
                                             "geo", "features", "generate"):
                fail(f"{name}: {container['args'][0]} is not a playsight task")

    indexed = [d for _, d in documents
               if d["kind"] == "Job" and d["spec"].get("completionMode") == "Indexed"]
    if not indexed:
        fail("no Indexed Job for feature extraction by player-id hash shard")
    for document in indexed:
        spec = document["spec"]
        container = containers(document)[0]
        args = container["args"]
        shard = args[args.index("--shard") + 1] if "--shard" in args else ""
        if args[0] != "features" or shard != f"$(SHARD)/{spec['completions']}":
            fail(f"the Indexed Job should run features --shard $(SHARD)/{spec['completions']}")
        env = {e["name"]: e for e in container.get("env", [])}
        path = env.get("SHARD", {}).get("valueFrom", {}).get("fieldRef", {}).get("fieldPath", "")
        if "job-completion-index" not in path:
            fail("the Indexed Job's SHARD should come from the job completion index")
        if not any("$(SHARD)" in a for a in args[args.index("--out"):]):
            fail("each shard of the Indexed Job should write its own file")
    # The reference generated from the task declarations (tests/tasks checks it is current).
    spend_reference = (root / "docs" / "spend.md").read_text()
    if "| `--shard` |" not in spend_reference:
        fail("playsight features has no --shard option (docs/spend.md)")

    dockerfile = (root / "deploy" / "Dockerfile").read_text()
    if not dockerfile.startswith("#") or "FROM debian:12" not in dockerfile:
        fail("deploy/Dockerfile should build from debian:12")
    if "--target playsight" not in dockerfile:
        fail("deploy/Dockerfile does not build the playsight target")
    print(f"check_manifests: {len(documents)} manifests fine")


main()
