using System.Runtime.InteropServices;

namespace Switchboard.Bench.Storm;

/// <summary>
/// Raises this process's open-file limit to the hard limit; child processes (the fleet, the workers)
/// inherit it. The fleet is the hungriest: a listening and an accepted socket per agent.
/// </summary>
internal static class FileLimit
{
    /// <summary>Descriptors beyond the sockets: assemblies, epoll, pipes, the runtime's own.</summary>
    private const int Headroom = 512;

    /// <returns>null when N fits, otherwise what is wrong and what to do about it.</returns>
    public static string? RaiseFor(int endpoints, out ulong limit)
    {
        limit = 0;
        if (!OperatingSystem.IsLinux())
        {
            return "the storm benchmark runs on Linux only (it reads /proc and raises RLIMIT_NOFILE)";
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
