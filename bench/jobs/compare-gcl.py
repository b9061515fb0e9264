#!/usr/bin/env python3
"""compare-gcl: run shell-only pipelines with `dockyard ci run --pipeline` and with gitlab-ci-local, side by side.

usage: compare-gcl.py DOCKYARD_DLL [CASE_DIR ...]   (default: the gitlab-ci-local test cases without image/services/includes)
Each case is copied into a throwaway git repo (branch main, origin https://gitlab.example.com/group/app.git). Prints,
per case, both exit statuses and the jobs each tool ran with their outcome, and 'same'/'DIFF'; then a summary.
"""
import glob, json, os, re, shutil, subprocess, sys, tempfile

CORPUS = "/work/shared/corpus/gitlab-ci/gitlab-ci-local"
GCL = os.path.expanduser("~/.cache/dockyard-ci-diff/node_modules/.bin/gitlab-ci-local")
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")

def cases(args):
    if args: return args
    out = []
    for d in sorted(glob.glob(CORPUS + "/*/")):
        f = os.path.join(d, ".gitlab-ci.yml")
        if os.path.exists(f) and not re.search(r"image|services|include|trigger", open(f).read()):
            out.append(d.rstrip("/"))
    return out

def repo(case):
    work = tempfile.mkdtemp(prefix="compare-gcl-")
    shutil.copytree(case, work, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".gitlab-ci-local", ".dockyard"))
    for a in (["init", "-q", "-b", "main"], ["remote", "add", "origin", "https://gitlab.example.com/group/app.git"],
              ["add", "-A"], ["-c", "user.email=c@example.com", "-c", "user.name=c", "commit", "-qm", "case"]):
        subprocess.run(["git"] + a, cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return work

def run(cmd, cwd):
    try:
        p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
        return p.returncode, ANSI.sub("", p.stdout + p.stderr)
    except subprocess.TimeoutExpired:
        return "timeout", ""

def gcl_jobs(text):
    jobs = {}
    for line in text.splitlines():
        m = re.match(r"^\s*(PASS|FAIL|WARN)\s+(\S.*?)\s*$", line)
        if m:
            name = re.sub(r"\s+(pre-stop|exited with|\(|$).*", "", m.group(2)).strip()
            jobs[name] = {"PASS": "success", "FAIL": "failed", "WARN": "failed (allowed)"}[m.group(1)]
    return jobs

def dockyard_jobs(report):
    if not os.path.exists(report): return {}
    data = json.load(open(report))
    return {j["name"]: (j["status"] + (" (allowed)" if j["status"] == "failed" and j["allow_failure"] else ""))
            for j in data["jobs"] if j["status"] in ("success", "failed")}

def main():
    dll = os.path.abspath(sys.argv[1])
    same = diff = 0
    for case in cases(sys.argv[2:]):
        work = repo(case)
        try:
            gcode, gtext = run([GCL], work)
            report = os.path.join(work, ".dockyard-report.json")
            dcode, dtext = run(["dotnet", dll, "ci", "run", "--pipeline", "--report", report], work)
            g, d = gcl_jobs(gtext), dockyard_jobs(report)
            ok = (gcode == 0) == (dcode == 0) and g == d
            same += ok; diff += not ok
            print(f"{'same' if ok else 'DIFF'}  {os.path.basename(case):45} gcl={gcode} dockyard={dcode}"
                  + ("" if ok else f"\n      gcl:      {g}\n      dockyard: {d}\n      dockyard says: {dtext.strip().splitlines()[-1] if dtext.strip() else ''}"))
        finally:
            shutil.rmtree(work, ignore_errors=True)
    print(f"{same} same, {diff} different")

main()
