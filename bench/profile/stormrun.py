"""The storm the profiling scripts record: 5,000 endpoints, P-256, TLS 1.3, cold, restart and agent drop, one run,
no floor, with the manager's JIT-compiled code mapped for perf (the Release build, or the copy $SWITCHBOARD_BENCH
names, so a rebuild meanwhile cannot disturb it)."""
import os, subprocess

BENCH = os.environ.get("SWITCHBOARD_BENCH") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "Switchboard.Bench", "bin", "Release", "net10.0", "Switchboard.Bench")


def start(out):
    """Starts the storm into OUT/storm; its log lines come on the returned process's stdout."""
    return subprocess.Popen([BENCH, "storm", "--endpoints", "5000", "--phases", "cold,restart,agentdrop", "--floor-seconds", "0",
                             "--runs", "1", "--manager-env", "DOTNET_PerfMapEnabled=3,DOTNET_EnableWriteXorExecute=0",
                             "--out", f"{out}/storm"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
