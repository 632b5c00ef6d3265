using System.Globalization;
using System.Runtime.InteropServices;

namespace Switchboard.Bench.Shared;

/// <summary>
/// The agentdrop trigger: SIGUSR1 to <c>switchboard agents</c> makes every agent drop its links. SIGUSR1's
/// default action kills a process, so it is sent only to a fleet that has installed a handler for it
/// (the SigCgt mask in /proc/PID/status); an older CLI is reported instead of killed.
/// </summary>
internal static class FleetSignal
{
    /// <param name="fleetPids">Every process of the fleet (one unless it runs in slices).</param>
    /// <returns>null when sent, otherwise why not.</returns>
    public static string? DropAllLinks(IReadOnlyList<int> fleetPids)
    {
        // Checked for all before any is signalled: half a fleet dropping its links is no agentdrop.
        if (fleetPids.FirstOrDefault(pid => !Catches(pid, Libc.Sigusr1)) is var deaf and not 0)
        {
            return $"the fleet (pid {deaf}) does not handle SIGUSR1, so it cannot be told to drop its links " +
                   "(this `switchboard agents` predates the agentdrop trigger; see bench/README.md)";
        }

        foreach (var pid in fleetPids)
        {
            if (Libc.Kill(pid, Libc.Sigusr1) != 0)
            {
                return $"kill({pid}, SIGUSR1) failed: errno {Marshal.GetLastPInvokeError()}";
            }
        }

        return null;
    }

    public static bool Catches(int pid, int signal)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("SigCgt:", StringComparison.Ordinal))
                {
                    var mask = ulong.Parse(line.AsSpan(7).Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                    return (mask & (1UL << (signal - 1))) != 0;
                }
            }
        }
        catch (IOException)
        {
        }

        return false;
    }
}
