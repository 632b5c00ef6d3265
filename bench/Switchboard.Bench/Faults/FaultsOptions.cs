using Switchboard.Bench.Shared;
using Switchboard.Testing;
using Switchboard.Testing.Fleet;

namespace Switchboard.Bench.Faults;

/// <summary>The faults benchmark's command line, parsed and checked.</summary>
internal sealed record FaultsOptions(
    int Endpoints,
    IReadOnlyList<FaultMode> Modes,
    double FaultShare,
    int? Messages,
    TimeSpan Window,
    TimeSpan SettleLimit,
    TimeSpan DrainLimit,
    string JsonPath,
    string TablePath,
    string PkiCacheRoot)
{
    /// <summary>Messages per recipient endpoint when --messages is not given.</summary>
    public const int DefaultMessagesPerEndpoint = 10;

    public const string Usage = """
          faults --endpoints N [--modes stall,stall-mid,...] [--fault-share S] [--messages M] [--window SECONDS]
                 [--settle-limit SECONDS] [--drain-limit SECONDS] [--json FILE] [--table FILE.md] [--pki-cache DIR]
                                    per fault mode: `switchboard agents --fault MODE` in its own process, a
                                    Switchboard manager connected to all of it; healthy connected, faulty with
                                    their named cause, stuck, healthy links lost, messages sent/delivered/lost
        """;

    public static FaultsOptions Parse(Arguments args)
    {
        var endpoints = args.Int("endpoints", -1, 2, 60_000);
        if (endpoints < 0)
        {
            throw new UsageException("missing --endpoints N");
        }

        var modes = ParseModes(args.Optional("modes"));
        var share = args.Double("fault-share", 0.1, 0.001, 0.9);
        var messages = args.Optional("messages") is null ? (int?)null : args.Int("messages", 0, 0, 100_000_000);
        var window = TimeSpan.FromSeconds(args.Double("window", 30, 1, 3600));
        var settle = TimeSpan.FromSeconds(args.Double("settle-limit", 180, 5, 3600));
        var drain = TimeSpan.FromSeconds(args.Double("drain-limit", 90, 1, 3600));
        var stamp = DateTime.Now.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture);
        var json = Path.GetFullPath(args.Optional("json") ?? Path.Combine(ResultsDirectory.Default(), $"faults-{endpoints}-{stamp}.json"));
        var table = Path.GetFullPath(args.Optional("table") ?? Path.ChangeExtension(json, ".md"));
        var pkiCache = Path.GetFullPath(args.Optional("pki-cache") ?? PkiCache.DefaultRoot());
        args.RejectUnknown();
        return new FaultsOptions(endpoints, modes, share, messages, window, settle, drain, json, table, pkiCache);
    }

    private static FaultMode[] ParseModes(string? text)
    {
        if (text is null)
        {
            return [.. FaultModeNames.All];
        }

        var modes = new List<FaultMode>();
        foreach (var name in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!FaultModeNames.TryParse(name, out var mode))
            {
                throw new UsageException($"--modes: unknown fault mode '{name}' (one of: {string.Join(", ", FaultModeNames.All.Select(m => m.Name()))})");
            }

            if (modes.Contains(mode))
            {
                throw new UsageException($"--modes: '{name}' is named twice");
            }

            modes.Add(mode);
        }

        return modes.Count > 0 ? [.. modes] : throw new UsageException("--modes names no mode");
    }
}
