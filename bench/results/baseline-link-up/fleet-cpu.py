"""Samples the fleet's CPU (user + system of `Switchboard.Bench agents`) every 100 ms on CLOCK_MONOTONIC, the
clock of the storm's phase windows, so what the fleet spends after a phase's end can be read off.
Usage: python3 fleet-cpu.py OUT [SECONDS]; one line per sample: monotonic seconds, the fleet's CPU-seconds.
"""
import os
import subprocess
import sys
import time

out = open(sys.argv[1], 'w')
end = time.monotonic() + (float(sys.argv[2]) if len(sys.argv) > 2 else 240)
ticks = os.sysconf('SC_CLK_TCK')
pid = None
while time.monotonic() < end:
    if pid is None:
        found = subprocess.run(['pgrep', '-f', 'Switchboard.Bench agents'], capture_output=True, text=True).stdout.split()
        pid = found[0] if found else None
    if pid:
        try:
            fields = open(f'/proc/{pid}/stat').read().rsplit(')', 1)[1].split()
        except FileNotFoundError:
            break
        out.write(f'{time.monotonic():.3f} {(int(fields[11]) + int(fields[12])) / ticks:.2f}\n')
        out.flush()
    time.sleep(0.1)
