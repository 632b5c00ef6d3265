"""For each phase window a storm log names, the fleet's CPU inside it and in the 1, 2 and 4 s after it.
Usage: python3 after.py STORM_LOG FLEET_CPU_FILE (from fleet-cpu.py)."""
import re
import sys

samples = [tuple(map(float, line.split())) for line in open(sys.argv[2])]


def cpu_at(t):
    last = None
    for ts, cpu in samples:
        if ts > t:
            break
        last = cpu
    return last


for line in open(sys.argv[1]):
    m = re.search(r'\[(\w+) (\w+)\] window ([\d.]+)-([\d.]+) s', line)
    if not m:
        continue
    side, phase, a, b = m.group(1), m.group(2), float(m.group(3)), float(m.group(4))
    if cpu_at(a) is None or cpu_at(b + 4) is None:
        continue
    print(f'{side:12} {phase:10} window {b - a:5.2f} s: fleet {cpu_at(b) - cpu_at(a):5.2f} CPU-s inside, '
          f'{cpu_at(b + 1) - cpu_at(b):4.2f} / {cpu_at(b + 2) - cpu_at(b):4.2f} / {cpu_at(b + 4) - cpu_at(b):4.2f} in the 1 / 2 / 4 s after')
