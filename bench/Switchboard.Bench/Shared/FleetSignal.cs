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
    /// <returns>null when sent, otherwise why not.</returns>
    public static string? DropAllLinks(int fleetPid)
    {
        if (!Catches(fleetPid, Libc.Sigusr1))
        {
            return $"the fleet (pid {fleetPid}) does not handle SIGUSR1, so it cannot be told to drop its links " +
                   "(this `switchboard agents` predates the agentdrop trigger; see bench/README.md)";
        }

        return Libc.Kill(fleetPid, Libc.Sigusr1) == 0 ? null : $"kill({fleetPid}, SIGUSR1) failed: errno {Marshal.GetLastPInvokeError()}";
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
