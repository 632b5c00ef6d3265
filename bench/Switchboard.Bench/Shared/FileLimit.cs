using System.Runtime.InteropServices;

namespace Switchboard.Bench.Shared;

/// <summary>
/// Raises this process's open-file limit to the hard limit (and, as root, the hard limit itself to what N needs); child processes (the fleet, the workers)
/// inherit it. The fleet is the hungriest: a listening and an accepted socket per agent.
/// </summary>
internal static class FileLimit
{
    /// <summary>Descriptors beyond the sockets: assemblies, epoll, pipes, the runtime's own.</summary>
    private const int Headroom = 512;

    /// <summary><see cref="RaiseFor"/>, said on <paramref name="log"/> with the benchmark's name.</summary>
    /// <returns>false when N does not fit; the benchmark then exits 2 without starting anything.</returns>
    public static bool RaiseFor(string benchmark, int endpoints, TextWriter log)
    {
        if (RaiseFor(endpoints, out var limit) is { } problem)
        {
            log.WriteLine($"{benchmark}: {problem}");
            return false;
        }

        log.WriteLine($"{benchmark}: open-file limit {limit}");
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

        if (Libc.GetRLimit(Libc.RlimitNofile, out var current) != 0)
        {
            return $"getrlimit(RLIMIT_NOFILE) failed: errno {Marshal.GetLastPInvokeError()}";
        }

        var raised = current with { Current = current.Maximum };
        if (current.Current < current.Maximum && Libc.SetRLimit(Libc.RlimitNofile, raised) != 0)
        {
            return $"setrlimit(RLIMIT_NOFILE, {current.Maximum}) failed: errno {Marshal.GetLastPInvokeError()}";
        }

        limit = current.Maximum;
        var fleetNeeds = (ulong)endpoints * 2 + Headroom;
        if (fleetNeeds > limit && Libc.GetEuid() == 0)
        {
            // Root may lift the hard limit itself (CAP_SYS_RESOURCE), up to the kernel's fs.nr_open.
            var lifted = new Libc.RLimit { Current = fleetNeeds, Maximum = fleetNeeds };
            if (Libc.SetRLimit(Libc.RlimitNofile, lifted) == 0)
            {
                limit = fleetNeeds;
            }
        }

        if (fleetNeeds > limit)
        {
            var fits = (limit - Math.Min(limit, Headroom)) / 2;
            return $"N = {endpoints} does not fit: the fleet process needs about {fleetNeeds} open files " +
                   $"(a listening and an accepted socket per agent, plus {Headroom}), but the hard limit (ulimit -Hn) is {limit}. " +
                   $"Raise the hard limit (limits.conf, systemd LimitNOFILE, or `ulimit -Hn` as root) or use --endpoints {fits} or fewer.";
        }

        return null;
    }
}
