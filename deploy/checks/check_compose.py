#!/usr/bin/env python3
"""Checks a docker-compose file beyond what `docker-compose config -q` does.

    check_compose.py [--expect TEXT] COMPOSE_FILE

After docker-compose itself has resolved the file (`config`), every PMO
service (one built from a Dockerfile) must have a health check, wait for
Kafka to be healthy, publish ports on the host's loopback only, run
secured (never --insecure; TLS flags given directly or in a --flagfile),
and be built from a multi-stage Dockerfile whose image runs as a non-root
user.
With --expect, exit 0 only when a finding contains TEXT.
"""

import argparse
import os
import re
import subprocess
import sys

import yaml


def dockerfile_findings(name, path):
    if not os.path.isfile(path):
        return [f"{name}: Dockerfile {path} does not exist"]
    text = open(path).read()
    findings = []
    if len(re.findall(r"^FROM\s", text, re.M)) < 2:
        findings.append(f"{name}: {path} is not multi-stage")
    users = re.findall(r"^USER\s+(\S+)", text, re.M)
    if not users or users[-1].split(":")[0] in ("root", "0"):
        findings.append(f"{name}: {path} does not end as a non-root USER")
    return findings


def check(config, directory):
    findings = []
    services = config.get("services") or {}
    built = {n: s for n, s in services.items() if "build" in s}
    if not built:
        findings.append("no service is built from a Dockerfile")
    for name, s in sorted(built.items()):
        health = (s.get("healthcheck") or {}).get("test")
        if not health:
            findings.append(f"{name}: no healthcheck")
        depends = s.get("depends_on") or {}
        if (depends.get("kafka") or {}).get("condition") != "service_healthy":
            findings.append(f"{name}: does not wait for kafka to be healthy")
        for dependency, how in depends.items():
            if dependency in services and not (services[dependency].get("healthcheck") or {}).get("test"):
                findings.append(f"{name}: waits for {dependency}, which has no healthcheck")
        for port in s.get("ports") or []:
            host_ip = port.get("host_ip") if isinstance(port, dict) else str(port).split(":")[0]
            if host_ip != "127.0.0.1":
                findings.append(f"{name}: port {port} is published beyond the host's loopback")
        command = s.get("command") or []
        if isinstance(command, str):
            command = command.split()
        if any(arg == "--insecure" or arg.startswith("--insecure=") for arg in command):
            findings.append(f"{name}: runs with --insecure")
        elif not any(arg.split("=")[0] in ("--tls_cert_file", "--flagfile") for arg in command):
            findings.append(f"{name}: has no TLS flags (--tls_cert_file, or a --flagfile with them)")
        build = s["build"]
        path = os.path.join(build.get("context", directory), build.get("dockerfile", "Dockerfile"))
        findings += dockerfile_findings(name, path)
    return findings


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--expect")
    parser.add_argument("compose_file")
    args = parser.parse_args()
    result = subprocess.run(["docker-compose", "-f", args.compose_file, "config"],
                            capture_output=True, text=True)
    if result.returncode != 0:
        print(f"{args.compose_file}: docker-compose config failed: {result.stderr.strip()}")
        return 2
    findings = check(yaml.safe_load(result.stdout), os.path.dirname(os.path.abspath(args.compose_file)))
    for f in findings:
        print(f"{args.compose_file}: {f}")
    if args.expect is not None:
        caught = any(args.expect in f for f in findings)
        print(f"{args.compose_file}: " + ("caught as expected" if caught else
                                          f"expected a finding containing {args.expect!r}"))
        return 0 if caught else 1
    if not findings:
        print(f"{args.compose_file}: {len(services_of(result.stdout))} services; every PMO service "
              "has a health check, waits for healthy Kafka, publishes on loopback, runs secured, "
              "multi-stage non-root image")
    return 1 if findings else 0


def services_of(text):
    return (yaml.safe_load(text) or {}).get("services") or {}


if __name__ == "__main__":
    sys.exit(main())
