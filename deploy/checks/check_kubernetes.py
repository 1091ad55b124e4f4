#!/usr/bin/env python3
"""Renders Kustomize directories and checks every workload in them.

    check_kubernetes.py --kustomize BIN DIR [DIR ...]
    check_kubernetes.py --kustomize BIN --expect "no livenessProbe" DIR

Each pod template (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job,
CronJob, Pod) must have, for every container: a native gRPC liveness and
readiness probe on a port the container declares, CPU and memory requests and limits, and no root user
(runAsNonRoot true and no runAsUser 0, the container's securityContext over
the pod's; no privilege escalation, not privileged). Every Deployment must
be covered by a PodDisruptionBudget and reached through a Service.

Exit 0 when every directory passes. With --expect, exit 0 only when a
directory fails with a finding containing that text: this is how the tests
prove the check catches what it claims to.
"""

import argparse
import subprocess
import sys

import yaml

WORKLOAD_KINDS = {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "Pod"}


def pod_spec(doc):
    kind = doc["kind"]
    spec = doc.get("spec") or {}
    if kind == "Pod":
        return spec
    if kind == "CronJob":
        return ((spec.get("jobTemplate") or {}).get("spec") or {}).get("template", {}).get("spec") or {}
    return (spec.get("template") or {}).get("spec") or {}


def pod_labels(doc):
    if doc["kind"] == "Pod":
        return (doc.get("metadata") or {}).get("labels") or {}
    return (((doc.get("spec") or {}).get("template") or {}).get("metadata") or {}).get("labels") or {}


def selects(selector, labels):
    match = (selector or {}).get("matchLabels") or {}
    return bool(match) and all(labels.get(k) == v for k, v in match.items())


def check_container(where, container, pod_security):
    findings = []
    declared = {p.get("containerPort") for p in container.get("ports") or []}
    for probe in ("livenessProbe", "readinessProbe"):
        if probe not in container:
            findings.append(f"{where}: no {probe}")
        elif "grpc" not in container[probe]:
            findings.append(f"{where}: {probe} is not a native gRPC probe")
        elif container[probe]["grpc"].get("port") not in declared:
            findings.append(f"{where}: {probe} asks port {container[probe]['grpc'].get('port')}, "
                            "which the container does not declare")
    resources = container.get("resources") or {}
    for section in ("requests", "limits"):
        for resource in ("cpu", "memory"):
            if resource not in (resources.get(section) or {}):
                findings.append(f"{where}: no {resource} in resources.{section}")
    security = dict(pod_security)
    security.update(container.get("securityContext") or {})
    if security.get("runAsNonRoot") is not True:
        findings.append(f"{where}: runAsNonRoot is not true (may run as root)")
    if security.get("runAsUser") == 0:
        findings.append(f"{where}: runAsUser is 0 (root)")
    if security.get("allowPrivilegeEscalation", True) is not False:
        findings.append(f"{where}: allowPrivilegeEscalation is not false")
    if security.get("privileged") is True:
        findings.append(f"{where}: privileged")
    return findings


def check(docs):
    findings = []
    workloads = [d for d in docs if d.get("kind") in WORKLOAD_KINDS]
    if not workloads:
        findings.append("no workload rendered")
    pdbs = [d for d in docs if d.get("kind") == "PodDisruptionBudget"]
    services = [d for d in docs if d.get("kind") == "Service"]
    for doc in workloads:
        name = f'{doc["kind"]}/{doc["metadata"]["name"]}'
        spec = pod_spec(doc)
        pod_security = spec.get("securityContext") or {}
        containers = spec.get("containers") or []
        if not containers:
            findings.append(f"{name}: no containers")
        for c in containers:
            findings += check_container(f'{name}/{c.get("name")}', c, pod_security)
        for c in spec.get("initContainers") or []:
            # Init containers run once and need no probes; root still matters.
            findings += [f for f in check_container(f'{name}/{c.get("name")}', c, pod_security)
                         if "Probe" not in f]
        if doc["kind"] == "Deployment":
            # A service whose state is partly local files (the annotation
            # says which) loses or splits it when two pods run at once.
            single = ((doc["metadata"].get("annotations") or {}).get("pmo/single-replica"))
            if single:
                replicas = (doc.get("spec") or {}).get("replicas", 1)
                if replicas > 1:
                    findings.append(f"{name}: {replicas} replicas of a single-replica service ({single})")
                if ((doc.get("spec") or {}).get("strategy") or {}).get("type") != "Recreate":
                    findings.append(f"{name}: a single-replica service without the Recreate strategy")
            labels = pod_labels(doc)
            if not any(selects((p.get("spec") or {}).get("selector"), labels) for p in pdbs):
                findings.append(f"{name}: no PodDisruptionBudget selects its pods")
            if not any(selects({"matchLabels": (s.get("spec") or {}).get("selector")}, labels)
                       for s in services):
                findings.append(f"{name}: no Service selects its pods")
    return findings


def render(kustomize, directory):
    try:
        result = subprocess.run([kustomize, "build", directory], capture_output=True, text=True)
    except FileNotFoundError:
        return None, f"no kustomize at {kustomize}: scripts/setup.sh installs it into .deps/bin"
    if result.returncode != 0:
        return None, result.stderr.strip()
    return [d for d in yaml.safe_load_all(result.stdout) if d], None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kustomize", required=True, help="the kustomize binary")
    parser.add_argument("--expect", help="a finding that must be reported")
    parser.add_argument("directories", nargs="+")
    args = parser.parse_args()

    failed = False
    for directory in args.directories:
        docs, error = render(args.kustomize, directory)
        if error is not None:
            print(f"{directory}: kustomize build failed: {error}")
            return 2
        findings = check(docs)
        workloads = sum(1 for d in docs if d.get("kind") in WORKLOAD_KINDS)
        for f in findings:
            print(f"{directory}: {f}")
        if args.expect is not None:
            if not any(args.expect in f for f in findings):
                print(f"{directory}: expected a finding containing {args.expect!r}, got none")
                failed = True
            else:
                print(f"{directory}: caught as expected ({args.expect!r})")
        elif findings:
            failed = True
        else:
            print(f"{directory}: {workloads} workloads, {len(docs)} resources: probes, limits, "
                  "non-root, disruption budgets, services and single replicas all present")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
