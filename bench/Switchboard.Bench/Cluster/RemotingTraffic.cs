using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Switchboard.Bench.Cluster;

/// <summary>
/// Bytes the masters sent each other over Akka.Remote (TLS records: DistributedData gossip and writes, sharding,
/// membership gossip, heartbeats), from the kernel's per-socket counters (<c>ss -ti</c>) on the sockets accepted at
/// the masters' remoting ports: bytes received there plus bytes sent from there, so each byte counts once.
/// Sockets that closed between two readings (a killed master's) take their counts with them, so a phase's
/// delta is what went over the connections still open at its end.
/// </summary>
internal static partial class RemotingTraffic
{
    /// <summary>Bytes between two readings: per socket, what it carried since the first (all of it, if it is new).</summary>
    public static long? Delta(IReadOnlyDictionary<string, long>? before, IReadOnlyDictionary<string, long>? after) =>
        before is null || after is null ? null : after.Sum(kv => kv.Value - before.GetValueOrDefault(kv.Key));

    /// <summary>Bytes per accepted remoting socket (keyed by its addresses) now, or null when <c>ss</c> cannot say.</summary>
    public static async Task<Dictionary<string, long>?> BytesAsync(IEnumerable<int> ports)
    {
        var filter = string.Join(" or ", ports.Select(p => $"sport = :{p}"));
        var info = new ProcessStartInfo("ss") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-tinH", "state", "established", $"( {filter} )" })
        {
            info.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(info);
            if (process is null)
            {
                return null;
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var output = await process.StandardOutput.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            if (process.ExitCode != 0)
            {
                return null;
            }

            // One line per socket (its addresses), then an indented line of its counters.
            var sockets = new Dictionary<string, long>();
            string? socket = null;
            foreach (var line in output.Split('\n'))
            {
                if (line.StartsWith('\t') || line.StartsWith(' '))
                {
                    if (socket is not null)
                    {
                        sockets[socket] = Counter().Matches(line).Sum(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
                    }
                }
                else if (line.Length > 0)
                {
                    socket = string.Join(' ', line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(2));
                }
            }

            return sockets;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or OperationCanceledException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"\bbytes_(?:sent|received):(\d+)")]
    private static partial Regex Counter();
}
