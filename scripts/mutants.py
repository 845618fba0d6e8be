#!/usr/bin/env python3
"""Mutants of the bundled Raft: each a classic implementation mistake, applied to a copy of the
repository one at a time (never to the repository itself), built, and swept in the simulator until
the first seed that does not pass. Prints, per mutant, the first catching seed and what caught it
(the check whose verdict was false: the workload's history check, the cluster invariants, the
nodes' own assertions, liveness).

    scripts/mutants.py [--seeds 1..1000] [--only NAME,...] [--nodes N] [--no-swarm] [--keep]

The sweep is faultline sim's own: a swarm (each seed draws its configuration) unless --no-swarm.

Needs Maven and a JDK; each mutant is a full build (about half a minute) plus its sweep.
"""
import argparse, os, re, shutil, subprocess, sys, tempfile, time

RAFT = "targets/src/main/java/io/faultline/targets/raft/"

# name: (what it breaks, [(file, old, new), ...])
MUTANTS = {
    "commit-earlier-term": ("commit rule: counts replicas of an entry from an earlier term", [
        (RAFT + "Replication.java", "if (majority > raft.commitIndex && raft.log.term(majority) == raft.term) {",
         "if (majority > raft.commitIndex) {")]),
    "keep-conflicting-suffix": ("log repair: a conflicting suffix is not removed on AppendEntries", [
        (RAFT + "Replication.java", "      if (log.term(e.index()) != e.term()) {\n        truncateFrom(e.index());",
         "      if (false && log.term(e.index()) != e.term()) {\n        truncateFrom(e.index());")]),
    "term-not-persisted": ("term bookkeeping: the new term is not what is persisted", [
        (RAFT + "RaftNode.java", "ctx.storage().append(Records.hardState(term, vote));",
         "ctx.storage().append(Records.hardState(persistedTerm, vote));")]),
    "term-not-adopted": ("term bookkeeping: a higher term in a vote request is not adopted", [
        (RAFT + "Election.java", "    if (m.term() > raft.term) {\n      becomeFollower(m.term(), null);\n    }\n    boolean grant",
         "    boolean grant")]),
    "vote-without-log-check": ("votes: granted without the log check, while pre-vote still checks", [
        (RAFT + "Election.java",
         "boolean grant = (raft.votedFor == null || raft.votedFor.equals(m.candidate())) && logUpToDate(m);",
         "boolean grant = (raft.votedFor == null || raft.votedFor.equals(m.candidate()));")]),
    "read-index-old-round": ("ReadIndex: a read reuses a confirmation round that began before it", [
        (RAFT + "Reads.java", "new PendingRead(request.key(), readIndex, round + 1, responder)",
         "new PendingRead(request.key(), readIndex, round, responder)")]),
    "snapshot-install-off-by-one": ("snapshot install: the log is reset one entry past the snapshot", [
        (RAFT + "Snapshots.java", "raft.log.reset(index, m.lastIncludedTerm());",
         "raft.log.reset(index + 1, m.lastIncludedTerm());")]),
    "snapshot-state-not-loaded": ("snapshot restore: the state machine is not loaded from the snapshot", [
        (RAFT + "RaftNode.java", "kv = new KvStore(snapshotState);", "kv = new KvStore(java.util.Map.of());")]),
    "apply-uncommitted": ("apply: a follower applies what it has, not what the leader says is committed", [
        (RAFT + "Replication.java", "    if (m.leaderCommit() > raft.commitIndex) {\n      commitTo(Math.max(raft.commitIndex, Math.min(m.leaderCommit(), lastNew)));",
         "    if (lastNew > raft.commitIndex) {\n      commitTo(Math.max(raft.commitIndex, lastNew));")]),
    "election-not-randomised": ("election timing: every node times out after the same time", [
        (RAFT + "Election.java", "long micros = minMicros + raft.ctx.random().nextInt((int) Math.min(Integer.MAX_VALUE, minMicros));",
         "long micros = minMicros;")]),
}


def copy_repo(root, dest):
    # Build output beside a pom, the results store and git at the top: not source packages that
    # happen to be called target or store.
    def ignore(d, names):
        out = [n for n in names if n == "target" and os.path.exists(os.path.join(d, "pom.xml"))]
        if os.path.samefile(d, root):
            out += [n for n in names if n in ("store", ".git")]
        return out
    shutil.copytree(root, dest, ignore=ignore)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", default="1..1000")
    ap.add_argument("--only", default="")
    ap.add_argument("--no-swarm", action="store_true")
    ap.add_argument("--nodes", default=None, help="fix the cluster size (default: the swarm draws 3 or 5)")
    ap.add_argument("--keep", action="store_true", help="keep each mutant's copy")
    args = ap.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    names = [n for n in MUTANTS if not args.only or n in args.only.split(",")]
    results = []
    for name in names:
        what, edits = MUTANTS[name]
        work = tempfile.mkdtemp(prefix="faultline-mutant-" + name + "-")
        copy_repo(root, os.path.join(work, "repo"))
        repo = os.path.join(work, "repo")
        for path, old, new in edits:
            p = os.path.join(repo, path)
            text = open(p).read()
            if old not in text:
                sys.exit(f"mutant {name}: the code it changes is not in {path}; update the mutant")
            open(p, "w").write(text.replace(old, new, 1))
        build = subprocess.run(["mvn", "-q", "-B", "package", "-Dmaven.test.skip=true"], cwd=repo,
                               capture_output=True, text=True)
        if build.returncode != 0:
            results.append((name, what, "does not compile", "", 0))
            continue
        cmd = ["java", "-jar", os.path.join(repo, "harness/target/faultline.jar"), "sim",
               "--seeds", args.seeds, "--until-failure", "--store", os.path.join(work, "store")]
        if args.nodes:
            cmd += ["--nodes", args.nodes]
        if args.no_swarm:
            cmd.append("--no-swarm")
        began = time.time()
        run = subprocess.run(cmd, capture_output=True, text=True)
        wall = time.time() - began
        failing = [l for l in run.stdout.splitlines() if re.match(r"seed \d+ +(invalid|unknown)", l)]
        if failing:
            m = re.match(r"seed (\d+) +(\w+) .*?run .*? wall  (.*)", failing[0])
            results.append((name, what, "seed " + m.group(1), m.group(3)[:160], wall))
        else:
            results.append((name, what, "not caught in " + args.seeds, "", wall))
        print(f"{name}: {results[-1][2]}  {results[-1][3]}", flush=True)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print()
    print("| mutant | what it breaks | first catching seed | what caught it | sweep wall |")
    print("|---|---|---|---|---|")
    for name, what, seed, why, wall in results:
        print(f"| `{name}` | {what} | {seed} | {why} | {wall:.0f} s |")


if __name__ == "__main__":
    main()
