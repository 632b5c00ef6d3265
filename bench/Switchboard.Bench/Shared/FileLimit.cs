using System.Runtime.InteropServices;
using Switchboard.IO;

namespace Switchboard.Bench.Shared;

/// <summary>
/// Raises this process's open-file limit to the hard limit (and, as root, the hard limit itself to what N needs); child processes (the fleet, the workers)
/// inherit it. The fleet is the hungriest: a listening and an accepted socket per agent, so beyond the limit it is
/// split over several processes (<see cref="FleetProcesses"/>); the manager needs one socket per endpoint.
/// </summary>
internal static class FileLimit
{
    /// <summary>Descriptors beyond the sockets: assemblies, epoll, pipes, the runtime's own.</summary>
    private const int Headroom = 512;

    /// <summary>
    /// How many processes the fleet of <paramref name="endpoints"/> agents runs in: one unless a listening
    /// and an accepted socket per agent exceed this process's limit (which the fleet inherits).
    /// </summary>
    public static int FleetProcesses(int endpoints)
    {
        var limit = OpenFileLimit.Get(out var current) == 0 ? current.Current : 1024;
        var perProcess = (long)Math.Max(1, ((long)limit - Headroom) / 2);
        return (int)Math.Max(1, (endpoints + perProcess - 1) / perProcess);
    }

    /// <summary><see cref="RaiseFor"/>, said on <paramref name="log"/> with the benchmark's name.</summary>
    /// <returns>false when N does not fit; the benchmark then exits 2 without starting anything.</returns>
    public static bool RaiseFor(string benchmark, int endpoints, TextWriter log)
    {
        if (RaiseFor(endpoints, out var limit) is { } problem)
        {
            log.WriteLine($"{benchmark}: {problem}");
            return false;
        }

        var processes = FleetProcesses(endpoints);
        log.WriteLine($"{benchmark}: open-file limit {limit}" + (processes > 1
            ? $"; the fleet needs about {endpoints * 2 + Headroom} open files, so it runs as {processes} processes"
            : string.Empty));
        return true;
    }

    /// <returns>null when N fits, otherwise what is wrong and what to do about it.</returns>
    public static string? RaiseFor(int endpoints, out ulong limit)
    {
        limit = 0;
        if (!OperatingSystem.IsLinux())
        {
            return "the storm and faults benchmarks run on Linux only (it reads /proc and raises RLIMIT_NOFILE)";
        }

        if (OpenFileLimit.Get(out var current) != 0)
        {
            return $"getrlimit(RLIMIT_NOFILE) failed: errno {Marshal.GetLastPInvokeError()}";
        }

        var raised = current with { Current = current.Maximum };
        if (current.Current < current.Maximum && OpenFileLimit.Set(raised) != 0)
        {
            return $"setrlimit(RLIMIT_NOFILE, {current.Maximum}) failed: errno {Marshal.GetLastPInvokeError()}";
        }

        limit = current.Maximum;
        var fleetNeeds = (ulong)endpoints * 2 + Headroom;
        if (fleetNeeds > limit && Libc.GetEuid() == 0)
        {
            // Root may lift the hard limit itself (CAP_SYS_RESOURCE, which containers often drop), up to fs.nr_open.
            var lifted = new OpenFileLimit.Limit { Current = fleetNeeds, Maximum = fleetNeeds };
            if (OpenFileLimit.Set(lifted) == 0)
            {
                limit = fleetNeeds;
            }
        }

        // The fleet splits over processes (FleetProcesses); the manager holds one socket per endpoint.
        var managerNeeds = (ulong)endpoints + Headroom;
        if (managerNeeds > limit)
        {
            return $"N = {endpoints} does not fit: the manager needs about {managerNeeds} open files " +
                   $"(a socket per endpoint, plus {Headroom}), but the hard limit (ulimit -Hn) is {limit}. " +
                   $"Raise the hard limit (limits.conf, systemd LimitNOFILE, or `ulimit -Hn` as root) or use --endpoints {limit - Math.Min(limit, Headroom)} or fewer.";
        }

        return null;
    }
}
